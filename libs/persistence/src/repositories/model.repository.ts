import { In, type DataSource, type FindOptionsSelect } from 'typeorm';
import type { DisputeReason } from '#tribunal/contracts';
import {
  DatasetEntity,
  DisputeEntity,
  ItemEntity,
  ModelVersionEntity,
  PredictionEntity,
  ScoringRunEntity,
  TrainingJobEntity,
} from '../entities/index.js';
import { managerOf, type Transaction } from '../unit-of-work.js';

export type NewModelVersion = Pick<
  ModelVersionEntity,
  'name' | 'datasetId' | 'trainingJobId' | 'sha256' | 'onnx' | 'config' | 'evaluation'
>;

/** The latest accepted label of an item, as training reads it. */
export interface ItemLabel {
  itemId: string;
  answer: number;
  agreesWithSimple: boolean;
}

/** What training and scoring read of an item. */
export type ModelItem = Pick<
  ItemEntity,
  'id' | 'externalId' | 'question' | 'answers' | 'context' | 'evidence' | 'simpleLabel' | 'groundTruth' | 'features'
>;

/** Every column but the ONNX bytes, which only scoring and downloads read. */
const VERSION_SUMMARY: FindOptionsSelect<ModelVersionEntity> = {
  id: true,
  name: true,
  status: true,
  datasetId: true,
  trainingJobId: true,
  sha256: true,
  config: true,
  evaluation: true,
  promotedAt: true,
  createdAt: true,
};

const JOB_SUMMARY: FindOptionsSelect<TrainingJobEntity> = {
  id: true,
  status: true,
  datasetId: true,
  trigger: true,
  config: true,
  progress: true,
  checkpointStep: true,
  device: true,
  modelVersionId: true,
  error: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
};

export class ModelRepository {
  constructor(private readonly dataSource: DataSource) {}

  // ---- training jobs -----------------------------------------------------------------------------

  createTrainingJob(tx: Transaction, job: Pick<TrainingJobEntity, 'datasetId' | 'trigger' | 'config'>): Promise<TrainingJobEntity> {
    return managerOf(tx)
      .getRepository(TrainingJobEntity)
      .save({ ...job, status: 'queued' as const });
  }

  trainingJob(id: string): Promise<TrainingJobEntity | null> {
    return this.dataSource.getRepository(TrainingJobEntity).findOne({ where: { id }, select: JOB_SUMMARY });
  }

  trainingJobs(datasetId?: string): Promise<TrainingJobEntity[]> {
    return this.dataSource
      .getRepository(TrainingJobEntity)
      .find({ where: datasetId ? { datasetId } : {}, select: JOB_SUMMARY, order: { createdAt: 'DESC' } });
  }

  /** Marks a queued (or interrupted) job running on a device; null when it is no longer to be run. */
  async startTraining(id: string, device: string): Promise<TrainingJobEntity | null> {
    const result: [TrainingJobEntity[], number] = await this.dataSource.query(
      `UPDATE training_jobs SET status = 'running', device = $2, started_at = coalesce(started_at, now())
       WHERE id = $1 AND status IN ('queued', 'running') RETURNING id`,
      [id, device],
    );
    if (result[1] === 0) return null;
    return this.dataSource.getRepository(TrainingJobEntity).findOneBy({ id });
  }

  async saveSnapshot(id: string, snapshot: Record<string, unknown>): Promise<void> {
    await this.dataSource.query(`UPDATE training_jobs SET snapshot = $2 WHERE id = $1 AND snapshot IS NULL`, [
      id,
      JSON.stringify(snapshot),
    ]);
  }

