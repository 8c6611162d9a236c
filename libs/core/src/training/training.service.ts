import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import {
  chooseFeatures,
  decodeStates,
  deviceName,
  encodeStates,
  evaluate,
  examples,
  featuresOf,
  isHeldOut,
  sameFeatures,
  Scorer,
  trainingSets,
  trainMethods,
  trainTwoHead,
  TrainingCancelled,
  type Device,
  type ResolvedDevice,
  type Evaluation,
  type FeatureSpec,
  type HeldOut,
  type MethodReport,
  type ModelPolicy,
  type TrainingConfig,
  type TrainingInput,
} from '#tribunal/model';
import { createRng, shuffled } from '#tribunal/world';
import {
  ModelRepository,
  type ModelItem,
  type ModelVersionEntity,
  type TrainingJobEntity,
  DatasetRepository,
  LabelRepository,
  TrainingRepository,
} from '#tribunal/persistence';
import { ModelsService, statusView } from '../models/models.service.js';

/**
 * What a run trains on, fixed when it first starts: item ids with their labels, by role. A retried or
 * resumed run reads this, never the labels as they are now, so it trains on exactly the same data.
 */
export interface TrainingSnapshot {
  /** Labels with sequence numbers up to this were taken. */
  labelSeq: number;
  heldOutFraction: number;
  features: FeatureSpec;
  answers: number;
  /** Training items with their latest complex label (a sample of them when the job limits `complexLabels`). */
  large: [string, number][];
  /** How many training items had a complex label, when the job trained on a sample of them. */
  labelledItems?: number;
  /** Training items whose simple and complex labels agree. */
  small: string[];
  /** Training items with their simple label. */
  simple: [string, number][];
  /** Held-out items with their complex label, if they have one (the reference where ground truth is unknown). */
  heldOut: [string, number | null][];
  /** Training items whose ground truth is known, with it: the oracle method's labels. Absent from snapshots taken before it was recorded. */
  truth?: [string, number][];
}

/** What a model version's config records. */
export interface VersionConfig extends TrainingConfig {
  inputSize: number;
  answers: number;
  features: FeatureSpec;
  trainingJobId: string;
  /** SHA-256 of the snapshot's JSON: two versions with the same value were trained on the same data. */
  snapshotSha256: string;
  device: string;
}

/** Runs training jobs on this process's device: snapshot, train with checkpoints, evaluate, store the version. */
@Injectable()
export class TrainingService {
  private readonly logger = new Logger('Trainer');

  constructor(
    private readonly trainingRepository: TrainingRepository,
    private readonly labelRepository: LabelRepository,
    private readonly datasetRepository: DatasetRepository,
    private readonly modelRepository: ModelRepository,
    private readonly models: ModelsService,
  ) {}

  /**
   * Runs one job on the device this trainer resolved when it started (`fellBack` says why that is the
   * CPU when CUDA was asked for); a job that demands a GPU fails on a CPU trainer, saying so.
   */
  async run(trainingJobId: string, { device, warning: fellBack }: ResolvedDevice): Promise<void> {
    const queued = await this.trainingRepository.byId(trainingJobId);
    if (!queued || (queued.status !== 'queued' && queued.status !== 'running')) return;
    const config = queued.config as unknown as TrainingConfig;
    if (config.requireGpu && device.kind === 'cpu') {
      await this.fail(queued, `a GPU is required, but this trainer trains on the CPU${fellBack ? `: ${fellBack}` : ''}`);
      return;
    }
    const job = await this.trainingRepository.start(trainingJobId, deviceName(device));
    if (!job) return;
    this.models.publish(statusView(job), null);
    try {
      await this.train(job, config, device);
    } catch (error) {
      if (error instanceof TrainingCancelled) {
        this.logger.log(`training job ${job.id}: ${error.message}`);
        return;
      }
      if (error instanceof TrainingDataError) {
        await this.fail(job, error.message);
        return;
      }
      throw error;
    }
  }

  /** Ends a job that cannot succeed however often it is retried. */
  private async fail(job: TrainingJobEntity, reason: string): Promise<void> {
    this.logger.error(`training job ${job.id} failed: ${reason}`);
    if (await this.trainingRepository.end(job.id, 'failed', reason))
      this.models.publish({ ...statusView(job), status: 'failed', error: reason }, null);
  }

  /** The last attempt of a job failed for a reason retries did not cure. */
  async giveUp(trainingJobId: string, reason: string): Promise<void> {
    const job = await this.trainingRepository.byId(trainingJobId);
    if (job) await this.fail(job, reason);
  }

