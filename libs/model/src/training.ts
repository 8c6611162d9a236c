import { deriveSeed, createRng } from '#tribunal/world';
import { evaluationGraph, HYPER_INPUTS, trainingGraph, type HyperInput } from './graphs.js';
import { headNames, parameterSpecs, sizeOf, type NetworkConfig, type Parameters, type HeadName } from './network.js';
import { createSession, floatTensor, labelTensor, scalarTensor, type Device, type Feeds, type InferenceSession } from './runtime.js';

/** A training job's knobs: DESIGN.md's λ, α₁, α₂, μ, the optimiser and the schedule. */
export interface TrainingSettings {
  steps: number;
  batchSize: number;
  learningRate: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** AdamW's decoupled decay towards zero (the prior already pulls towards the initialisation). */
  weightDecay: number;
  /** Weight of the consistency term on the small set. */
  lambda: number;
  /** Weight of the optional term fitting the instrumental head to simple labels; 0 leaves it out. */
  mu: number;
  /** Prior weights on the squared distance of θ₁ and θ₂ from their initial values. */
  alpha1: number;
  alpha2: number;
  seed: number;
  /** Steps between evaluations on held-out items (streamed as progress). */
  evalEvery: number;
  /** Steps between checkpoints. */
  checkpointEvery: number;
}

export const DEFAULT_SETTINGS: TrainingSettings = {
  steps: 1000,
  batchSize: 128,
  learningRate: 0.01,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  weightDecay: 0,
  lambda: 1,
  mu: 0,
  alpha1: 1e-4,
  alpha2: 1e-4,
  seed: 1,
  evalEvery: 25,
  checkpointEvery: 50,
};

const RANGES: Record<keyof TrainingSettings, [number, number, 'int' | 'real']> = {
  steps: [1, 1_000_000, 'int'],
  batchSize: [1, 65_536, 'int'],
  learningRate: [0, 10, 'real'],
  beta1: [0, 0.999999, 'real'],
  beta2: [0, 0.999999, 'real'],
  eps: [0, 1, 'real'],
  weightDecay: [0, 10, 'real'],
  lambda: [0, 1e6, 'real'],
  mu: [0, 1e6, 'real'],
  alpha1: [0, 1e6, 'real'],
  alpha2: [0, 1e6, 'real'],
  seed: [0, 2 ** 31 - 1, 'int'],
  evalEvery: [1, 1_000_000, 'int'],
  checkpointEvery: [1, 1_000_000, 'int'],
};

/** Each problem names the setting. */
export function settingsProblems(settings: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(settings)) {
    const range = RANGES[key as keyof TrainingSettings];
    if (!range) {
      problems.push(`${key} is not a training setting (known: ${Object.keys(RANGES).join(', ')})`);
      continue;
    }
    const [min, max, kind] = range;
    if (
      typeof value !== 'number' ||
      !Number.isFinite(value) ||
      value < min ||
      value > max ||
      (kind === 'int' && !Number.isInteger(value))
    ) {
      problems.push(`${key} must be ${kind === 'int' ? 'an integer' : 'a number'} from ${min} to ${max}, got ${JSON.stringify(value)}`);
    }
  }
  return problems;
}

/** Rows of features, row-major, with a label per row (labels unused for the small set). */
export interface Examples {
  x: Float32Array;
  y: Int32Array;
  n: number;
}

export function examples(rows: readonly Float32Array[], labels: readonly number[], inputSize: number): Examples {
  const x = new Float32Array(rows.length * inputSize);
  rows.forEach((row, i) => x.set(row, i * inputSize));
  return { x, y: Int32Array.from(labels), n: rows.length };
}

/** A batch for one step: every row when the set is no larger than the batch, else a seeded sample. */
export function batchOf(set: Examples, batchSize: number, inputSize: number, seed: number, step: number, stream: number): Examples {
  if (set.n <= batchSize) return set;
  const rng = createRng(deriveSeed(seed, step * 8 + stream));
  const x = new Float32Array(batchSize * inputSize);
  const y = new Int32Array(batchSize);
  for (let i = 0; i < batchSize; i++) {
    const row = Math.floor(rng() * set.n);
    x.set(set.x.subarray(row * inputSize, (row + 1) * inputSize), i * inputSize);
    y[i] = set.y[row] as number;
  }
  return { x, y, n: batchSize };
}

/** Parameters and AdamW moments after `step` steps. */
export interface OptimizerState {
  step: number;
  params: Parameters;
  m: Parameters;
  v: Parameters;
}

export function initialState(params: Parameters): OptimizerState {
  const zeros = () => Object.fromEntries(Object.entries(params).map(([k, v]) => [k, new Float32Array(v.length)]));
  return { step: 0, params: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v.slice()])), m: zeros(), v: zeros() };
}

export interface Losses {
  total: number;
  large: number;
  consistency: number;
  simple: number;
  prior: number;
}

export interface StepBatches {
  large: Examples;
  small?: Examples;
  simple?: Examples;
}

/** One training-step graph loaded on a device; `run` advances a state by one step. */
export class StepSession {
  private constructor(
    private readonly session: InferenceSession,
    readonly network: NetworkConfig,
    readonly terms: { consistency: boolean; simple: boolean },
  ) {}

  static async create(network: NetworkConfig, terms: { consistency: boolean; simple: boolean }, device: Device): Promise<StepSession> {
    const graph = trainingGraph(network, { ...terms, optimizer: true });
    return new StepSession(await createSession(graph, device), network, terms);
  }

