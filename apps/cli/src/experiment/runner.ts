import { isJsonObject } from '../../../../libs/contracts/src/index.js';
import { PRESETS } from '../../../../libs/debate/src/index.js';
import { trainingEnded, type Api, type Json } from '../api-client.js';
import { UsageError } from '../protocols-command.js';

export const EXPERIMENT_KINDS = ['direct', 'consultancy', 'debate'] as const;
export type ExperimentKind = (typeof EXPERIMENT_KINDS)[number];

/**
 * The headline experiment, as data. A comparison world is debated in full under each protocol to
 * compare judges; a training world's disputes are debated under the `debate` protocol, and the
 * resulting labels train the two-head model beside the naive baseline.
 */
export interface ExperimentConfig {
  name: string;
  seed: number;
  /** Built-in world parameters (room size, hiding probability, labeller noise, …). */
  world: Record<string, unknown>;
  comparison: { rooms: number };
  training: { rooms: number; auditFraction: number; architecture: Record<string, unknown>; settings: Record<string, unknown> };
  /** Per kind, a preset and changes to it (e.g. `debaters` naming an OpenAI-compatible endpoint). */
  protocols: Record<ExperimentKind, { preset: string; changes: Record<string, unknown> }>;
  /** Simulated judges per debate. */
  judges: number;
  concurrency: number;
}

const DEFAULT_PROTOCOLS: ExperimentConfig['protocols'] = {
  direct: { preset: 'direct', changes: {} },
  consultancy: { preset: 'khan-2024-consultancy', changes: {} },
  debate: { preset: 'khan-2024-debate', changes: {} },
};