  private async train(job: TrainingJobEntity, config: TrainingConfig, device: Device): Promise<void> {
    const snapshot = (job.snapshot as unknown as TrainingSnapshot | null) ?? (await this.snapshot(job));
    const ids = new Set([snapshot.large, snapshot.simple, snapshot.heldOut, snapshot.truth ?? []].flatMap((set) => set.map(([id]) => id)));
    const items = new Map((await this.datasetRepository.modelItems(job.datasetId, [...ids])).map((item) => [item.id, item]));
    const methods = config.methods ?? [];
    const input = trainingInput(snapshot, items, methods);
    const checkpoint = job.checkpoint ? decodeStates(job.checkpoint) : undefined;
    if (checkpoint) this.logger.log(`training job ${job.id}: resuming from the checkpoint at step ${job.checkpointStep}`);
    this.logger.log(
      `training job ${job.id} on ${deviceName(device)}: ${snapshot.large.length} labelled items (${snapshot.small.length} agree with the simple label), ` +
        `${snapshot.simple.length} simple labels, ${snapshot.heldOut.length} held out; ${config.settings.steps} steps`,
    );
    const started = Date.now();
    const result = await trainTwoHead(
      input,
      config.architecture,
      config.settings,
      device,
      {
        onProgress: async (point) => {
          await this.trainingRepository.saveProgress(job.id, point as unknown as Record<string, unknown>);
          this.models.publish({ ...statusView(job), status: 'running', device: deviceName(device) }, point);
        },
        onCheckpoint: async (states) => {
          const status = await this.trainingRepository.saveProgress(job.id, null, { step: states.model.step, bytes: encodeStates(states) });
          return status === 'running';
        },
      },
      checkpoint as Parameters<typeof trainTwoHead>[5],
    );
    if (methods.length) this.logger.log(`training job ${job.id}: training ${methods.join(', ')} beside it, for comparison`);
    const evaluation: Evaluation & { comparedTo?: unknown; seconds?: number } = {
      ...result.evaluation,
      reference: referenceKind(snapshot, items),
      methods: methods.length
        ? await trainMethods(input, config.architecture, config.settings, methods, device, result.evaluation, {
            // A cancelled job stops between methods' steps, as it does between checkpoints of the main run.
            shouldContinue: async () => (await this.trainingRepository.saveProgress(job.id, null)) === 'running',
          })
        : result.evaluation.methods,
      seconds: (Date.now() - started) / 1000,
    };
    const active = await this.modelRepository.active(job.datasetId);
    if (active) evaluation.comparedTo = await this.compare(active, snapshot, input.heldOut, input.answers, device);
    const snapshotSha256 = createHash('sha256').update(canonicalJson(snapshot)).digest('hex');
    const versionConfig: VersionConfig = {
      ...config,
      inputSize: input.inputSize,
      answers: input.answers,
      features: snapshot.features,
      trainingJobId: job.id,
      snapshotSha256,
      device: deviceName(device),
    };
    const onnx = Buffer.from(result.onnx);
    const sha256 = createHash('sha256').update(onnx).digest('hex');
    const version = await this.trainingRepository.complete(job.id, {
      name: `${new Date().toISOString().slice(0, 10)}-${sha256.slice(0, 8)}-${job.id.slice(0, 4)}`,
      datasetId: job.datasetId,
      trainingJobId: job.id,
      sha256,
      onnx,
      config: versionConfig as unknown as Record<string, unknown>,
      evaluation: evaluation as unknown as Record<string, unknown>,
    });
    if (!version) return;
    const m = evaluation;
    this.logger.log(
      `training job ${job.id} produced model version ${version.name}: held-out accuracy intended ${fmt(m.heldOut.intended.accuracy)}, ` +
        `baseline ${fmt(m.heldOut.baseline?.accuracy)}; where the simple label is wrong (${m.simpleWrong.items} items): intended ${fmt(m.simpleWrong.intended.accuracy)}, baseline ${fmt(m.simpleWrong.baseline?.accuracy)}; ` +
        `methods there: ${methodsLine(m.methods)}`,
    );
    this.models.publish({ ...statusView(job), status: 'completed', device: deviceName(device), modelVersionId: version.id }, null);
    const policy = await this.models.policy(job.datasetId);
    const rival = (evaluation.comparedTo as { metric?: number | null } | undefined)?.metric ?? null;
    if (policy.autoPromote && (evaluation.metric.value ?? 0) > (rival ?? -1)) {
      this.logger.log(
        `model version ${version.name} beats the active version (${fmt(evaluation.metric.value)} vs ${fmt(rival)}); promoting`,
      );
      await this.models.promote(version.id);
    }
  }

  /** The active version's held-out metric on this run's held-out items, so promotion compares like with like. */
  private async compare(active: ModelVersionEntity, snapshot: TrainingSnapshot, heldOut: HeldOut, K: number, device: Device) {
    const activeId = active.id;
    const onnx = await this.modelRepository.onnx(activeId);
    const config = active.config as unknown as VersionConfig;
    if (!onnx || !sameFeatures(config.features, snapshot.features) || config.answers !== K) {
      return { modelVersionId: activeId, metric: null, note: 'the active version reads other features or answers; not compared' };
    }
    const scorer = await Scorer.load(onnx, config, device);
    try {
      const { intended, instrumental } = await scorer.score(heldOut.x, heldOut.n);
      const report = evaluate(heldOut, K, { intended, instrumental, baseline: null });
      return {
        modelVersionId: activeId,
        name: active.name,
        metric: report.metric.value,
        simpleWrongIntendedAccuracy: report.simpleWrong.intended.accuracy,
      };
    } finally {
      await scorer.release();
    }
  }