  /** Appends an evaluation point (once per step) and, when given, replaces the checkpoint, in one statement. */
  async saveProgress(id: string, point: Record<string, unknown> | null, checkpoint?: { step: number; bytes: Buffer }): Promise<string> {
    // An UPDATE answers [rows, affected].
    const [rows] = (await this.dataSource.query(
      // A resumed run redoes the steps after its checkpoint: a point already recorded is not added again.
      `UPDATE training_jobs SET progress = CASE
           WHEN $2::jsonb IS NULL OR coalesce((progress -> -1 ->> 'step')::int, 0) >= ($2::jsonb ->> 'step')::int THEN progress
           ELSE progress || jsonb_build_array($2::jsonb) END,
         checkpoint = coalesce($3, checkpoint), checkpoint_step = coalesce($4, checkpoint_step)
       WHERE id = $1 RETURNING status`,
      [id, point === null ? null : JSON.stringify(point), checkpoint?.bytes ?? null, checkpoint?.step ?? null],
    )) as [{ status: string }[], number];
    return rows[0]?.status ?? 'missing';
  }

  /** The job's model version and the job's completion, together; null when the job is no longer running. */
  async completeTraining(id: string, version: NewModelVersion): Promise<ModelVersionEntity | null> {
    return this.dataSource.transaction(async (manager) => {
      const [job] = (await manager.query(`SELECT status FROM training_jobs WHERE id = $1 FOR UPDATE`, [id])) as { status: string }[];
      if (job?.status !== 'running') return null;
      const saved = await manager.getRepository(ModelVersionEntity).save({ ...version, status: 'candidate' as const, promotedAt: null });
      await manager.update(
        TrainingJobEntity,
        { id },
        { status: 'completed', modelVersionId: saved.id, finishedAt: new Date(), checkpoint: null },
      );
      return saved;
    });
  }

  async endTraining(id: string, status: 'failed' | 'cancelled', error: string | null): Promise<boolean> {
    const result: [unknown[], number] = await this.dataSource.query(
      `UPDATE training_jobs SET status = $2, error = $3, finished_at = now(), checkpoint = NULL
       WHERE id = $1 AND status IN ('queued', 'running') RETURNING id`,
      [id, status, error],
    );
    return result[1] > 0;
  }

  async trainingPending(datasetId: string): Promise<boolean> {
    return (await this.dataSource.getRepository(TrainingJobEntity).countBy({ datasetId, status: In(['queued', 'running']) })) > 0;
  }

  /** The highest label sequence number an earlier training job of the dataset took into its snapshot. */
  async lastSnapshotLabelSeq(datasetId: string): Promise<number> {
    const [row] = (await this.dataSource.query(
      `SELECT coalesce(max((snapshot ->> 'labelSeq')::bigint), 0) AS seq FROM training_jobs WHERE dataset_id = $1 AND status <> 'failed'`,
      [datasetId],
    )) as { seq: string }[];
    return Number(row?.seq ?? 0);
  }

  // ---- training data ------------------------------------------------------------------------------

  items(datasetId: string, ids?: string[]): Promise<ModelItem[]> {
    return this.dataSource.getRepository(ItemEntity).find({
      where: ids ? { datasetId, id: In(ids) } : { datasetId },
      select: {
        id: true,
        externalId: true,
        question: true,
        answers: true,
        context: true,
        evidence: true,
        simpleLabel: true,
        groundTruth: true,
        features: true,
      },
      order: { externalId: 'ASC' },
    });
  }

  itemCount(datasetId: string): Promise<number> {
    return this.dataSource.getRepository(ItemEntity).countBy({ datasetId });
  }

  /** Each item's latest label up to a sequence number (a revised label replaces the one before). */
  async latestLabels(datasetId: string, upToSeq: number): Promise<ItemLabel[]> {
    const rows: { item_id: string; answer: number; agrees_with_simple: boolean }[] = await this.dataSource.query(
      `SELECT DISTINCT ON (item_id) item_id, answer, agrees_with_simple FROM labels
       WHERE dataset_id = $1 AND seq <= $2 ORDER BY item_id, seq DESC`,
      [datasetId, upToSeq],
    );
    return rows.map((r) => ({ itemId: r.item_id, answer: r.answer, agreesWithSimple: r.agrees_with_simple }));
  }

