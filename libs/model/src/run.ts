import type { TrainingPoint } from '#tribunal/contracts';
import { calibration, type Calibration } from '#tribunal/judging';
import { inferenceGraph } from './graphs.js';
import { mainMethods, type MethodReport } from './methods.js';
import { initialParameters, type Activation, type HeadName, type NetworkConfig, type Parameters } from './network.js';
import type { Device } from './runtime.js';
import {
  batchOf,
  EvaluationSession,
  initialState,
  StepSession,
  type Examples,
  type Losses,
  type OptimizerState,
  type StepBatches,
  type TrainingSettings,
} from './training.js';

/** The trunk of both the two-head model and the baseline. */
export interface Architecture {
  hidden: number[];
  activation: Activation;
  theta1TrunkLayers: number;
}

export const DEFAULT_ARCHITECTURE: Architecture = { hidden: [64], activation: 'relu', theta1TrunkLayers: 0 };

/** Held-out items: features, the reference answer (ground truth, else the complex label), the simple label; −1 where unknown. */
export interface HeldOut {
  x: Float32Array;
  n: number;
  reference: Int32Array;
  simple: Int32Array;
}

export interface TrainingInput {
  inputSize: number;
  answers: number;
  /** Training items with complex labels. */
  large: Examples;
  /** Training items whose simple and complex labels agree (labels unused). */
  small: Examples;
  /** Training items with their simple labels: the baseline's data, and the μ term's (none: no baseline). */
  simple: Examples;
  /** Training items with the complex label where one exists, else the simple label: the mixture method's data. */
  mixture?: Examples;
  /** Training items whose ground truth is known: the oracle's data (absent or empty: no oracle). */
  truth?: Examples;
  heldOut: HeldOut;
}

export type ProgressPoint = TrainingPoint;

/** How a set of held-out items fared under each head, the baseline and the simple labels themselves. */
export interface SubsetReport {
  items: number;
  intended: Calibration;
  instrumental: Calibration;
  /** Null when the training items had no simple labels to fit a baseline to. */
  baseline: Calibration | null;
  simpleLabels: { accuracy: number | null };
}

export interface Evaluation {
  /** What "correct" means: ground truth where the items have it, else the complex-process labels. */
  reference: 'ground-truth' | 'complex-labels' | 'mixed';
  heldOut: SubsetReport;
  /** Held-out items whose simple label is wrong: where predicting the labeller and answering honestly come apart. */
  simpleWrong: SubsetReport;
  /** The number promotion compares: the intended head's accuracy on held-out items. */
  metric: { name: 'heldOut.intended.accuracy'; value: number | null };
  /**
   * Every method trained on this job's labels, scored alike: always 'two-head' (its intended head)
   * and 'naive' (the baseline), then each method the job asked for (see methods.ts).
   */
  methods: Record<string, MethodReport>;
}

export interface TrainingResult {
  network: NetworkConfig;
  params: Parameters;
  baseline: { network: NetworkConfig; params: Parameters } | null;
  onnx: Uint8Array;
  evaluation: Evaluation;
  finalLoss: Losses;
  /** Wall time of the training steps in this process (a resumed run: since the resume), per network. */
  seconds: { model: number; baseline: number };
}

export interface TrainingHooks {
  /** Called every `evalEvery` steps and at the end. */
  onProgress?: (point: ProgressPoint) => Promise<void> | void;
  /** Called every `checkpointEvery` steps with both states; returning false stops the run (cancelled). */
  onCheckpoint?: (states: { model: OptimizerState; baseline: OptimizerState }) => Promise<boolean> | boolean;
}

export class TrainingCancelled extends Error {}

export function networks(
  input: Pick<TrainingInput, 'inputSize' | 'answers'>,
  architecture: Architecture,
): { model: NetworkConfig; baseline: NetworkConfig } {
  const base = { inputSize: input.inputSize, answers: input.answers, ...architecture };
  return { model: { ...base, heads: 2 }, baseline: { ...base, heads: 1 } };
}

/** Which of the objective's optional terms a run of the two-head model computes. */
export function objectiveTerms(input: TrainingInput, settings: TrainingSettings): { consistency: boolean; simple: boolean } {
  return { consistency: input.small.n > 0 && settings.lambda > 0, simple: settings.mu > 0 };
}

/** The two-head model's batches for one step: each depends only on (seed, step, stream). */
export function twoHeadBatches(
  input: TrainingInput,
  settings: TrainingSettings,
  terms: { consistency: boolean; simple: boolean },
  step: number,
): StepBatches {
  const D = input.inputSize;
  return {
    large: batchOf(input.large, settings.batchSize, D, settings.seed, step, 0),
    small: terms.consistency ? batchOf(input.small, settings.batchSize, D, settings.seed, step, 1) : undefined,
    simple: terms.simple ? batchOf(input.simple, settings.batchSize, D, settings.seed, step, 2) : undefined,
  };
}

/** The baseline's stream of batches; the other one-head methods take their own (comparison.ts). */
export const BASELINE_STREAM = 3;

/**
 * Trains the two-head model and, in lockstep, the naive baseline (one head on simple labels) with
 * the same trunk, seed and schedule. Batches depend only on (seed, step), so a run resumed from a
 * checkpoint takes exactly the steps an uninterrupted one would have.
 */
