import { PRESETS } from '#tribunal/debate';
import { isHeldOut } from '#tribunal/model';
import { data, trainingEnded, type Api } from '../api-client.js';
import { UsageError } from '../protocols-command.js';
import {
  EXPERIMENT_KINDS,
  type ComparisonResult,
  type ExperimentConfig,
  type ExperimentKind,
  type ExperimentResult,
  type MethodResult,
  type ProtocolOutcome,
  type RunResult,
  type ApiComponents,
  type ItemView,
  type LabelRecord,
} from '#tribunal/contracts';

type Schemas = ApiComponents['schemas'];
import { pooled } from './summary.js';

export type Progress = (phase: string, done: number, total: number) => void;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

async function allItems(api: Api, datasetId: string): Promise<ItemView[]> {
  const items: ItemView[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await data(
      api.client.GET('/datasets/{id}/items', { params: { path: { id: datasetId }, query: { limit: 1000, offset } } }),
    );
    items.push(...page);
    if (page.length < 1000) return items;
  }
}

/** Each item's latest label (a dispute debated again replaces its label). */
async function latestLabels(api: Api, datasetId: string): Promise<Map<string, LabelRecord>> {
  // NDJSON, streamed: read as text, one LabelRecord a line.
  const text = await api.text(`/labels?after=0&datasetId=${datasetId}`);
  const latest = new Map<string, LabelRecord>();
  for (const line of text.split('\n')) {
    if (!line) continue;
    const label = JSON.parse(line) as LabelRecord;
    latest.set(label.itemId, label);
  }
  return latest;
}

/** Counts debates finished across every campaign in flight, for one progress bar. */
class Debating {
  private readonly finished = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly api: Api,
    private readonly phase: string,
    private readonly progress: Progress,
  ) {}

  /** Runs a campaign to its end; its debates count towards the bar. */
  async campaign(launch: Schemas['LaunchCampaignDto'], debates: number): Promise<void> {
    if (debates === 0) return;
    this.total += debates;
    const { id } = await data(this.api.client.POST('/campaigns', { body: launch }));
    for (;;) {
      const view = await data(this.api.client.GET('/campaigns/{id}', { params: { path: { id } } }));
      this.finished.set(id, (view.debates.completed ?? 0) + (view.debates.failed ?? 0));
      this.progress(
        this.phase,
        [...this.finished.values()].reduce((a, b) => a + b, 0),
        this.total,
      );
      if (view.status === 'completed') return;
      await sleep(500);
    }
  }
}

/** The experiment's protocols, one per kind, with simulated judges. */
async function createProtocols(api: Api, config: ExperimentConfig, run: string): Promise<Record<ExperimentKind, string>> {
  const ids = {} as Record<ExperimentKind, string>;
  for (const kind of EXPERIMENT_KINDS) {
    const { preset, changes } = config.protocols[kind];
    const spec = { ...PRESETS[preset], judges: { count: config.judges, kind: 'simulated' }, ...changes };
    // The presets and the config's changes are checked by the server, which names any bad field.
    const body = { name: `${run}-${kind}`, spec: spec as unknown as Schemas['ProtocolSpecDoc'] };
    ids[kind] = (await data(api.client.POST('/protocols', { body }))).id;
  }
  return ids;
}

/**
 * Judges compared on one world: every room under every protocol. Each protocol gets its own copy of
 * the world (same seed, same rooms, none held out), so a dispute's label pools only its own judges.
 */
