import { GraphBuilder } from './onnx/graph.js';
import { headNames, parameterSpecs, type NetworkConfig, type Parameters } from './network.js';

/** Values of one forward pass that the backward pass reads. */
interface ForwardPass {
  /** Inputs of each trunk layer: the features, then each layer's activation. */
  inputs: string[];
  /** Each trunk layer's pre-activation x·W + b. */
  pre: string[];
  /** The last hidden activation (the features when the trunk is empty). */
  top: string;
  /** One logit matrix per head, in `headNames` order. */
  logits: string[];
}

const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_A = 0.044715;

/**
 * GELU in its tanh form (as GPT-2 and PyTorch's approximate='tanh' use): ONNX Runtime has no float64
 * Erf kernel, and the float64 graph that checks gradients must compute the same function.
 */
function gelu(g: GraphBuilder, a: string): { out: string; slope: () => string } {
  const cube = g.mul(g.mul(a, a), a);
  const u = g.mul(g.scalar(GELU_C), g.add(a, g.mul(g.scalar(GELU_A), cube)));
  const t = g.node('Tanh', [u]);
  const onePlusT = g.add(g.scalar(1), t);
  const out = g.mul(g.mul(g.scalar(0.5), a), onePlusT);
  // d/da: ½(1 + t) + ½·a·(1 − t²)·c·(1 + 3·A·a²)
  const slope = () => {
    const sech2 = g.sub(g.scalar(1), g.mul(t, t));
    const du = g.mul(g.scalar(GELU_C), g.add(g.scalar(1), g.mul(g.scalar(3 * GELU_A), g.mul(a, a))));
    return g.add(g.mul(g.scalar(0.5), onePlusT), g.mul(g.mul(g.scalar(0.5), a), g.mul(sech2, du)));
  };
  return { out, slope };
}

class Network {
  private readonly slopes = new Map<string, () => string>();

  constructor(
    readonly g: GraphBuilder,
    readonly config: NetworkConfig,
    /** Graph value holding each parameter. */
    readonly params: Record<string, string>,
  ) {}

  private param(name: string): string {
    const value = this.params[name];
    if (value === undefined) throw new Error(`network has no parameter ${name}`);
    return value;
  }

  forward(x: string): ForwardPass {
    const { g, config } = this;
    const inputs: string[] = [];
    const pre: string[] = [];
    let h = x;
    config.hidden.forEach((_, l) => {
      inputs.push(h);
      const a = g.gemm(h, this.param(`trunk.${l}.weight`), this.param(`trunk.${l}.bias`));
      pre.push(a);
      if (config.activation === 'relu') {
        h = g.relu(a);
      } else {
        const { out, slope } = gelu(g, a);
        this.slopes.set(a, slope);
        h = out;
      }
    });
    const logits = headNames(config).map((head) => g.gemm(h, this.param(`${head}.weight`), this.param(`${head}.bias`)));
    return { inputs, pre, top: h, logits };
  }

  /** dh ⊙ act'(a) */
  private throughActivation(a: string, dh: string): string {
    const { g } = this;
    if (this.config.activation === 'relu') return g.where(g.greater(a, g.scalar(0)), dh, g.scalar(0));
    const slope = this.slopes.get(a);
    if (!slope) throw new Error('backward pass reached a GELU the forward pass did not build');
    return g.mul(dh, slope());
  }

  /**
   * Gradients of a loss with respect to every parameter, given its gradients with respect to each
   * head's logits (null for a head the loss does not read).
   */
  backward(pass: ForwardPass, dLogits: (string | null)[]): Record<string, string> {
    const { g, config } = this;
    const grads: Record<string, string> = {};
    let dh: string | null = null;
    headNames(config).forEach((head, i) => {
      const dz = dLogits[i];
      if (!dz) return;
      grads[`${head}.weight`] = g.gemm(pass.top, dz, undefined, { transA: true });
      grads[`${head}.bias`] = g.reduceSum(dz, [0]);
      const back = g.gemm(dz, this.param(`${head}.weight`), undefined, { transB: true });
      dh = dh === null ? back : g.add(dh, back);
    });
    for (let l = config.hidden.length - 1; l >= 0 && dh !== null; l--) {
      const da = this.throughActivation(pass.pre[l] as string, dh);
      grads[`trunk.${l}.weight`] = g.gemm(pass.inputs[l] as string, da, undefined, { transA: true });
      grads[`trunk.${l}.bias`] = g.reduceSum(da, [0]);
      dh = l > 0 ? g.gemm(da, this.param(`trunk.${l}.weight`), undefined, { transB: true }) : null;
    }
    return grads;
  }
}

