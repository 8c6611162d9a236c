import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Conflict, Invalid, NotFound, trainingRoom, type TrainingPoint, type TrainingStatusView } from '#tribunal/contracts';
import { modelPolicy, trainingConfig, DEFAULT_POLICY, selectionProblems, type ModelPolicy, type SelectionRules } from '#tribunal/model';
import {
  DatasetRepository,
  ModelRepository,
  type ModelVersionEntity,
  type ScoringRunEntity,
  type TrainingJobEntity,
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
    private readonly modelRepository: ModelRepository,
    private readonly datasetRepository: DatasetRepository,
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
    await this.modelRepository.setPolicy(datasetId, policy as unknown as Record<string, unknown>);
    return policy;
  }

  // ---- training ----------------------------------------------------------------------------------

  async requestTraining(datasetId: string, request: unknown, trigger: 'manual' | 'labels' = 'manual'): Promise<TrainingJobEntity> {
    const policy = await this.policy(datasetId);
    const config = trainingConfig(request, policy.training);
    const job = await this.modelRepository.createTrainingJob(
      { datasetId, trigger, config: config as unknown as Record<string, unknown> },
      (saved, manager) => this.queue.send('model.train', { trainingJobId: saved.id }, { singletonKey: saved.id }, manager),
    );
    this.logger.log(`training job ${job.id} queued for dataset ${datasetId} (${trigger})`);
    return job;
  }

  async training(id: string): Promise<TrainingStatusView> {
    const job = await this.modelRepository.trainingJob(id);
    if (!job) throw new NotFound(`training job ${id} does not exist`);
    return statusView(job);
  }

  async trainingJobs(datasetId?: string): Promise<TrainingStatusView[]> {
    return (await this.modelRepository.trainingJobs(datasetId)).map(statusView);
  }

  async cancelTraining(id: string): Promise<TrainingStatusView> {
    const job = await this.modelRepository.trainingJob(id);
    if (!job) throw new NotFound(`training job ${id} does not exist`);
    if (!(await this.modelRepository.endTraining(id, 'cancelled', 'cancelled by a researcher'))) {
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

  /** A label arrived for a dataset whose policy retrains every N labels: queue training when N have come since the last run. */
  async retrainCheck(datasetId: string): Promise<TrainingJobEntity | null> {
    const policy = await this.policy(datasetId);
    if (policy.retrainEveryLabels === null) return null;
    if (await this.modelRepository.trainingPending(datasetId)) return null;
    const fresh = await this.modelRepository.labelsAfter(datasetId, await this.modelRepository.lastSnapshotLabelSeq(datasetId));
    if (fresh < policy.retrainEveryLabels) return null;
    this.logger.log(`dataset ${datasetId}: ${fresh} new labels since the last training run; retraining`);
    return this.requestTraining(datasetId, {}, 'labels');
  }

  /** Inside a label's transaction: when the dataset retrains every N labels, queue a check. */
  async afterLabel(manager: EntityManager, datasetId: string, seq: string): Promise<void> {
    if (await this.modelRepository.retrainsEveryLabels(manager, datasetId))
      await this.queue.send('model.retrain-check', { datasetId }, { singletonKey: `${datasetId}:${seq}` }, manager);
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
    const total = await this.modelRepository.itemCount(existing.datasetId);
    let scoringRun: ScoringRunEntity | null = null;
    const version = await this.modelRepository.promote(id, async (promoted, manager) => {
      if (rescore) scoringRun = await this.createScoring(promoted, selection, total, manager);
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
    return this.createScoring(version, selection, await this.modelRepository.itemCount(datasetId));
  }

  private async createScoring(
    version: ModelVersionEntity,
    selection: SelectionRules | null,
    total: number,
    manager?: EntityManager,
  ): Promise<ScoringRunEntity> {
    return this.modelRepository.createScoringRun(
      { modelVersionId: version.id, datasetId: version.datasetId, selection: selection as Record<string, unknown> | null, total },
      (run, m) => this.queue.send('model.score', { scoringRunId: run.id }, { singletonKey: run.id }, m),
      manager,
    );
  }

  async scoringRun(id: string): Promise<ScoringRunEntity> {
    const run = await this.modelRepository.scoringRun(id);
    if (!run) throw new NotFound(`scoring run ${id} does not exist`);
    return run;
  }

  scoringRuns(datasetId?: string): Promise<ScoringRunEntity[]> {
    return this.modelRepository.scoringRuns(datasetId);
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
