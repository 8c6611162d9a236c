import { EXPERIMENT_KINDS, isJsonObject, type ExperimentConfig, type ExperimentKind, type Regime } from '#tribunal/contracts';
import { PRESETS } from '#tribunal/debate';
import { OPTIONAL_METHODS } from '#tribunal/model';
import { UsageError } from '../protocols-command.js';

/** The single-head baselines and ablations trained beside the two-head model on the same labels. */
export const METHODS = OPTIONAL_METHODS;

const DEFAULT_PROTOCOLS: ExperimentConfig['protocols'] = {
  direct: { preset: 'direct', changes: {} },
  consultancy: { preset: 'khan-2024-consultancy', changes: {} },
  debate: { preset: 'khan-2024-debate', changes: {} },
};

/**
 * The default regime is the objective as the platform trains it (μ = 0: the instrumental head learns
 * only through the consistency term); `simple-labels` adds the simple label of every training item
 * (μ > 0) so that the shared trunk learns from them; `few-labels` is the regime seed 002 argues for,
 * simple labels for every item and few complex labels.
 */
const DEFAULT_REGIMES: Regime[] = [
  { name: 'default', settings: {}, complexLabels: null },
  { name: 'simple-labels', settings: { mu: 1 }, complexLabels: null },
  { name: 'few-labels', settings: { mu: 1 }, complexLabels: 15 },
];

const KNOWN = ['name', 'seeds', 'worlds', 'comparison', 'training', 'protocols', 'judges', 'concurrency'];
const KNOWN_TRAINING = [
  'rooms',
  'heldOutFraction',
  'budget',
  'rounds',
  'firstRound',
  'audit',
  'architecture',
  'settings',
  'methods',
  'regimes',
];