  async labelSeqOf(datasetId: string): Promise<{ max: number; count: number }> {
    const [row] = (await this.dataSource.query(`SELECT coalesce(max(seq), 0) AS max, count(*) AS count FROM labels WHERE dataset_id = $1`, [
      datasetId,
    ])) as { max: string; count: string }[];
    return { max: Number(row?.max ?? 0), count: Number(row?.count ?? 0) };
  }

  async labelsAfter(datasetId: string, seq: number): Promise<number> {
    const [row] = (await this.dataSource.query(`SELECT count(*) AS count FROM labels WHERE dataset_id = $1 AND seq > $2`, [
      datasetId,
      seq,
    ])) as {
      count: string;
    }[];
    return Number(row?.count ?? 0);
  }

  // ---- model versions ----------------------------------------------------------------------------

  versions(datasetId?: string): Promise<ModelVersionEntity[]> {
    return this.dataSource
      .getRepository(ModelVersionEntity)
      .find({ where: datasetId ? { datasetId } : {}, select: VERSION_SUMMARY, order: { createdAt: 'DESC' } });
  }

  version(id: string): Promise<ModelVersionEntity | null> {
    return this.dataSource.getRepository(ModelVersionEntity).findOne({ where: { id }, select: VERSION_SUMMARY });
  }

  async onnx(id: string): Promise<Buffer | null> {
    const row = await this.dataSource.getRepository(ModelVersionEntity).findOne({ where: { id }, select: { id: true, onnx: true } });
    return row?.onnx ?? null;
  }

  active(datasetId: string): Promise<ModelVersionEntity | null> {
    return this.dataSource.getRepository(ModelVersionEntity).findOne({ where: { datasetId, status: 'active' }, select: VERSION_SUMMARY });
  }

  /** Makes a version its dataset's active one, retiring the one before, in the caller's transaction. */
  async promote(tx: Transaction, id: string): Promise<ModelVersionEntity | null> {
    const manager = managerOf(tx);
    const version = await manager
      .getRepository(ModelVersionEntity)
      .findOne({ where: { id }, select: VERSION_SUMMARY, lock: { mode: 'pessimistic_write' } });
    if (!version) return null;
    // Promotions of one dataset take turns, so two at once cannot both retire the same predecessor.
    await manager.getRepository(DatasetEntity).findOne({ where: { id: version.datasetId }, lock: { mode: 'pessimistic_write' } });
    if (version.status !== 'active') {
      await manager.query(`UPDATE model_versions SET status = 'retired' WHERE dataset_id = $1 AND status = 'active'`, [version.datasetId]);
      await manager.update(ModelVersionEntity, { id }, { status: 'active', promotedAt: new Date() });
      Object.assign(version, { status: 'active', promotedAt: new Date() });
    }
    return version;
  }

  // ---- scoring -----------------------------------------------------------------------------------

  createScoringRun(
    tx: Transaction,
    run: Pick<ScoringRunEntity, 'modelVersionId' | 'datasetId' | 'selection' | 'total'>,
  ): Promise<ScoringRunEntity> {
    return managerOf(tx)
      .getRepository(ScoringRunEntity)
      .save({ ...run, status: 'queued' as const, scored: 0, disputesCreated: null, error: null });
  }

  scoringRun(id: string): Promise<ScoringRunEntity | null> {
    return this.dataSource.getRepository(ScoringRunEntity).findOneBy({ id });
  }

  scoringRuns(datasetId?: string): Promise<ScoringRunEntity[]> {
    return this.dataSource.getRepository(ScoringRunEntity).find({ where: datasetId ? { datasetId } : {}, order: { createdAt: 'DESC' } });
  }

  async markScoring(id: string, patch: Partial<Pick<ScoringRunEntity, 'status' | 'scored' | 'error' | 'finishedAt'>>): Promise<void> {
    await this.dataSource.getRepository(ScoringRunEntity).update({ id }, patch);
  }

