import { Injectable, Logger } from '@nestjs/common';
import { Conflict, Invalid, NotFound, trainingRoom, type TrainingPoint, type TrainingStatusView } from '#tribunal/contracts';
import { modelPolicy, trainingConfig, DEFAULT_POLICY, selectionProblems, type ModelPolicy, type SelectionRules } from '#tribunal/model';
import {
  DatasetRepository,
  ModelRepository,
  UnitOfWork,
  type ModelVersionEntity,
  type ScoringRunEntity,
  type TrainingJobEntity,
  type Transaction,
  LabelRepository,
  ScoringRepository,
  TrainingRepository,
} from '#tribunal/persistence';
import { JobQueue } from '#tribunal/queue';
import { LiveEvents } from '../live-events/live-events.js';

/**
 * The model's life cycle as researchers drive it: training requests, model versions, promotion,
 * scoring runs and each dataset's policy (retrain every N labels, promote when better, re-score).
 * The work itself runs in TrainingService (trainer processes) and ScoringService (workers).
 */
@Injectable()
export class ModelsService {
  private readonly logger = new Logger('Models');

  constructor(
    private readonly trainingRepository: TrainingRepository,
    private readonly scoringRepository: ScoringRepository,
    private readonly labelRepository: LabelRepository,
    private readonly modelRepository: ModelRepository,
    private readonly datasetRepository: DatasetRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly queue: JobQueue,
    private readonly events: LiveEvents,
  ) {}

  private async dataset(datasetId: string) {
    const dataset = await this.datasetRepository.byId(datasetId);
    if (!dataset) throw new NotFound(`dataset ${datasetId} does not exist`);
    return dataset;
  }

  // ---- policy ------------------------------------------------------------------------------------

  async policy(datasetId: string): Promise<ModelPolicy> {
    const dataset = await this.dataset(datasetId);
    return { ...DEFAULT_POLICY, ...(dataset.modelPolicy as Partial<ModelPolicy>) };
  }

  async setPolicy(datasetId: string, change: unknown): Promise<ModelPolicy> {
    const dataset = await this.dataset(datasetId);
    const policy = modelPolicy(dataset.modelPolicy as Partial<ModelPolicy>, change);
    await this.datasetRepository.setModelPolicy(datasetId, policy as unknown as Record<string, unknown>);
    return policy;
  }

  // ---- training ----------------------------------------------------------------------------------

  async requestTraining(datasetId: string, request: unknown, trigger: 'manual' | 'labels' = 'manual'): Promise<TrainingJobEntity> {
    const policy = await this.policy(datasetId);
    const config = trainingConfig(request, policy.training);
    const job = await this.unitOfWork.run(async (tx) => {
      const saved = await this.trainingRepository.create(tx, {
        datasetId,
        trigger,
        config: config as unknown as Record<string, unknown>,
      });
      await this.queue.send('model.train', { trainingJobId: saved.id }, { singletonKey: saved.id }, tx);
      return saved;
    });
    this.logger.log(`training job ${job.id} queued for dataset ${datasetId} (${trigger})`);
    return job;
  }

  async training(id: string): Promise<TrainingStatusView> {
    const job = await this.trainingRepository.byId(id);
    if (!job) throw new NotFound(`training job ${id} does not exist`);
    return statusView(job);
  }

  async trainingJobs(datasetId?: string): Promise<TrainingStatusView[]> {
    return (await this.trainingRepository.list(datasetId)).map(statusView);
  }

  async cancelTraining(id: string): Promise<TrainingStatusView> {
    const job = await this.trainingRepository.byId(id);
    if (!job) throw new NotFound(`training job ${id} does not exist`);
    if (!(await this.trainingRepository.end(id, 'cancelled', 'cancelled by a researcher'))) {
      throw new Conflict(`training job ${id} is already ${job.status}`);
    }
    const view = await this.training(id);
    this.publish(view, null);
    return view;
  }

  publish(view: Omit<TrainingStatusView, 'progress'>, point: TrainingPoint | null): void {
    const { trainingJobId, datasetId, status, device, modelVersionId, error } = view;
    this.events.emitTo(trainingRoom(trainingJobId), 'training.progress', {
      trainingJobId,
      datasetId,
      status,
      device,
      modelVersionId,
      error,
      point,
    });
  }

  /**
   * A label arrived (the `label.created` job): when the dataset's policy retrains every N labels,
   * queue training once N have come since the last run.
   */
  async retrainCheck(datasetId: string): Promise<TrainingJobEntity | null> {
    const policy = await this.policy(datasetId);
    if (policy.retrainEveryLabels === null) return null;
    if (await this.trainingRepository.pending(datasetId)) return null;
    const fresh = await this.labelRepository.labelsAfter(datasetId, await this.trainingRepository.lastSnapshotLabelSeq(datasetId));
    if (fresh < policy.retrainEveryLabels) return null;
    this.logger.log(`dataset ${datasetId}: ${fresh} new labels since the last training run; retraining`);
    return this.requestTraining(datasetId, {}, 'labels');
  }

