import { In, type DataSource } from 'typeorm';
import type { DisputeReason } from '#tribunal/contracts';
import { DisputeEntity, PredictionEntity, ScoringRunEntity } from '../entities/index.js';
import { managerOf, type Transaction } from '../unit-of-work.js';

/** Scoring runs: a model version's predictions over a dataset, and the disputes chosen from them. */
export class ScoringRepository {
  constructor(private readonly dataSource: DataSource) {}

  create(tx: Transaction, run: Pick<ScoringRunEntity, 'modelVersionId' | 'datasetId' | 'selection' | 'total'>): Promise<ScoringRunEntity> {
    return managerOf(tx)
      .getRepository(ScoringRunEntity)
      .save({ ...run, status: 'queued' as const, scored: 0, disputesCreated: null, error: null });
  }

  byId(id: string): Promise<ScoringRunEntity | null> {
    return this.dataSource.getRepository(ScoringRunEntity).findOneBy({ id });
  }

  list(datasetId?: string): Promise<ScoringRunEntity[]> {
    return this.dataSource.getRepository(ScoringRunEntity).find({ where: datasetId ? { datasetId } : {}, order: { createdAt: 'DESC' } });
  }

  async mark(id: string, patch: Partial<Pick<ScoringRunEntity, 'status' | 'scored' | 'error' | 'finishedAt'>>): Promise<void> {
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
  async finish(runId: string, modelVersionId: string, disputes: { itemId: string; reasons: DisputeReason[] }[]): Promise<number> {
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
}
