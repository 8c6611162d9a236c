import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import {
  decodeStates,
  deviceName,
  encodeStates,
  evaluate,
  referenceKind,
  sameFeatures,
  Scorer,
  snapshotItemIds,
  snapshotSha256,
  trainingInput,
  trainingSnapshot,
  trainMethods,
  trainTwoHead,
  TrainingCancelled,
  TrainingDataError,
  type Device,
  type ResolvedDevice,
  type Evaluation,
  type HeldOut,
  type MethodReport,
  type ModelPolicy,
  type TrainingConfig,
  type TrainingSnapshot,
  type VersionConfig,
} from '#tribunal/model';
import {
  ModelRepository,
  type ModelVersionEntity,
  type TrainingJobEntity,
  DatasetRepository,
  LabelRepository,
  TrainingRepository,
} from '#tribunal/persistence';
import { ModelsService, statusView } from '../models/models.service.js';

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
    const items = new Map(
      (await this.datasetRepository.modelItems(job.datasetId, snapshotItemIds(snapshot))).map((item) => [item.id, item]),
    );
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
    const versionConfig: VersionConfig = {
      ...config,
      inputSize: input.inputSize,
      answers: input.answers,
      features: snapshot.features,
      trainingJobId: job.id,
      snapshotSha256: snapshotSha256(snapshot),
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

  /** Takes the job's snapshot of its dataset's labels and items, and stores it on the job. */
  private async snapshot(job: TrainingJobEntity): Promise<TrainingSnapshot> {
    const policy = (await this.models.policy(job.datasetId)) satisfies ModelPolicy;
    const items = await this.datasetRepository.modelItems(job.datasetId);
    const { max: labelSeq } = await this.labelRepository.labelSeqOf(job.datasetId);
    const labels = await this.labelRepository.latestLabels(job.datasetId, labelSeq);
    const { complexLabels, settings } = job.config as unknown as TrainingConfig;
    const snapshot = trainingSnapshot({
      items,
      labels,
      labelSeq,
      heldOutFraction: policy.heldOutFraction,
      complexLabels,
      seed: settings.seed,
    });
    await this.trainingRepository.saveSnapshot(job.id, snapshot as unknown as Record<string, unknown>);
    return snapshot;
  }
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
