import { createHash } from 'node:crypto';
import { Invalid, isJsonObject } from '#tribunal/contracts';
import { methodsProblems, type OptionalMethod } from './methods.js';
import { ACTIVATIONS } from './network.js';
import { DEFAULT_ARCHITECTURE, type Architecture } from './run.js';
import { DEFAULT_SELECTION, selectionProblems, type SelectionRules } from './scoring.js';
import { DEFAULT_SETTINGS, settingsProblems, type TrainingSettings } from './training.js';

/** What a training job is asked to do: the trunk, the objective's weights and schedule, and the device it needs. */
export interface TrainingConfig {
  architecture: Architecture;
  settings: TrainingSettings;
  /** Fail rather than fall back to the CPU when no GPU can be used. */
  requireGpu: boolean;
  /**
   * Methods to train beside the two-head model and its naive baseline, on the same labels, seed and
   * schedule, for comparison (methods.ts); [] trains none. Older stored configs lack it.
   */
  methods: OptionalMethod[];
  /**
   * Train on at most this many of the complex-process labels, a sample drawn with the settings' seed
   * when the job first starts (a learning curve, or seed 002's regime of few complex labels); null
   * for all of them. The simple labels are never sampled.
   */
  complexLabels: number | null;
}

/** How a dataset's model is kept up to date. */
export interface ModelPolicy {
  /**
   * Fraction of items never trained on nor disputed, by a hash of the item's external id: fixed, so
   * versions compare on the same items. 0 holds none out (a dataset only for comparing protocols).
   */
  heldOutFraction: number;
  /** Queue a training job every this many new accepted labels; null: only by hand. */
  retrainEveryLabels: number | null;
  /** Promote a finished version when it beats the active one on the held-out metric. */
  autoPromote: boolean;
  /** Score the dataset again with a newly promoted version, choosing the next disputes. */
  rescoreOnPromote: boolean;
  /** Defaults for training jobs of the dataset (a request may override them). */
  training: { architecture?: Partial<Architecture>; settings?: Partial<TrainingSettings>; methods?: OptionalMethod[] };
  selection: SelectionRules;
}

export const DEFAULT_POLICY: ModelPolicy = {
  heldOutFraction: 0.2,
  retrainEveryLabels: null,
  autoPromote: false,
  rescoreOnPromote: true,
  training: {},
  selection: DEFAULT_SELECTION,
};

export function architectureProblems(value: Record<string, unknown>, path = 'architecture'): string[] {
  const problems: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    if (key === 'hidden') {
      if (!Array.isArray(v) || v.length > 8 || !v.every((w) => Number.isInteger(w) && w >= 1 && w <= 8192))
        problems.push(`${path}.hidden must be a list of at most 8 layer widths from 1 to 8192, got ${JSON.stringify(v)}`);
    } else if (key === 'activation') {
      if (!ACTIVATIONS.includes(v as never))
        problems.push(`${path}.activation must be one of ${ACTIVATIONS.join(', ')}, got ${JSON.stringify(v)}`);
    } else if (key === 'theta1TrunkLayers') {
      if (!Number.isInteger(v) || (v as number) < 0)
        problems.push(`${path}.theta1TrunkLayers must be a whole number, got ${JSON.stringify(v)}`);
    } else problems.push(`${path}.${key} is not an architecture field (known: hidden, activation, theta1TrunkLayers)`);
  }
  const hidden = Array.isArray(value.hidden) ? value.hidden.length : DEFAULT_ARCHITECTURE.hidden.length;
  if (Number.isInteger(value.theta1TrunkLayers) && (value.theta1TrunkLayers as number) > hidden)
    problems.push(`${path}.theta1TrunkLayers cannot exceed the trunk's ${hidden} layers`);
  return problems;
}

const TRAINING_FIELDS = ['architecture', 'settings', 'requireGpu', 'methods', 'complexLabels'];