async function compare(
  api: Api,
  config: ExperimentConfig,
  world: ExperimentConfig['worlds'][number],
  run: string,
  protocolIds: Record<ExperimentKind, string>,
  debating: Debating,
): Promise<ComparisonResult> {
  const seed = 1_000_000 + config.seeds[0]!;
  const copies = await Promise.all(
    EXPERIMENT_KINDS.map(async (kind) => {
      const copy = await data(
        api.client.POST('/datasets/world', {
          body: { name: `${run}-${world.name}-${kind}`, seed, size: config.comparison.rooms, params: world.params },
        }),
      );
      const path = { id: copy.id };
      await data(api.client.PUT('/datasets/{id}/model-policy', { params: { path }, body: { heldOutFraction: 0 } }));
      const disputes = await data(
        api.client.POST('/datasets/{id}/disputes', { params: { path }, body: { auditFraction: 1, minBlindCells: 10_000, seed } }),
      );
      await debating.campaign(
        { name: `${run}-${world.name}-${kind}`, protocolId: protocolIds[kind], datasetId: copy.id, concurrency: config.concurrency },
        disputes.length,
      );
      return { kind, datasetId: copy.id, disputes: disputes.length };
    }),
  );
  // Every copy holds the same rooms; the simple labels' accuracy is read from the first.
  let items: ItemView[] = [];
  const protocols: ProtocolOutcome[] = [];
  for (const { kind, datasetId, disputes } of copies) {
    const [row] = await data(api.client.GET('/analytics/protocols', { params: { query: { datasetId } } }));
    const copyItems = await allItems(api, datasetId);
    if (items.length === 0) items = copyItems;
    const truth = new Map(copyItems.map((i) => [i.id, i.groundTruth]));
    const labels = [...(await latestLabels(api, datasetId)).values()];
    const judged = row?.stats.judged ?? 0;
    protocols.push({
      kind,
      protocol: `${run}-${kind}`,
      debates: row?.stats.debates ?? 0,
      failed: row?.stats.failed ?? 0,
      judge: {
        accuracy: row?.stats.accuracy ?? null,
        correct: Math.round((row?.stats.accuracy ?? 0) * judged),
        judged,
        ece: row?.stats.ece ?? null,
        brier: row?.stats.brier ?? null,
        reliability: row?.stats.reliability ?? [],
      },
      labels: {
        count: labels.length,
        accuracy: mean(labels.map((l) => (l.answer === truth.get(l.itemId) ? 1 : 0))),
        adjudicated: labels.length / Math.max(1, disputes),
      },
    });
  }
  return {
    world: world.name,
    rooms: items.length,
    simpleLabelAccuracy: mean(items.map((i) => (i.simpleLabel === i.groundTruth ? 1 : 0))),
    protocols,
  };
}

/** Trains a version and waits for it; `methods` trains the baselines beside it. */
async function train(
  api: Api,
  datasetId: string,
  request: Omit<Schemas['TrainDto'], 'datasetId'>,
  onDone: () => void,
): Promise<Schemas['ModelVersionDoc']> {
  const job = await data(api.client.POST('/training-jobs', { body: { datasetId, ...request } }));
  const read = () => data(api.client.GET('/training-jobs/{id}', { params: { path: { id: job.id } } }));
  const view = await api.poll(read, trainingEnded, () => undefined, 300);
  if (view.status !== 'completed') throw new UsageError(`training on dataset ${datasetId} ${view.status}: ${view.error ?? ''}`);
  onDone();
  return data(api.client.GET('/models/{id}', { params: { path: { id: view.modelVersionId! } } }));
}

/**
 * One world and seed: the loop in rounds on a fresh training world, then every method trained on the
 * labels it produced. The budget is the dataset's policy, so the platform itself refuses to spend more.
 */
