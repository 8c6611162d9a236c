import { In, type DataSource, type FindOptionsSelect } from 'typeorm';
import { ModelVersionEntity, TrainingJobEntity } from '../entities/index.js';
import { managerOf, type Transaction } from '../unit-of-work.js';

export type NewModelVersion = Pick<
  ModelVersionEntity,
  'name' | 'datasetId' | 'trainingJobId' | 'sha256' | 'onnx' | 'config' | 'evaluation'
>;

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

/** Training jobs: queued, running with progress and checkpoints, ended with the model version they made. */
export class TrainingRepository {
  constructor(private readonly dataSource: DataSource) {}

  create(tx: Transaction, job: Pick<TrainingJobEntity, 'datasetId' | 'trigger' | 'config'>): Promise<TrainingJobEntity> {
    return managerOf(tx)
      .getRepository(TrainingJobEntity)
      .save({ ...job, status: 'queued' as const });
  }

  byId(id: string): Promise<TrainingJobEntity | null> {
    return this.dataSource.getRepository(TrainingJobEntity).findOne({ where: { id }, select: JOB_SUMMARY });
  }

  list(datasetId?: string): Promise<TrainingJobEntity[]> {
    return this.dataSource
      .getRepository(TrainingJobEntity)
      .find({ where: datasetId ? { datasetId } : {}, select: JOB_SUMMARY, order: { createdAt: 'DESC' } });
  }

  /** Marks a queued (or interrupted) job running on a device; null when it is no longer to be run. */
  async start(id: string, device: string): Promise<TrainingJobEntity | null> {
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
  async complete(id: string, version: NewModelVersion): Promise<ModelVersionEntity | null> {
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

  async end(id: string, status: 'failed' | 'cancelled', error: string | null): Promise<boolean> {
    const result: [unknown[], number] = await this.dataSource.query(
      `UPDATE training_jobs SET status = $2, error = $3, finished_at = now(), checkpoint = NULL
       WHERE id = $1 AND status IN ('queued', 'running') RETURNING id`,
      [id, status, error],
    );
    return result[1] > 0;
  }

  async pending(datasetId: string): Promise<boolean> {
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
}