  // ---- versions ----------------------------------------------------------------------------------

  versions(datasetId?: string): Promise<ModelVersionEntity[]> {
    return this.modelRepository.versions(datasetId);
  }

  async version(id: string): Promise<ModelVersionEntity> {
    const version = await this.modelRepository.version(id);
    if (!version) throw new NotFound(`model version ${id} does not exist`);
    return version;
  }

  async onnx(id: string): Promise<Buffer> {
    const bytes = await this.modelRepository.onnx(id);
    if (!bytes) throw new NotFound(`model version ${id} does not exist`);
    return bytes;
  }

  /** Makes a version active; re-scores its dataset with it when asked (by default, as the dataset's policy says). */
  async promote(
    id: string,
    options: { rescore?: boolean; selection?: Partial<SelectionRules> } = {},
  ): Promise<{ version: ModelVersionEntity; scoringRun: ScoringRunEntity | null }> {
    const existing = await this.version(id);
    const policy = await this.policy(existing.datasetId);
    const rescore = options.rescore ?? policy.rescoreOnPromote;
    const selection = this.selection(policy, options.selection);
    // Counted before the transaction: on the embedded database a query outside it would wait for it forever.
    const total = await this.datasetRepository.itemCount(existing.datasetId);
    let scoringRun: ScoringRunEntity | null = null;
    const version = await this.unitOfWork.run(async (tx) => {
      const promoted = await this.modelRepository.promote(tx, id);
      if (promoted && rescore) scoringRun = await this.createScoring(tx, promoted, selection, total);
      return promoted;
    });
    if (!version) throw new NotFound(`model version ${id} does not exist`);
    this.logger.log(`model version ${version.name} is now active for dataset ${version.datasetId}${rescore ? '; re-scoring' : ''}`);
    return { version, scoringRun };
  }

  // ---- scoring -----------------------------------------------------------------------------------

  private selection(policy: ModelPolicy, change: unknown): SelectionRules {
    if (change === undefined || change === null) return policy.selection;
    if (typeof change !== 'object' || Array.isArray(change)) throw new Invalid('selection must be an object');
    const problems = selectionProblems(change as Record<string, unknown>);
    if (problems.length) throw new Invalid(problems.map((p) => `selection.${p}`));
    return { ...policy.selection, ...(change as Partial<SelectionRules>) };
  }

  /** Scores a dataset with a version (its active one by default) and, unless `select` is false, chooses disputes. */
  async score(datasetId: string, request: { modelVersionId?: string; select?: boolean; selection?: unknown }): Promise<ScoringRunEntity> {
    const policy = await this.policy(datasetId);
    const version = request.modelVersionId ? await this.version(request.modelVersionId) : await this.modelRepository.active(datasetId);
    if (!version) throw new Conflict(`dataset ${datasetId} has no active model version: train one and promote it, or name one`);
    if (version.datasetId !== datasetId) throw new Invalid(`model version ${version.id} was trained on another dataset`);
    const selection = request.select === false ? null : this.selection(policy, request.selection);
    const total = await this.datasetRepository.itemCount(datasetId);
    return this.unitOfWork.run((tx) => this.createScoring(tx, version, selection, total));
  }

  private async createScoring(
    tx: Transaction,
    version: ModelVersionEntity,
    selection: SelectionRules | null,
    total: number,
  ): Promise<ScoringRunEntity> {
    const run = await this.scoringRepository.create(tx, {
      modelVersionId: version.id,
      datasetId: version.datasetId,
      selection: selection as Record<string, unknown> | null,
      total,
    });
    await this.queue.send('model.score', { scoringRunId: run.id }, { singletonKey: run.id }, tx);
    return run;
  }

  async scoringRun(id: string): Promise<ScoringRunEntity> {
    const run = await this.scoringRepository.byId(id);
    if (!run) throw new NotFound(`scoring run ${id} does not exist`);
    return run;
  }

  scoringRuns(datasetId?: string): Promise<ScoringRunEntity[]> {
    return this.scoringRepository.list(datasetId);
  }
}

export function statusView(job: TrainingJobEntity): TrainingStatusView {
  return {
    trainingJobId: job.id,
    datasetId: job.datasetId,
    status: job.status,
    device: job.device,
    progress: job.progress as unknown as TrainingPoint[],
    modelVersionId: job.modelVersionId,
    error: job.error,
  };
}