async function loop(
  api: Api,
  config: ExperimentConfig,
  world: ExperimentConfig['worlds'][number],
  seed: number,
  run: string,
  debateProtocol: string,
  debating: Debating,
  trained: () => void,
): Promise<RunResult> {
  const { training } = config;
  const name = `${run}-${world.name}-s${seed}`;
  const dataset = await data(api.client.POST('/datasets/world', { body: { name, seed, size: training.rooms, params: world.params } }));
  const path = { id: dataset.id };
  await data(
    api.client.PUT('/datasets/{id}/model-policy', {
      params: { path },
      body: {
        heldOutFraction: training.heldOutFraction,
        selection: { maxDisputedFraction: training.budget, auditFraction: training.audit, seed },
      },
    }),
  );
  const items = await allItems(api, dataset.id);
  const heldOut = new Set(items.filter((i) => isHeldOut(i.externalId, training.heldOutFraction)).map((i) => i.id));
  const split = items.length - heldOut.size;
  const byId = new Map(items.map((i) => [i.id, i]));

  const rounds: RunResult['rounds'] = [];
  const seen = new Set<string>();
  let labelsBefore = new Map<string, LabelRecord>();
  const debateRound = async (round: number, source: 'audit' | 'model') => {
    const disputes = (await data(api.client.GET('/datasets/{id}/disputes', { params: { path } }))).filter((d) => !seen.has(d.id));
    for (const d of disputes) seen.add(d.id);
    await debating.campaign(
      { name: `${name}-r${round}`, protocolId: debateProtocol, datasetId: dataset.id, concurrency: config.concurrency },
      disputes.length,
    );
    const labels = await latestLabels(api, dataset.id);
    const fresh = [...labels.values()].filter((l) => labelsBefore.get(l.itemId)?.id !== l.id);
    labelsBefore = labels;
    rounds.push({
      round,
      source,
      disputes: disputes.length,
      onHeldOut: disputes.filter((d) => heldOut.has(d.itemId)).length,
      adjudicated: seen.size / split,
      labels: fresh.length,
      labelAccuracy: mean(fresh.map((l) => (l.answer === byId.get(l.itemId)?.groundTruth ? 1 : 0))),
    });
  };

  const firstShare = training.budget * training.firstRound;
  await data(
    api.client.POST('/datasets/{id}/disputes', { params: { path }, body: { auditFraction: firstShare, minBlindCells: 10_000, seed } }),
  );
  await debateRound(1, 'audit');
  const base = { architecture: training.architecture, settings: { ...training.settings, seed } };
  for (let round = 2; round <= training.rounds; round++) {
    const version = await train(api, dataset.id, base, trained);
    // Each model round may spend up to its even share of what the first round left.
    const upTo = firstShare + ((training.budget - firstShare) * (round - 1)) / (training.rounds - 1);
    const { scoringRun } = await data(
      api.client.POST('/models/{id}/promote', {
        params: { path: { id: version.id } },
        body: { rescore: true, selection: { maxDisputedFraction: Math.min(training.budget, upTo + 1e-9) } },
      }),
    );
    const run = { params: { path: { id: scoringRun!.id } } };
    const scored = await api.poll(
      () => data(api.client.GET('/scoring-runs/{id}', run)),
      (v) => v.status === 'completed' || v.status === 'failed',
    );
    if (scored.status === 'failed') throw new UsageError(`scoring ${name} failed: ${scored.error ?? ''}`);
    await debateRound(round, 'model');
  }

  const regimes: RunResult['regimes'] = [];
  for (const regime of training.regimes) {
    const settings = { ...base.settings, ...regime.settings };
    const request = { architecture: training.architecture, settings, methods: training.methods, complexLabels: regime.complexLabels };
    const version = await train(api, dataset.id, request, trained);
    regimes.push({
      name: regime.name,
      settings,
      complexLabels: regime.complexLabels,
      modelVersionId: version.id,
      methods: version.evaluation.methods as Record<string, MethodResult>,
    });
  }

  // The labels as the last round left them: nothing labels the dataset after it.
  const labels = [...labelsBefore.values()];
  const right = (l: LabelRecord) => l.answer === byId.get(l.itemId)?.groundTruth;
  const small = labels.filter((l) => l.agreesWithSimple);
  const trainingItems = items.filter((i) => !heldOut.has(i.id));
  const heldOutItems = items.filter((i) => heldOut.has(i.id));
  return {
    world: world.name,
    seed,
    datasetId: dataset.id,
    rooms: items.length,
    trainingRooms: split,
    heldOutRooms: heldOut.size,
    heldOutSimpleWrong: heldOutItems.filter((i) => i.simpleLabel !== i.groundTruth).length,
    simpleLabelAccuracy: mean(trainingItems.map((i) => (i.simpleLabel === i.groundTruth ? 1 : 0))),
    rounds,
    training: {
      adjudicated: seen.size / split,
      disputesOnHeldOut: rounds.reduce((n, r) => n + r.onHeldOut, 0),
      labels: labels.length,
      labelAccuracy: mean(labels.map((l) => (right(l) ? 1 : 0))),
      small: small.length,
      smallWrong: small.filter((l) => !right(l)).length,
      contamination: small.length ? small.filter((l) => !right(l)).length / small.length : null,
      overturned: labels.filter((l) => !l.agreesWithSimple).length,
    },
    regimes,
  };
}

/** The whole experiment against a running Tribunal, through its HTTP API. */
export async function runExperiment(api: Api, config: ExperimentConfig, progress: Progress): Promise<ExperimentResult> {
  const started = Date.now();
  const run = `${config.name}-${Date.now().toString(36)}`;
  const protocolIds = await createProtocols(api, config, run);
  const judging = new Debating(api, 'judging', progress);
  const labelling = new Debating(api, 'labelling', progress);
  const trainings = config.worlds.length * config.seeds.length * (config.training.rounds - 1 + config.training.regimes.length);
  let trainedCount = 0;
  const trained = () => progress('training', ++trainedCount, trainings);
  progress('training', 0, trainings);

  // Everything at once: the trainer (one job at a time) trains one run while the others debate.
  const [runs, comparisons] = await Promise.all([
    Promise.all(
      config.worlds.flatMap((world) =>
        config.seeds.map((seed) => loop(api, config, world, seed, run, protocolIds.debate, labelling, trained)),
      ),
    ),
    Promise.all(config.worlds.map((world) => compare(api, config, world, run, protocolIds, judging))),
  ]);
  return {
    schemaVersion: 2,
    config,
    comparisons,
    runs,
    worlds: config.worlds.map((world) =>
      pooled(
        world.name,
        runs.filter((r) => r.world === world.name),
      ),
    ),
    seconds: (Date.now() - started) / 1000,
  };
}