export async function trainTwoHead(
  input: TrainingInput,
  architecture: Architecture,
  settings: TrainingSettings,
  device: Device,
  hooks: TrainingHooks = {},
  resume?: { model: OptimizerState; baseline: OptimizerState },
): Promise<TrainingResult> {
  if (input.large.n === 0) throw new Error('no training items have complex-process labels yet: label some disputes first');
  if (input.simple.n === 0 && settings.mu > 0)
    throw new Error('mu fits the instrumental head to simple labels, but no training item has one');
  const { model: modelNet, baseline: baselineNet } = networks(input, architecture);
  const terms = objectiveTerms(input, settings);
  const modelInit = initialParameters(modelNet, settings.seed);
  const baselineInit = initialParameters(baselineNet, settings.seed);
  // Without simple labels there is no labeller to imitate, so no baseline.
  const withBaseline = input.simple.n > 0;
  let model = resume?.model ?? initialState(modelInit);
  let baseline = resume?.baseline ?? initialState(baselineInit);
  const modelStep = await StepSession.create(modelNet, terms, device);
  const baselineStep = withBaseline ? await StepSession.create(baselineNet, { consistency: false, simple: false }, device) : null;
  const modelEval = await EvaluationSession.create(modelNet, device);
  const baselineEval = withBaseline ? await EvaluationSession.create(baselineNet, device) : null;
  const D = input.inputSize;
  try {
    let losses: Losses = { total: NaN, large: NaN, consistency: NaN, simple: NaN, prior: NaN };
    let baselineLoss = NaN;
    /** Held-out evaluation of the current parameters; the last one is the run's result. */
    let evaluation: Evaluation | undefined;
    const report = async () => {
      const m = await modelEval.run(model.params, input.heldOut.x, input.heldOut.n);
      const b = await baselineEval?.run(baseline.params, input.heldOut.x, input.heldOut.n);
      evaluation = evaluate(input.heldOut, input.answers, {
        intended: m.intended!,
        instrumental: m.instrumental!,
        baseline: b?.label ?? null,
      });
      const { heldOut } = evaluation;
      await hooks.onProgress?.({
        step: model.step,
        steps: settings.steps,
        loss: losses,
        baselineLoss,
        heldOut: {
          intended: heldOut.intended.accuracy,
          instrumental: heldOut.instrumental.accuracy,
          baseline: heldOut.baseline?.accuracy ?? null,
        },
      });
    };
    const seconds = { model: 0, baseline: 0 };
    while (model.step < settings.steps) {
      const step = model.step;
      let clock = performance.now();
      const modelOut = await modelStep.run(model, modelInit, twoHeadBatches(input, settings, terms, step), settings);
      seconds.model += (performance.now() - clock) / 1000;
      clock = performance.now();
      const baselineOut = await baselineStep?.run(
        baseline,
        baselineInit,
        { large: batchOf(input.simple, settings.batchSize, D, settings.seed, step, BASELINE_STREAM) },
        settings,
      );
      seconds.baseline += (performance.now() - clock) / 1000;
      model = modelOut.state;
      losses = modelOut.losses;
      if (baselineOut) {
        baseline = baselineOut.state;
        baselineLoss = baselineOut.losses.total;
      }
      if (!Number.isFinite(losses.total))
        throw new Error(`the loss diverged at step ${model.step} (${losses.total}); lower the learning rate`);
      if (model.step % settings.evalEvery === 0 || model.step === settings.steps) await report();
      if (model.step % settings.checkpointEvery === 0 && model.step < settings.steps && hooks.onCheckpoint) {
        if (!(await hooks.onCheckpoint({ model, baseline }))) throw new TrainingCancelled(`cancelled at step ${model.step}`);
      }
    }
    // The last step always reports, so its evaluation is the run's.
    if (!evaluation) await report();
    Object.assign(evaluation!.methods['two-head']!, { labels: input.large.n, seconds: seconds.model });
    if (withBaseline) Object.assign(evaluation!.methods.naive!, { labels: input.simple.n, seconds: seconds.baseline });
    return {
      network: modelNet,
      params: model.params,
      baseline: withBaseline ? { network: baselineNet, params: baseline.params } : null,
      onnx: inferenceGraph(modelNet, model.params),
      evaluation: evaluation!,
      finalLoss: losses,
      seconds,
    };
  } finally {
    await Promise.all([modelStep.release(), baselineStep?.release(), modelEval.release(), baselineEval?.release()]);
  }
}

/** Accuracy and calibration of each head and the baseline on held-out items, and on those whose simple label is wrong. */
export function evaluate(
  heldOut: HeldOut,
  K: number,
  probs: { intended: Float32Array; instrumental: Float32Array; baseline: Float32Array | null },
  reference: Evaluation['reference'] = 'ground-truth',
): Evaluation {
  const subset = (keep: (i: number) => boolean): SubsetReport => {
    const rows: number[] = [];
    for (let i = 0; i < heldOut.n; i++) if ((heldOut.reference[i] as number) >= 0 && keep(i)) rows.push(i);
    const forecasts = (p: Float32Array) =>
      rows.map((i) => ({ probabilities: Array.from(p.subarray(i * K, (i + 1) * K)), truth: heldOut.reference[i] as number }));
    const simpleKnown = rows.filter((i) => (heldOut.simple[i] as number) >= 0);
    return {
      items: rows.length,
      intended: calibration(forecasts(probs.intended)),
      instrumental: calibration(forecasts(probs.instrumental)),
      baseline: probs.baseline ? calibration(forecasts(probs.baseline)) : null,
      simpleLabels: {
        accuracy: simpleKnown.length
          ? simpleKnown.filter((i) => heldOut.simple[i] === heldOut.reference[i]).length / simpleKnown.length
          : null,
      },
    };
  };
  const all = subset(() => true);
  return {
    reference,
    heldOut: all,
    simpleWrong: subset((i) => (heldOut.simple[i] as number) >= 0 && heldOut.simple[i] !== heldOut.reference[i]),
    metric: { name: 'heldOut.intended.accuracy', value: all.intended.accuracy },
    methods: mainMethods(heldOut, K, probs),
  };
}

export type { HeadName };