/** Every problem with a training request (architecture, settings, requireGpu, methods), each naming its field. */
export function trainingProblems(body: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(body))
    if (!TRAINING_FIELDS.includes(key)) problems.push(`${key} is not a training field (known: ${TRAINING_FIELDS.join(', ')})`);
  const architecture = body.architecture ?? {};
  const settings = body.settings ?? {};
  if (!isJsonObject(architecture)) problems.push('architecture must be an object');
  else problems.push(...architectureProblems(architecture));
  if (!isJsonObject(settings)) problems.push('settings must be an object');
  else problems.push(...settingsProblems(settings).map((p) => `settings.${p}`));
  if (body.requireGpu !== undefined && typeof body.requireGpu !== 'boolean') problems.push('requireGpu must be true or false');
  if (body.methods !== undefined) problems.push(...methodsProblems(body.methods));
  const limit = body.complexLabels;
  if (limit !== undefined && limit !== null && !(Number.isInteger(limit) && (limit as number) >= 1))
    problems.push(`complexLabels must be a whole number of at least 1, or null for every label, got ${JSON.stringify(limit)}`);
  return problems;
}

/** A training request merged over a policy's training defaults and the defaults; throws `Invalid` naming every problem. */
export function trainingConfig(request: unknown, base: ModelPolicy['training'] = {}): TrainingConfig {
  const body = request ?? {};
  if (!isJsonObject(body)) throw new Invalid('a training request is an object with architecture, settings, requireGpu and methods');
  const problems = trainingProblems(body);
  const architecture = body.architecture ?? {};
  const settings = body.settings ?? {};
  if (problems.length) throw new Invalid(problems);
  return {
    architecture: { ...DEFAULT_ARCHITECTURE, ...base.architecture, ...(architecture as Partial<Architecture>) },
    settings: { ...DEFAULT_SETTINGS, ...base.settings, ...(settings as Partial<TrainingSettings>) },
    requireGpu: (body.requireGpu as boolean | undefined) ?? false,
    methods: [...((body.methods as OptionalMethod[] | undefined) ?? base.methods ?? [])],
    complexLabels: (body.complexLabels as number | null | undefined) ?? null,
  };
}

/** A stored policy with a change applied; throws `Invalid` naming every problem. */
export function modelPolicy(current: Partial<ModelPolicy>, change: unknown): ModelPolicy {
  if (!isJsonObject(change)) throw new Invalid('a model policy is an object');
  const merged = { ...DEFAULT_POLICY, ...current, ...change } as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(change))
    if (!(key in DEFAULT_POLICY)) problems.push(`${key} is not a policy field (known: ${Object.keys(DEFAULT_POLICY).join(', ')})`);
  const fraction = merged.heldOutFraction;
  if (typeof fraction !== 'number' || !(fraction >= 0 && fraction < 1))
    problems.push(`heldOutFraction must be a number from 0 (none held out) to below 1, got ${JSON.stringify(fraction)}`);
  const every = merged.retrainEveryLabels;
  if (every !== null && !(Number.isInteger(every) && (every as number) >= 1))
    problems.push(`retrainEveryLabels must be a positive whole number or null, got ${JSON.stringify(every)}`);
  for (const key of ['autoPromote', 'rescoreOnPromote'] as const)
    if (typeof merged[key] !== 'boolean') problems.push(`${key} must be true or false`);
  if (!isJsonObject(merged.selection)) problems.push('selection must be an object');
  else {
    problems.push(...selectionProblems(merged.selection).map((p) => `selection.${p}`));
    merged.selection = { ...DEFAULT_SELECTION, ...(current.selection ?? {}), ...merged.selection };
  }
  if (!isJsonObject(merged.training)) problems.push('training must be an object');
  else problems.push(...trainingProblems(merged.training).map((p) => `training.${p}`));
  if (problems.length) throw new Invalid(problems);
  return merged as unknown as ModelPolicy;
}

/**
 * Whether an item is held out: a hash of its external id under the fraction, so the split never
 * changes, and a dataset loaded again (the same world, the same upload) splits the same way.
 */
export function isHeldOut(externalId: string, fraction: number): boolean {
  const digest = createHash('sha256').update(`held-out:${externalId}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32 < fraction;
}