/** A config file's contents over the defaults; every problem named. `quick` keeps one seed per world. */
export function experimentConfig(raw: unknown, options: { quick?: boolean } = {}): ExperimentConfig {
  const body = raw ?? {};
  if (!isJsonObject(body)) throw new UsageError('an experiment config is a mapping (YAML or JSON)');
  const problems: string[] = [];
  for (const key of Object.keys(body))
    if (!KNOWN.includes(key)) problems.push(`${key} is not an experiment field (known: ${KNOWN.join(', ')})`);
  const int = (value: unknown, path: string, min: number, max: number, fallback: number) => {
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || (value as number) < min || (value as number) > max)
      problems.push(`${path} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
    return value as number;
  };
  const fraction = (value: unknown, path: string, fallback: number, open: 'zero-allowed' | 'above-zero') => {
    if (value === undefined) return fallback;
    const ok = typeof value === 'number' && value <= 1 && (open === 'zero-allowed' ? value >= 0 : value > 0);
    if (!ok)
      problems.push(
        `${path} must be a number ${open === 'zero-allowed' ? 'from 0 to 1' : 'above 0 and at most 1'}, got ${JSON.stringify(value)}`,
      );
    return value as number;
  };
  const mapping = (value: unknown, path: string): Record<string, unknown> => {
    if (value === undefined) return {};
    if (!isJsonObject(value)) {
      problems.push(`${path} must be a mapping`);
      return {};
    }
    return value;
  };

  const comparison = mapping(body.comparison, 'comparison');
  for (const key of Object.keys(comparison))
    if (key !== 'rooms') problems.push(`comparison.${key} is not a comparison field (known: rooms)`);
  const training = mapping(body.training, 'training');
  for (const key of Object.keys(training))
    if (!KNOWN_TRAINING.includes(key)) problems.push(`training.${key} is not a training field (known: ${KNOWN_TRAINING.join(', ')})`);

  let seeds = [1, 2, 3];
  if (body.seeds !== undefined) {
    if (!Array.isArray(body.seeds) || body.seeds.length === 0 || !body.seeds.every((s) => Number.isInteger(s) && s >= 0 && s < 2 ** 31))
      problems.push(`seeds must be a non-empty list of integers from 0 to 2147483647, got ${JSON.stringify(body.seeds)}`);
    else if (new Set(body.seeds).size !== body.seeds.length) problems.push('seeds must be distinct');
    else seeds = body.seeds as number[];
  }

  let worlds = [{ name: 'default', params: {} as Record<string, unknown> }];
  if (body.worlds !== undefined) {
    if (!isJsonObject(body.worlds) || Object.keys(body.worlds).length === 0)
      problems.push('worlds must be a mapping of names to world parameters, the first being the default world');
    else {
      worlds = [];
      for (const [name, params] of Object.entries(body.worlds)) {
        if (!/^[a-z0-9][a-z0-9._-]*$/.test(name))
          problems.push(`worlds.${name}: a world's name is lower-case letters, digits, ".", "_" or "-"`);
        worlds.push({ name, params: mapping(params ?? {}, `worlds.${name}`) });
      }
    }
  }

  const methods = training.methods ?? [...METHODS];
  if (!Array.isArray(methods) || !methods.every((m) => METHODS.includes(m as never)))
    problems.push(`training.methods must be a list of ${METHODS.join(', ')}, got ${JSON.stringify(training.methods)}`);

  let regimes = DEFAULT_REGIMES;
  if (training.regimes !== undefined) {
    if (!isJsonObject(training.regimes) || Object.keys(training.regimes).length === 0)
      problems.push('training.regimes must be a mapping of names to settings of the two-head objective');
    else
      regimes = Object.entries(training.regimes).map(([name, value]) => {
        const { complexLabels = null, ...settings } = mapping(value ?? {}, `training.regimes.${name}`);
        if (complexLabels !== null && !(Number.isInteger(complexLabels) && (complexLabels as number) >= 1))
          problems.push(
            `training.regimes.${name}.complexLabels must be a whole number of at least 1, got ${JSON.stringify(complexLabels)}`,
          );
        return { name, settings, complexLabels: complexLabels as number | null };
      });
  }

  const protocols = { ...DEFAULT_PROTOCOLS };
  if (body.protocols !== undefined) {
    if (!isJsonObject(body.protocols)) problems.push('protocols must be a mapping of direct, consultancy, debate');
    else
      for (const [kind, value] of Object.entries(body.protocols)) {
        if (!EXPERIMENT_KINDS.includes(kind as ExperimentKind))
          problems.push(`protocols.${kind} is not one of ${EXPERIMENT_KINDS.join(', ')}`);
        else if (!isJsonObject(value)) problems.push(`protocols.${kind} must be a mapping: { preset, ...changes }`);
        else {
          const { preset = DEFAULT_PROTOCOLS[kind as ExperimentKind].preset, ...changes } = value;
          if (typeof preset !== 'string' || !PRESETS[preset])
            problems.push(`protocols.${kind}.preset must be one of ${Object.keys(PRESETS).join(', ')}`);
          protocols[kind as ExperimentKind] = { preset: preset as string, changes };
        }
      }
  }

  const rounds = int(training.rounds, 'training.rounds', 1, 20, 2);
  const config: ExperimentConfig = {
    name: typeof body.name === 'string' && /^[a-z0-9][a-z0-9._-]*$/.test(body.name) ? body.name : 'experiment',
    seeds: options.quick ? seeds.slice(0, 1) : seeds,
    worlds,
    comparison: { rooms: int(comparison.rooms, 'comparison.rooms', 1, 100_000, 60) },
    training: {
      rooms: int(training.rooms, 'training.rooms', 10, 1_000_000, 2400),
      heldOutFraction: fraction(training.heldOutFraction, 'training.heldOutFraction', 0.25, 'above-zero'),
      budget: fraction(training.budget, 'training.budget', 0.1, 'above-zero'),
      rounds,
      firstRound: rounds === 1 ? 1 : fraction(training.firstRound, 'training.firstRound', 0.5, 'above-zero'),
      audit: fraction(training.audit, 'training.audit', 0.02, 'zero-allowed'),
      architecture: mapping(training.architecture, 'training.architecture'),
      settings: mapping(training.settings, 'training.settings'),
      methods: methods as string[],
      regimes,
    },
    protocols,
    judges: int(body.judges, 'judges', 1, 10, 1),
    concurrency: int(body.concurrency, 'concurrency', 1, 1000, 8),
  };
  if (config.training.heldOutFraction >= 1) problems.push('training.heldOutFraction must be below 1: some rooms must be left to train on');
  if (body.name !== undefined && config.name !== body.name) problems.push('name must be lower-case letters, digits, ".", "_" or "-"');
  if (problems.length) throw new UsageError(problems.join('; '));
  return config;
}