/** The model as shipped: features → each head's probabilities, parameters stored in the graph. */
export function inferenceGraph(config: NetworkConfig, params: Parameters, metadata: Record<string, string> = {}): Uint8Array {
  const g = new GraphBuilder('tribunal-inference');
  const values: Record<string, string> = {};
  for (const spec of parameterSpecs(config)) {
    const data = params[spec.name];
    if (!data) throw new Error(`parameters lack ${spec.name}`);
    values[spec.name] = g.initializer(spec.name, { type: 'float32', dims: spec.shape, data });
  }
  buildHeads(g, config, values);
  return g.encode(metadata);
}

/** The same function with the parameters as inputs: one session evaluates every step of a run. */
export function evaluationGraph(config: NetworkConfig, float: 'float32' | 'float64' = 'float32'): Uint8Array {
  const g = new GraphBuilder('tribunal-evaluation', float);
  const values: Record<string, string> = {};
  for (const spec of parameterSpecs(config)) values[spec.name] = g.input(spec.name, spec.shape);
  buildHeads(g, config, values);
  return g.encode();
}

function buildHeads(g: GraphBuilder, config: NetworkConfig, values: Record<string, string>): void {
  const x = g.input('features', ['n', config.inputSize]);
  const pass = new Network(g, config, values).forward(x);
  headNames(config).forEach((head, i) => g.output(head, g.exp(g.logSoftmax(pass.logits[i] as string)), ['n', config.answers]));
}

export interface TrainingGraphOptions {
  float?: 'float32' | 'float64';
  /** λ's consistency term over a batch of the small set (two heads only). */
  consistency: boolean;
  /** μ's term fitting the instrumental head to simple labels over a batch of them (two heads only). */
  simple: boolean;
  /**
   * Apply AdamW and output the next parameters and optimiser state; otherwise output the gradients
   * (the form the gradient check reads).
   */
  optimizer: boolean;
  /**
   * Read the consistency target (the intended head's probabilities, held fixed) from an input
   * instead of computing it, so finite differences of the loss see exactly what the gradient sees.
   */
  targetInput?: boolean;
}

export const HYPER_INPUTS = ['lambda', 'mu', 'alpha1', 'alpha2', 'lr', 'beta1', 'beta2', 'eps', 'weight_decay', 'step'] as const;
export type HyperInput = (typeof HYPER_INPUTS)[number];

/**
 * One training step as a graph. Inputs: every parameter `p`, its initial value `p.init`, (with the
 * optimiser) its AdamW moments `p.m` and `p.v`; the batches `large.x`/`large.y`, `small.x`,
 * `simple.x`/`simple.y`; and scalar hyper-parameters. Outputs: `loss` and its terms `loss.large`,
 * `loss.consistency`, `loss.simple`, `loss.prior`; then `p.next`, `p.m.next`, `p.v.next`, or `p.grad`.
 *
 *   J(θ) = − mean_large log p_int(y|x)
 *          + λ · mean_small CE(stopgrad p_int(·|x), p_ins(·|x))
 *          + α₁‖θ₁ − θ₁⁰‖² + α₂‖θ₂ − θ₂⁰‖²
 *          + μ · mean_simple − log p_ins(s|x)
 *
 * With one head (the naive baseline) only the first and third terms exist, fitted to whatever labels
 * the large batch carries. Gradients are derived by hand: for a softmax head, d(−log p_y)/dz = p − onehot(y),
 * and d CE(t, softmax z)/dz = softmax z − t when t sums to one.
 */
