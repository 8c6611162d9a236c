import { initialParameters, type NetworkConfig, type Parameters } from './network.js';
import { methodReport, OPTIONAL_METHODS, withGapRecovered, type MethodReport, type OptionalMethod } from './methods.js';
import {
  networks,
  objectiveTerms,
  TrainingCancelled,
  twoHeadBatches,
  type Architecture,
  type Evaluation,
  type TrainingInput,
} from './run.js';
import type { Device } from './runtime.js';
import {
  batchOf,
  EvaluationSession,
  initialState,
  StepSession,
  type Examples,
  type StepBatches,
  type TrainingSettings,
} from './training.js';

export interface MethodHooks {
  /** Asked every `checkpointEvery` steps of each method; false stops the run (cancelled). */
  shouldContinue?: () => Promise<boolean> | boolean;
  /** Called as each requested method finishes (or is found unavailable). */
  onMethod?: (name: OptionalMethod, report: MethodReport) => Promise<void> | void;
}

/** Each one-head method's own stream of batches (the baseline takes 3; the two-head model 0–2). */
const STREAMS: Record<'complex-only' | 'mixture' | 'oracle', number> = {
  // The large set's batches, step for step, as the two-head model's first term sees them.
  'complex-only': 0,
  mixture: 4,
  oracle: 5,
};

/**
 * Trains each requested method beside a finished two-head run, from scratch, with the run's trunk,
 * settings (but for the method's own change), seed and number of steps: deterministic, and with no
 * effect on the run itself. Returns every method's report, the run's 'two-head' and 'naive' first,
 * with the gap each recovers between naive and the oracle.
 */
export async function trainMethods(
  input: TrainingInput,
  architecture: Architecture,
  settings: TrainingSettings,
  methods: readonly OptionalMethod[],
  device: Device,
  main: Evaluation,
  hooks: MethodHooks = {},
): Promise<Record<string, MethodReport>> {
  const reports: Record<string, MethodReport> = { ...main.methods };
  const twoHead = main.methods['two-head']!;
  const same = (note: string): MethodReport => ({
    ...twoHead,
    seconds: null,
    note: `${note}: the same run as two-head, not trained again`,
  });
  const unavailable = (note: string) => methodReport(input.heldOut, input.answers, null, { head: 'label', note });
  const net = networks(input, architecture);
  const mainTerms = objectiveTerms(input, settings);
  // Canonical order, whatever the request's.
  for (const name of OPTIONAL_METHODS.filter((m) => methods.includes(m))) {
    let report: MethodReport;
    if (name === 'two-head-mu0' || name === 'two-head-lambda0') {
      const variant = { ...settings, ...(name === 'two-head-mu0' ? { mu: 0 } : { lambda: 0 }) };
      const terms = objectiveTerms(input, variant);
      if (terms.consistency === mainTerms.consistency && terms.simple === mainTerms.simple) {
        report = same(
          name === 'two-head-mu0'
            ? 'mu is already 0'
            : settings.lambda === 0
              ? 'lambda is already 0'
              : 'no labelled training item agrees with its simple label, so the consistency term is already empty',
        );
      } else {
        report = await fitAndScore(input, net.model, terms, (step) => twoHeadBatches(input, variant, terms, step), variant, device, hooks, {
          head: 'intended',
          labels: input.large.n,
        });
      }
    } else {
      const set: Examples | undefined = name === 'complex-only' ? input.large : name === 'mixture' ? input.mixture : input.truth;
      if (!set || set.n === 0) {
        report = unavailable(
          name === 'oracle'
            ? set
              ? 'no training item has a known ground truth'
              : "this job's training data does not record ground truth"
            : set
              ? `no training item has a label for ${name}`
              : `this job's training data has no ${name} set`,
        );
      } else {
        const stream = STREAMS[name];
        report = await fitAndScore(
          input,
          net.baseline,
          { consistency: false, simple: false },
          (step) => ({ large: batchOf(set, settings.batchSize, input.inputSize, settings.seed, step, stream) }),
          settings,
          device,
          hooks,
          { head: 'label', labels: set.n },
        );
      }
    }
    reports[name] = report;
    await hooks.onMethod?.(name, report);
  }
  return withGapRecovered(reports);
}

/** Trains one network from its seeded initialisation for `settings.steps` steps, then scores its head on the held-out items. */
async function fitAndScore(
  input: TrainingInput,
  network: NetworkConfig,
  terms: { consistency: boolean; simple: boolean },
  batches: (step: number) => StepBatches,
  settings: TrainingSettings,
  device: Device,
  hooks: MethodHooks,
  info: { head: MethodReport['head']; labels: number },
): Promise<MethodReport> {
  const started = performance.now();
  const init = initialParameters(network, settings.seed);
  let state = initialState(init);
  let params: Parameters | null = null;
  let note: string | null = null;
  const session = await StepSession.create(network, terms, device);
  try {
    while (state.step < settings.steps) {
      const out = await session.run(state, init, batches(state.step), settings);
      state = out.state;
      if (!Number.isFinite(out.losses.total)) {
        note = `the loss diverged at step ${state.step} (${out.losses.total}); lower the learning rate`;
        break;
      }
      if (state.step % settings.checkpointEvery === 0 && state.step < settings.steps && hooks.shouldContinue) {
        if (!(await hooks.shouldContinue())) throw new TrainingCancelled(`cancelled while training the methods, at step ${state.step}`);
      }
    }
    if (note === null) params = state.params;
  } finally {
    await session.release();
  }
  const seconds = (performance.now() - started) / 1000;
  if (!params) return methodReport(input.heldOut, input.answers, null, { ...info, seconds, note });
  const evaluation = await EvaluationSession.create(network, device);
  try {
    const out = await evaluation.run(params, input.heldOut.x, input.heldOut.n);
    return methodReport(input.heldOut, input.answers, out[info.head]!, { ...info, seconds });
  } finally {
    await evaluation.release();
  }
}