  private async snapshot(job: TrainingJobEntity): Promise<TrainingSnapshot> {
    const policy = (await this.models.policy(job.datasetId)) satisfies ModelPolicy;
    const items = await this.datasetRepository.modelItems(job.datasetId);
    if (items.length === 0) throw new TrainingDataError('the dataset has no items');
    const answers = new Set(items.map((i) => i.answers.length));
    if (answers.size !== 1)
      throw new TrainingDataError(`items have ${[...answers].sort().join(' or ')} answers; a model needs one answer count for every item`);
    const { max: labelSeq } = await this.labelRepository.labelSeqOf(job.datasetId);
    const labels = new Map((await this.labelRepository.latestLabels(job.datasetId, labelSeq)).map((l) => [l.itemId, l]));
    const snapshot: TrainingSnapshot = {
      labelSeq,
      heldOutFraction: policy.heldOutFraction,
      features: chooseFeatures(items),
      answers: items[0]!.answers.length,
      large: [],
      small: [],
      simple: [],
      heldOut: [],
      truth: [],
    };
    for (const item of items) {
      const label = labels.get(item.id);
      if (isHeldOut(item.externalId, policy.heldOutFraction)) {
        snapshot.heldOut.push([item.id, label?.answer ?? null]);
        continue;
      }
      if (label) {
        snapshot.large.push([item.id, label.answer]);
        if (label.agreesWithSimple) snapshot.small.push(item.id);
      }
      if (item.simpleLabel !== null) snapshot.simple.push([item.id, item.simpleLabel]);
      if (item.groundTruth !== null) snapshot.truth!.push([item.id, item.groundTruth]);
    }
    if (snapshot.large.length === 0) {
      throw new TrainingDataError(
        `no training item of the dataset has a complex-process label yet (${labels.size} labels, all on held-out items): label some disputes first`,
      );
    }
    const { complexLabels, settings } = job.config as unknown as TrainingConfig;
    if (complexLabels && complexLabels < snapshot.large.length) {
      snapshot.labelledItems = snapshot.large.length;
      snapshot.large = shuffled(createRng(settings.seed), snapshot.large).slice(0, complexLabels);
      const kept = new Set(snapshot.large.map(([id]) => id));
      snapshot.small = snapshot.small.filter((id) => kept.has(id));
    }
    await this.trainingRepository.saveSnapshot(job.id, snapshot as unknown as Record<string, unknown>);
    return snapshot;
  }
}

class TrainingDataError extends Error {}

function referenceKind(snapshot: TrainingSnapshot, items: Map<string, ModelItem>): Evaluation['reference'] {
  const kinds = new Set(
    snapshot.heldOut.flatMap(([id, label]) =>
      items.get(id)?.groundTruth != null ? ['ground-truth'] : label !== null ? ['complex-labels'] : [],
    ),
  );
  return kinds.size === 1 ? ([...kinds][0] as Evaluation['reference']) : kinds.size === 0 ? 'ground-truth' : 'mixed';
}

/** JSON with object keys sorted: the snapshot reads back from jsonb with its keys reordered, and must hash the same. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}

function fmt(value: number | null | undefined): string {
  return value === null || value === undefined ? 'n/a' : value.toFixed(3);
}

/** Each method's accuracy where the simple label is wrong, with the gap it recovers when there is an oracle. */
function methodsLine(methods: Record<string, MethodReport>): string {
  return Object.entries(methods)
    .map(
      ([name, r]) => `${name} ${fmt(r.simpleWrong.accuracy)}${r.simpleWrong.pgr === null ? '' : ` (pgr ${r.simpleWrong.pgr.toFixed(2)})`}`,
    )
    .join(', ');
}

/**
 * Feature rows for the snapshot's items; held-out references are ground truth, else the item's
 * complex label. The mixture and oracle sets only when a method reads them.
 */
function trainingInput(snapshot: TrainingSnapshot, items: Map<string, ModelItem>, methods: readonly string[] = []): TrainingInput {
  // An item is in several sets; hashed n-grams are worth computing once.
  const cache = new Map<string, Float32Array>();
  const features = (id: string) => {
    let row = cache.get(id);
    if (row) return row;
    const item = items.get(id);
    if (!item) throw new TrainingDataError(`item ${id} of the snapshot no longer exists`);
    row = featuresOf(item, snapshot.features);
    cache.set(id, row);
    return row;
  };
  const D = snapshot.features.size;
  const held = snapshot.heldOut.map(([id]) => items.get(id));
  const heldX = examples(
    snapshot.heldOut.map(([id]) => features(id)),
    snapshot.heldOut.map(() => 0),
    D,
  );
  return {
    inputSize: D,
    answers: snapshot.answers,
    ...trainingSets(snapshot, features, D, methods),
    heldOut: {
      x: heldX.x,
      n: heldX.n,
      reference: Int32Array.from(held, (item, i) => item?.groundTruth ?? snapshot.heldOut[i]![1] ?? -1),
      simple: Int32Array.from(held, (item) => item?.simpleLabel ?? -1),
    },
  };
}