  /** Ids of the dataset's items the version has not scored yet, in a stable order. */
  async unscored(modelVersionId: string, datasetId: string, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT i.id FROM items i WHERE i.dataset_id = $1
         AND NOT EXISTS (SELECT 1 FROM predictions p WHERE p.model_version_id = $2 AND p.item_id = i.id)
       ORDER BY i.id LIMIT $3`,
      [datasetId, modelVersionId, limit],
    );
    return rows.map((r) => r.id);
  }

  /** Writes a batch of predictions and the run's count together; a batch written twice changes nothing. */
  async savePredictions(
    runId: string,
    modelVersionId: string,
    rows: { itemId: string; intended: number[]; instrumental: number[] }[],
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      for (let start = 0; start < rows.length; start += 500) {
        await manager
          .createQueryBuilder()
          .insert()
          .into(PredictionEntity)
          .values(rows.slice(start, start + 500).map((r) => ({ ...r, modelVersionId })))
          .orIgnore()
          .execute();
      }
      await manager.query(
        `UPDATE scoring_runs SET scored = (SELECT count(*) FROM predictions WHERE model_version_id = $2), status = 'running' WHERE id = $1`,
        [runId, modelVersionId],
      );
    });
  }

  predictions(modelVersionId: string, itemIds?: string[]): Promise<PredictionEntity[]> {
    return this.dataSource
      .getRepository(PredictionEntity)
      .find({ where: itemIds ? { modelVersionId, itemId: In(itemIds) } : { modelVersionId } });
  }

  /**
   * A version's predictions for the dataset's items that have never been disputed, with what choosing
   * disputes reads of each item, ordered by external id (code-point order, as JavaScript sorts).
   */
  async undisputedPredictions(
    modelVersionId: string,
    datasetId: string,
  ): Promise<{ itemId: string; answers: string[]; simpleLabel: number | null; intended: number[]; instrumental: number[] }[]> {
    const rows: { item_id: string; answers: string[]; simple_label: number | null; intended: number[]; instrumental: number[] }[] =
      await this.dataSource.query(
        `SELECT p.item_id, i.answers, i.simple_label, p.intended, p.instrumental
         FROM predictions p JOIN items i ON i.id = p.item_id
         WHERE p.model_version_id = $1 AND i.dataset_id = $2 AND NOT EXISTS (SELECT 1 FROM disputes d WHERE d.item_id = i.id)
         ORDER BY i.external_id COLLATE "C"`,
        [modelVersionId, datasetId],
      );
    return rows.map((r) => ({
      itemId: r.item_id,
      answers: r.answers,
      simpleLabel: r.simple_label,
      intended: r.intended,
      instrumental: r.instrumental,
    }));
  }

  /** The run's disputes and its completion, in one transaction: a retried run never creates them twice. */
  async finishScoring(runId: string, modelVersionId: string, disputes: { itemId: string; reasons: DisputeReason[] }[]): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const [run] = (await manager.query(`SELECT status FROM scoring_runs WHERE id = $1 FOR UPDATE`, [runId])) as { status: string }[];
      if (!run || run.status === 'completed') return 0;
      if (disputes.length) await manager.getRepository(DisputeEntity).insert(disputes.map((d) => ({ ...d, modelVersionId })));
      await manager.query(
        `UPDATE scoring_runs SET status = 'completed', disputes_created = $2, finished_at = now(),
           scored = (SELECT count(*) FROM predictions WHERE model_version_id = $3) WHERE id = $1`,
        [runId, disputes.length, modelVersionId],
      );
      return disputes.length;
    });
  }

  async policy(datasetId: string): Promise<Record<string, unknown> | null> {
    const row = await this.dataSource
      .getRepository(DatasetEntity)
      .findOne({ where: { id: datasetId }, select: { id: true, modelPolicy: true } });
    return row?.modelPolicy ?? null;
  }

  async setPolicy(datasetId: string, policy: Record<string, unknown>): Promise<void> {
    await this.dataSource.query(`UPDATE datasets SET model_policy = $2 WHERE id = $1`, [datasetId, JSON.stringify(policy)]);
  }
}
