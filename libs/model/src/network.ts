import { createRng } from '#tribunal/world';

export const ACTIVATIONS = ['relu', 'gelu'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/**
 * The network's shape. With two heads, `intended` and `instrumental` read the same trunk; the naive
 * baseline has one head, `label`. θ₁ is the heads plus the first `theta1TrunkLayers` trunk layers;
 * θ₂ is the rest of the trunk: the prior pulls each towards its initial value with its own weight.
 */
export interface NetworkConfig {
  inputSize: number;
  answers: number;
  hidden: number[];
  activation: Activation;
  heads: 1 | 2;
  theta1TrunkLayers: number;
}

export type HeadName = 'intended' | 'instrumental' | 'label';

export function headNames(config: Pick<NetworkConfig, 'heads'>): HeadName[] {
  return config.heads === 2 ? ['intended', 'instrumental'] : ['label'];
}

export interface ParameterSpec {
  name: string;
  shape: [number, number] | [number];
  group: 'theta1' | 'theta2';
}

/** Named tensors, row-major. Weights are [in, out], so a layer is x·W + b. */
export type Parameters = Record<string, Float32Array>;

export function networkProblems(config: NetworkConfig): string[] {
  const problems: string[] = [];
  const positiveInt = (v: unknown) => Number.isInteger(v) && (v as number) > 0;
  if (!positiveInt(config.inputSize)) problems.push(`inputSize must be a positive integer, got ${String(config.inputSize)}`);
  if (!Number.isInteger(config.answers) || config.answers < 2)
    problems.push(`answers must be an integer of at least 2, got ${String(config.answers)}`);
  if (!Array.isArray(config.hidden) || !config.hidden.every(positiveInt))
    problems.push(`hidden must be a list of positive integer widths, got ${JSON.stringify(config.hidden)}`);
  if (!ACTIVATIONS.includes(config.activation))
    problems.push(`activation must be one of ${ACTIVATIONS.join(', ')}, got ${String(config.activation)}`);
  if (config.heads !== 1 && config.heads !== 2) problems.push(`heads must be 1 or 2, got ${String(config.heads)}`);
  const layers = Array.isArray(config.hidden) ? config.hidden.length : 0;
  if (!Number.isInteger(config.theta1TrunkLayers) || config.theta1TrunkLayers < 0 || config.theta1TrunkLayers > layers)
    problems.push(`theta1TrunkLayers must be an integer from 0 to ${layers} (the trunk's layers), got ${String(config.theta1TrunkLayers)}`);
  return problems;
}

export function parameterSpecs(config: NetworkConfig): ParameterSpec[] {
  const specs: ParameterSpec[] = [];
  let width = config.inputSize;
  config.hidden.forEach((out, l) => {
    const group = l < config.theta1TrunkLayers ? 'theta1' : 'theta2';
    specs.push({ name: `trunk.${l}.weight`, shape: [width, out], group }, { name: `trunk.${l}.bias`, shape: [out], group });
    width = out;
  });
  for (const head of headNames(config)) {
    specs.push(
      { name: `${head}.weight`, shape: [width, config.answers], group: 'theta1' },
      { name: `${head}.bias`, shape: [config.answers], group: 'theta1' },
    );
  }
  return specs;
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Seeded initial values: He-normal weights for the trunk, Glorot-normal for the heads, zero biases.
 * The same seed gives the same parameters on every machine.
 */
export function initialParameters(config: NetworkConfig, seed: number): Parameters {
  const rng = createRng(seed);
  const normal = () => {
    // Box–Muller; 1 − u keeps the logarithm finite.
    const u = 1 - rng();
    const v = rng();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const params: Parameters = {};
  for (const spec of parameterSpecs(config)) {
    const values = new Float32Array(sizeOf(spec.shape));
    if (spec.shape.length === 2) {
      const [fanIn, fanOut] = spec.shape;
      const std = spec.name.startsWith('trunk.') ? Math.sqrt(2 / fanIn) : Math.sqrt(2 / (fanIn + fanOut));
      for (let i = 0; i < values.length; i++) values[i] = normal() * std;
    }
    params[spec.name] = values;
  }
  return params;
}

export function cloneParameters(params: Parameters): Parameters {
  return Object.fromEntries(Object.entries(params).map(([name, values]) => [name, values.slice()]));
}