/** A config file's contents over the defaults; every problem named. */
export function experimentConfig(raw: unknown): ExperimentConfig {
  const body = raw ?? {};
  if (!isJsonObject(body)) throw new UsageError('an experiment config is a mapping (YAML or JSON)');
  const problems: string[] = [];
  const known = ['name', 'seed', 'world', 'comparison', 'training', 'protocols', 'judges', 'concurrency'];
  for (const key of Object.keys(body))
    if (!known.includes(key)) problems.push(`${key} is not an experiment field (known: ${known.join(', ')})`);
  const int = (value: unknown, path: string, min: number, max: number, fallback: number) => {
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || (value as number) < min || (value as number) > max)
      problems.push(`${path} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
    return value as number;
  };
  const comparison = isJsonObject(body.comparison) ? body.comparison : {};
  const training = isJsonObject(body.training) ? body.training : {};
  const auditFraction = training.auditFraction ?? 0.6;
  if (typeof auditFraction !== 'number' || !(auditFraction > 0 && auditFraction <= 1))
    problems.push('training.auditFraction must be a number in (0, 1]');
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
  const config: ExperimentConfig = {
    name: typeof body.name === 'string' && /^[a-z0-9][a-z0-9._-]*$/.test(body.name) ? body.name : 'experiment',
    seed: int(body.seed, 'seed', 0, 2 ** 31 - 1, 1),
    world: isJsonObject(body.world) ? body.world : {},
    comparison: { rooms: int(comparison.rooms, 'comparison.rooms', 1, 100_000, 60) },
    training: {
      rooms: int(training.rooms, 'training.rooms', 10, 1_000_000, 300),
      auditFraction: auditFraction as number,
      architecture: isJsonObject(training.architecture) ? training.architecture : {},
      settings: isJsonObject(training.settings) ? training.settings : {},
    },
    protocols,
    judges: int(body.judges, 'judges', 1, 10, 1),
    concurrency: int(body.concurrency, 'concurrency', 1, 1000, 8),
  };
  if (body.name !== undefined && config.name !== body.name) problems.push('name must be lower-case letters, digits, ".", "_" or "-"');
  if (problems.length) throw new UsageError(problems.join('; '));
  return config;
}

export interface ProtocolOutcome {
  kind: ExperimentKind;
  protocol: string;
  debates: number;
  failed: number;
  judge: {
    accuracy: number | null;
    ece: number | null;
    brier: number | null;
    reliability: { meanConfidence: number; accuracy: number; count: number }[];
  };
  labels: { count: number; accuracy: number | null; adjudicated: number };
}

export interface ExperimentResult {
  config: ExperimentConfig;
  comparison: { rooms: number; simpleLabelAccuracy: number | null; protocols: ProtocolOutcome[] };
  training: {
    rooms: number;
    disputes: number;
    labelled: number;
    adjudicated: number;
    simpleLabelAccuracy: { all: number | null; labelled: number | null };
    complexLabelAccuracy: number | null;
  };
  model: { modelVersionId: string; name: string; evaluation: Json; progress: Json[]; seconds: number };
}

export type Progress = (phase: string, done: number, total: number) => void;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

async function allItems(api: Api, datasetId: string): Promise<Json[]> {
  const items: Json[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = (await api.call('GET', `/datasets/${datasetId}/items?limit=1000&offset=${offset}`)) as Json[];
    items.push(...page);
    if (page.length < 1000) return items;
  }
}

async function labelsOf(api: Api, datasetId: string): Promise<Json[]> {
  const text = await api.text(`/labels?after=0&datasetId=${datasetId}`);
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Json);
}

/** Runs campaigns to their end, reporting finished debates of all of them together. */
async function campaigns(api: Api, launches: Json[], total: number, phase: string, progress: Progress): Promise<void> {
  const ids: string[] = [];
  for (const launch of launches) ids.push((await api.call('POST', '/campaigns', launch)).id as string);
  for (;;) {
    const views = await Promise.all(ids.map((id) => api.call('GET', `/campaigns/${id}`)));
    const done = views.reduce((n, v) => n + (v.debates.completed ?? 0) + (v.debates.failed ?? 0), 0);
    progress(phase, done, total);
    if (views.every((v) => v.status === 'completed')) return;
    await sleep(500);
  }
}

/** The whole experiment against a running Tribunal, through its HTTP API. */
export async function runExperiment(api: Api, config: ExperimentConfig, progress: Progress): Promise<ExperimentResult> {
  const run = `${config.name}-${Date.now().toString(36)}`;
  const protocolIds = {} as Record<ExperimentKind, string>;
  for (const kind of EXPERIMENT_KINDS) {
    const { preset, changes } = config.protocols[kind];
    const spec = { ...PRESETS[preset], judges: { count: config.judges, kind: 'simulated' }, ...changes };
    protocolIds[kind] = (await api.call('POST', '/protocols', { name: `${run}-${kind}`, spec })).id;
  }

  // Judges compared: every room of the comparison world under every protocol. Each protocol gets its
  // own copy of the world (same seed, same rooms), so a dispute's label pools only its own judges.
  const copies = {} as Record<ExperimentKind, { datasetId: string; disputeIds: string[] }>;
  for (const kind of EXPERIMENT_KINDS) {
    const copy = await api.call('POST', '/datasets/world', {
      name: `${run}-${kind}`,
      seed: config.seed,
      size: config.comparison.rooms,
      params: config.world,
    });
    const disputes = (await api.call('POST', `/datasets/${copy.id}/disputes`, {
      auditFraction: 1,
      minBlindCells: 10_000,
      seed: config.seed,
    })) as Json[];
    copies[kind] = { datasetId: copy.id, disputeIds: disputes.map((d) => d.id as string) };
  }
  await campaigns(
    api,
    EXPERIMENT_KINDS.map((kind) => ({
      name: `${run}-${kind}`,
      protocolId: protocolIds[kind],
      disputeIds: copies[kind].disputeIds,
      concurrency: config.concurrency,
    })),
    EXPERIMENT_KINDS.reduce((n, kind) => n + copies[kind].disputeIds.length, 0),
    'judging',
    progress,
  );
  // Every copy holds the same rooms; the simple labels' accuracy is read from any of them.
  let comparisonItems: Json[] = [];
  const protocols: ProtocolOutcome[] = [];
  for (const kind of EXPERIMENT_KINDS) {
    const { datasetId, disputeIds } = copies[kind];
    const [row] = (await api.call('GET', `/analytics/protocols?datasetId=${datasetId}`)) as Json[];
    comparisonItems = await allItems(api, datasetId);
    const truth = new Map(comparisonItems.map((i) => [i.id, i.groundTruth]));
    const labels = await labelsOf(api, datasetId);
    protocols.push({
      kind,
      protocol: `${run}-${kind}`,
      debates: row?.stats.debates ?? 0,
      failed: row?.stats.failed ?? 0,
      judge: {
        accuracy: row?.stats.accuracy ?? null,
        ece: row?.stats.ece ?? null,
        brier: row?.stats.brier ?? null,
        reliability: row?.stats.reliability ?? [],
      },
      labels: {
        count: labels.length,
        accuracy: mean(labels.map((l) => (l.answer === truth.get(l.itemId) ? 1 : 0))),
        adjudicated: labels.length / Math.max(1, disputeIds.length),
      },
    });
  }

  // The learning loop: disputes of the training world debated, labels, then training.
  const world = await api.call('POST', '/datasets/world', {
    name: `${run}-training`,
    seed: config.seed + 1,
    size: config.training.rooms,
    params: config.world,
  });
  const trainingDisputes = (await api.call('POST', `/datasets/${world.id}/disputes`, {
    auditFraction: config.training.auditFraction,
    minBlindCells: 10_000,
    seed: config.seed,
  })) as Json[];
  await campaigns(
    api,
    [{ name: `${run}-training`, protocolId: protocolIds.debate, datasetId: world.id, concurrency: config.concurrency }],
    trainingDisputes.length,
    'labelling',
    progress,
  );
  const items = await allItems(api, world.id);
  const byId = new Map(items.map((i) => [i.id, i]));
  const latest = new Map<string, Json>();
  for (const label of await labelsOf(api, world.id)) latest.set(label.itemId, label);
  const labelled = [...latest.values()];
  const right = (answer: number | null, item: Json) => (answer === item.groundTruth ? 1 : 0);

  const job = await api.call('POST', '/training-jobs', {
    datasetId: world.id,
    architecture: config.training.architecture,
    settings: config.training.settings,
  });
  const started = Date.now();
  const view = await api.poll(
    `/training-jobs/${job.id}`,
    trainingEnded,
    (view) => {
      const last = view.progress.at(-1);
      if (last) progress('training', last.step, last.steps);
    },
    300,
  );
  if (view.status !== 'completed') throw new UsageError(`training ${view.status}: ${view.error ?? ''}`);
  const version = await api.call('GET', `/models/${view.modelVersionId}`);

  return {
    config,
    comparison: {
      rooms: config.comparison.rooms,
      simpleLabelAccuracy: mean(comparisonItems.map((i) => right(i.simpleLabel, i))),
      protocols,
    },
    training: {
      rooms: items.length,
      disputes: trainingDisputes.length,
      labelled: labelled.length,
      adjudicated: labelled.length / Math.max(1, items.length),
      simpleLabelAccuracy: {
        all: mean(items.map((i) => right(i.simpleLabel, i))),
        labelled: mean(labelled.map((l) => right(byId.get(l.itemId).simpleLabel, byId.get(l.itemId)))),
      },
      complexLabelAccuracy: mean(labelled.map((l) => right(l.answer, byId.get(l.itemId)))),
    },
    model: {
      modelVersionId: version.id,
      name: version.name,
      evaluation: version.evaluation,
      progress: view.progress,
      seconds: (Date.now() - started) / 1000,
    },
  };
}