  async run(
    state: OptimizerState,
    init: Parameters,
    batches: StepBatches,
    settings: TrainingSettings,
  ): Promise<{ state: OptimizerState; losses: Losses }> {
    const D = this.network.inputSize;
    const step = state.step + 1;
    const hyper: Record<HyperInput, number> = {
      lambda: settings.lambda,
      mu: settings.mu,
      alpha1: settings.alpha1,
      alpha2: settings.alpha2,
      lr: settings.learningRate,
      beta1: settings.beta1,
      beta2: settings.beta2,
      eps: settings.eps,
      weight_decay: settings.weightDecay,
      step,
    };
    const feeds: Feeds = {};
    for (const name of HYPER_INPUTS) feeds[name] = scalarTensor(hyper[name]);
    const specs = parameterSpecs(this.network);
    for (const spec of specs) {
      feeds[spec.name] = floatTensor(state.params[spec.name]!, spec.shape);
      feeds[`${spec.name}.init`] = floatTensor(init[spec.name]!, spec.shape);
      feeds[`${spec.name}.m`] = floatTensor(state.m[spec.name]!, spec.shape);
      feeds[`${spec.name}.v`] = floatTensor(state.v[spec.name]!, spec.shape);
    }
    feeds['large.x'] = floatTensor(batches.large.x, [batches.large.n, D]);
    feeds['large.y'] = labelTensor(batches.large.y);
    if (this.terms.consistency) {
      if (!batches.small) throw new Error('this training step needs a batch of the small set');
      feeds['small.x'] = floatTensor(batches.small.x, [batches.small.n, D]);
    }
    if (this.terms.simple) {
      if (!batches.simple) throw new Error('this training step needs a batch of simple labels');
      feeds['simple.x'] = floatTensor(batches.simple.x, [batches.simple.n, D]);
      feeds['simple.y'] = labelTensor(batches.simple.y);
    }
    const out = await this.session.run(feeds);
    const read = (name: string) => out[name]!.data as Float32Array;
    const next: OptimizerState = { step, params: {}, m: {}, v: {} };
    for (const spec of specs) {
      next.params[spec.name] = read(`${spec.name}.next`);
      next.m[spec.name] = read(`${spec.name}.m.next`);
      next.v[spec.name] = read(`${spec.name}.v.next`);
    }
    const scalar = (name: string) => Number(read(name)[0]);
    return {
      state: next,
      losses: {
        total: scalar('loss'),
        large: scalar('loss.large'),
        consistency: scalar('loss.consistency'),
        simple: scalar('loss.simple'),
        prior: scalar('loss.prior'),
      },
    };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

/** The forward pass with parameters as inputs, to evaluate a run's current state on held-out items. */
export class EvaluationSession {
  private constructor(
    private readonly session: InferenceSession,
    readonly network: NetworkConfig,
  ) {}

  static async create(network: NetworkConfig, device: Device): Promise<EvaluationSession> {
    return new EvaluationSession(await createSession(evaluationGraph(network), device), network);
  }

  async run(params: Parameters, x: Float32Array, n: number): Promise<Partial<Record<HeadName, Float32Array>>> {
    // No rows (a dataset with nothing held out): nothing to run.
    if (n === 0) return Object.fromEntries(headNames(this.network).map((head) => [head, new Float32Array(0)]));
    const feeds: Feeds = { features: floatTensor(x, [n, this.network.inputSize]) };
    for (const spec of parameterSpecs(this.network)) feeds[spec.name] = floatTensor(params[spec.name]!, spec.shape);
    const out = await this.session.run(feeds);
    return Object.fromEntries(headNames(this.network).map((head) => [head, out[head]!.data as Float32Array]));
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

/**
 * Optimiser states as bytes: a JSON header (step and tensor sizes per state), a newline, then every
 * tensor's float32 values in header order. What a checkpoint stores.
 */
export function encodeStates(states: Record<string, OptimizerState>): Buffer {
  const header: Record<string, { step: number; tensors: [string, number][] }> = {};
  const chunks: Buffer[] = [];
  for (const [key, state] of Object.entries(states)) {
    const tensors: [string, number][] = [];
    for (const part of ['params', 'm', 'v'] as const) {
      for (const [name, values] of Object.entries(state[part])) {
        tensors.push([`${part}:${name}`, values.length]);
        chunks.push(Buffer.from(values.buffer, values.byteOffset, values.byteLength));
      }
    }
    header[key] = { step: state.step, tensors };
  }
  return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), ...chunks]);
}

export function decodeStates(bytes: Buffer): Record<string, OptimizerState> {
  const newline = bytes.indexOf(10);
  if (newline < 0) throw new Error('checkpoint has no header');
  const header = JSON.parse(bytes.subarray(0, newline).toString()) as Record<string, { step: number; tensors: [string, number][] }>;
  let offset = newline + 1;
  const states: Record<string, OptimizerState> = {};
  for (const [key, { step, tensors }] of Object.entries(header)) {
    const state: OptimizerState = { step, params: {}, m: {}, v: {} };
    for (const [tag, length] of tensors) {
      const [part, name] = tag.split(/:(.*)/s) as ['params' | 'm' | 'v', string];
      const copy = new Float32Array(length);
      new Uint8Array(copy.buffer).set(bytes.subarray(offset, offset + length * 4));
      offset += length * 4;
      state[part][name] = copy;
    }
    states[key] = state;
  }
  if (offset !== bytes.length) throw new Error(`checkpoint has ${bytes.length - offset} bytes past its tensors`);
  return states;
}

export function parameterCount(network: NetworkConfig): number {
  return parameterSpecs(network).reduce((n, spec) => n + sizeOf(spec.shape), 0);
}