export function trainingGraph(config: NetworkConfig, options: TrainingGraphOptions): Uint8Array {
  const twoHeads = config.heads === 2;
  if (!twoHeads && (options.consistency || options.simple)) throw new Error('the consistency and simple-label terms need two heads');
  const g = new GraphBuilder('tribunal-training-step', options.float ?? 'float32');
  const K = config.answers;
  const specs = parameterSpecs(config);
  const params: Record<string, string> = {};
  for (const spec of specs) params[spec.name] = g.input(spec.name, spec.shape);
  const hyper = Object.fromEntries(HYPER_INPUTS.map((name) => [name, g.input(name, [])])) as Record<HyperInput, string>;
  const net = new Network(g, config, params);
  const gradParts: Record<string, string[]> = {};
  const collect = (grads: Record<string, string>) => {
    for (const [name, grad] of Object.entries(grads)) (gradParts[name] ??= []).push(grad);
  };
  const pad = (i: number, dz: string): (string | null)[] => headNames(config).map((_, j) => (j === i ? dz : null));

  // − mean log p_int(y|x) over the large batch.
  const largeX = g.input('large.x', ['nl', config.inputSize]);
  const largeY = g.oneHot(g.input('large.y', ['nl'], 'int64'), K);
  const large = net.forward(largeX);
  const largeLogP = g.logSoftmax(large.logits[0] as string);
  const nl = g.rows(largeX);
  const lossLarge = g.div(g.neg(g.sumAll(g.mul(largeY, largeLogP))), nl);
  collect(net.backward(large, pad(0, g.div(g.sub(g.exp(largeLogP), largeY), nl))));

  // λ · mean CE(stopgrad p_int, p_ins) over the small batch: only the instrumental side is differentiated.
  let lossConsistency: string | null = null;
  if (options.consistency) {
    const smallX = g.input('small.x', ['ns', config.inputSize]);
    const small = net.forward(smallX);
    const target = options.targetInput ? g.input('small.target', ['ns', K]) : g.exp(g.logSoftmax(small.logits[0] as string));
    const logQ = g.logSoftmax(small.logits[1] as string);
    const ns = g.rows(smallX);
    lossConsistency = g.mul(hyper.lambda, g.div(g.neg(g.sumAll(g.mul(target, logQ))), ns));
    collect(net.backward(small, pad(1, g.mul(hyper.lambda, g.div(g.sub(g.exp(logQ), target), ns)))));
  }

  // μ · mean − log p_ins(s|x) over a batch of simple labels.
  let lossSimple: string | null = null;
  if (options.simple) {
    const simpleX = g.input('simple.x', ['nu', config.inputSize]);
    const simpleY = g.oneHot(g.input('simple.y', ['nu'], 'int64'), K);
    const simple = net.forward(simpleX);
    const logQ = g.logSoftmax(simple.logits[1] as string);
    const nu = g.rows(simpleX);
    lossSimple = g.mul(hyper.mu, g.div(g.neg(g.sumAll(g.mul(simpleY, logQ))), nu));
    collect(net.backward(simple, pad(1, g.mul(hyper.mu, g.div(g.sub(g.exp(logQ), simpleY), nu)))));
  }

  // α‖θ − θ⁰‖², with α₁ for θ₁ and α₂ for θ₂; gradient 2α(θ − θ⁰).
  const priorTerms: string[] = [];
  for (const spec of specs) {
    const alpha = spec.group === 'theta1' ? hyper.alpha1 : hyper.alpha2;
    const delta = g.sub(params[spec.name] as string, g.input(`${spec.name}.init`, spec.shape));
    priorTerms.push(g.mul(alpha, g.sumAll(g.mul(delta, delta))));
    (gradParts[spec.name] ??= []).push(g.mul(g.mul(g.scalar(2), alpha), delta));
  }
  const lossPrior = priorTerms.reduce((a, b) => g.add(a, b));
  const loss = [lossConsistency, lossSimple, lossPrior].reduce<string>((sum, term) => (term === null ? sum : g.add(sum, term)), lossLarge);
  g.output('loss', loss, []);
  g.output('loss.large', lossLarge, []);
  g.output('loss.consistency', lossConsistency ?? g.scalar(0), []);
  g.output('loss.simple', lossSimple ?? g.scalar(0), []);
  g.output('loss.prior', lossPrior, []);

  // AdamW: moments of the gradient, bias-corrected, and decoupled weight decay.
  const grads = Object.fromEntries(specs.map((spec) => [spec.name, (gradParts[spec.name] as string[]).reduce((a, b) => g.add(a, b))]));
  if (!options.optimizer) {
    for (const spec of specs) g.output(`${spec.name}.grad`, grads[spec.name] as string, spec.shape);
    return g.encode();
  }
  const one = g.scalar(1);
  const bias1 = g.sub(one, g.pow(hyper.beta1, hyper.step));
  const bias2 = g.sub(one, g.pow(hyper.beta2, hyper.step));
  for (const spec of specs) {
    const grad = grads[spec.name] as string;
    const p = params[spec.name] as string;
    const m = g.add(g.mul(hyper.beta1, g.input(`${spec.name}.m`, spec.shape)), g.mul(g.sub(one, hyper.beta1), grad));
    const v = g.add(g.mul(hyper.beta2, g.input(`${spec.name}.v`, spec.shape)), g.mul(g.sub(one, hyper.beta2), g.mul(grad, grad)));
    const direction = g.div(g.div(m, bias1), g.add(g.sqrt(g.div(v, bias2)), hyper.eps));
    const next = g.sub(p, g.mul(hyper.lr, g.add(direction, g.mul(hyper.weight_decay, p))));
    g.output(`${spec.name}.next`, next, spec.shape);
    g.output(`${spec.name}.m.next`, m, spec.shape);
    g.output(`${spec.name}.v.next`, v, spec.shape);
  }
  return g.encode();
}
