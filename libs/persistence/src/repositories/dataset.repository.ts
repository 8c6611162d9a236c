import { setImmediate } from 'node:timers/promises';
import { In, LessThan, MoreThanOrEqual, type DataSource, type Repository } from 'typeorm';
import { DatasetEntity, ItemEntity } from '../entities/index.js';

/** What training and scoring read of an item. */
export type ModelItem = Pick<
  ItemEntity,
  'id' | 'externalId' | 'question' | 'answers' | 'context' | 'evidence' | 'simpleLabel' | 'groundTruth' | 'features'
>;

export type NewItem = Omit<ItemEntity, 'id' | 'datasetId' | 'dataset' | 'createdAt'>;

export interface DatasetSummary {
  id: string;
  name: string;
  source: string;
  params: Record<string, unknown>;
  /** `loading` while its items are being written (see `DatasetRepository.load`). */
  status: 'loading' | 'ready';
  /** Items stored so far. */
  items: number;
  /** A load's progress: items written of the total it will have. */
  loading?: { done: number; total: number };
  createdAt: Date;
}

/** Rows per INSERT: keeps each statement well under PostgreSQL's parameter limit. */
const CHUNK = 200;
/** How long a load may go without writing a chunk before it counts as abandoned (its process died). */
const LOAD_LEASE_MS = 5 * 60_000;

function leaseEnd(): Date {
  return new Date(Date.now() + LOAD_LEASE_MS);
}

export class DatasetRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Stores a dataset and its items. The items are written in chunks, each committed by itself with a
   * turn of the event loop between them, so a large load neither blocks the process that serves
   * judges nor holds the database's only session (the embedded database has one) for its whole
   * length. Until the last chunk the dataset is `loading`: listed with its progress, invisible to
   * every other operation. A load that fails is removed whole; one whose process died is removed
   * once its lease has run out (`removeAbandoned`), so nothing half-written is ever used.
   */
  async load(
    dataset: Pick<DatasetEntity, 'name' | 'source' | 'params'>,
    items: NewItem[],
    onProgress?: (done: number) => void,
  ): Promise<DatasetEntity> {
    await this.removeAbandoned();
    const datasets = this.dataSource.getRepository(DatasetEntity);
    const saved = await datasets.save(
      datasets.create({ ...dataset, status: 'loading', loadingTotal: items.length, loadingUntil: leaseEnd() }),
    );
    try {
      for (let start = 0; start < items.length; start += CHUNK) {
        await this.dataSource.transaction(async (manager) => {
          const chunk = items.slice(start, start + CHUNK).map((item) => ({ ...item, datasetId: saved.id }));
          await manager.getRepository(ItemEntity).insert(chunk as Parameters<typeof manager.insert<ItemEntity>>[1]);
          await this.renewLease(manager.getRepository(DatasetEntity), saved.id);
        });
        onProgress?.(Math.min(start + CHUNK, items.length));
        await setImmediate();
      }
      const ready = await datasets.update({ id: saved.id, status: 'loading' }, { status: 'ready', loadingTotal: null, loadingUntil: null });
      if (ready.affected !== 1) throw new Error(`dataset "${dataset.name}" was removed while loading: its lease ran out`);
      return { ...saved, status: 'ready', loadingTotal: null, loadingUntil: null };
    } catch (error) {
      await datasets.delete({ id: saved.id, status: 'loading' });
      throw error;
    }
  }

  /** Keeps a load's lease: refuses to write into a dataset that was removed for having run out of it. */
  private async renewLease(datasets: Repository<DatasetEntity>, id: string): Promise<void> {
    const renewed = await datasets.update({ id, status: 'loading' }, { loadingUntil: leaseEnd() });
    if (renewed.affected !== 1) throw new Error('the dataset was removed while loading: its lease ran out');
  }

  /** Removes loads whose process stopped renewing their lease (killed mid-load), items and all. */
  async removeAbandoned(): Promise<number> {
    const removed = await this.dataSource.getRepository(DatasetEntity).delete({ status: 'loading', loadingUntil: LessThan(new Date()) });
    return removed.affected ?? 0;
  }

  /**
   * Sets feature vectors by external id, in one transaction that is rolled back unless every id exists
   * and every vector of the dataset ends up one length. Reports what was wrong.
   */
  async setFeatures(
    datasetId: string,
    rows: { externalId: string; features: number[] }[],
  ): Promise<{ missing: string[]; lengths: number[] }> {
    class Refused extends Error {
      constructor(readonly outcome: { missing: string[]; lengths: number[] }) {
        super('refused');
      }
    }
    try {
      await this.dataSource.transaction(async (manager) => {
        const found: { external_id: string }[] = await manager.query(
          `SELECT external_id FROM items WHERE dataset_id = $1 AND external_id = ANY($2)`,
          [datasetId, rows.map((r) => r.externalId)],
        );
        const known = new Set(found.map((r) => r.external_id));
        const missing = rows.map((r) => r.externalId).filter((id) => !known.has(id));
        if (missing.length) throw new Refused({ missing, lengths: [] });
        for (let start = 0; start < rows.length; start += 1000) {
          await manager.query(
            `UPDATE items i SET features = ARRAY(SELECT jsonb_array_elements_text(v.f)::real)
             FROM jsonb_to_recordset($2::jsonb) AS v(e text, f jsonb) WHERE i.dataset_id = $1 AND i.external_id = v.e`,
            [datasetId, JSON.stringify(rows.slice(start, start + 1000).map((r) => ({ e: r.externalId, f: r.features })))],
          );
          // All or nothing, so one transaction; a turn of the event loop between chunks keeps the process answering others.
          await setImmediate();
        }
        const lengths: { n: number }[] = await manager.query(
          `SELECT DISTINCT cardinality(features) AS n FROM items WHERE dataset_id = $1 AND features IS NOT NULL ORDER BY n`,
          [datasetId],
        );
        if (lengths.length > 1) throw new Refused({ missing: [], lengths: lengths.map((l) => l.n) });
      });
    } catch (error) {
      if (error instanceof Refused) return error.outcome;
      throw error;
    }
    return { missing: [], lengths: [] };
  }

  /** The dataset holding a name, loaded or still loading (a live load keeps its name). */
  byName(name: string): Promise<DatasetEntity | null> {
    return this.dataSource.getRepository(DatasetEntity).findOneBy([
      { name, status: 'ready' },
      { name, status: 'loading', loadingUntil: MoreThanOrEqual(new Date()) },
    ]);
  }

  /** A dataset every operation may use: one still loading is not there yet. */
  byId(id: string): Promise<DatasetEntity | null> {
    return this.dataSource.getRepository(DatasetEntity).findOneBy({ id, status: 'ready' });
  }

  async list(): Promise<DatasetSummary[]> {
    const rows: (Omit<DatasetSummary, 'items' | 'loading'> & { items: string; loadingTotal: number | null })[] = await this.dataSource
      .getRepository(DatasetEntity)
      .createQueryBuilder('d')
      .select(['d.id AS id', 'd.name AS name', 'd.source AS source', 'd.params AS params', 'd.status AS status'])
      .addSelect(['d.loading_total AS "loadingTotal"', 'd.created_at AS "createdAt"'])
      .addSelect('(SELECT count(*) FROM items i WHERE i.dataset_id = d.id)', 'items')
      .where(`d.status = 'ready' OR d.loading_until >= :now`, { now: new Date() }) // the lease's clock: leaseEnd()
      .orderBy('d.created_at', 'ASC')
      .getRawMany();
    return rows.map(({ loadingTotal, ...r }) => ({
      ...r,
      items: Number(r.items),
      ...(r.status === 'loading' ? { loading: { total: loadingTotal!, done: Number(r.items) } } : {}),
    }));
  }

  items(datasetId: string, page: { limit: number; offset: number }): Promise<ItemEntity[]> {
    return this.dataSource.getRepository(ItemEntity).find({
      where: { datasetId },
      order: { externalId: 'ASC' },
      take: page.limit,
      skip: page.offset,
    });
  }

  allItems(datasetId: string): Promise<ItemEntity[]> {
    return this.dataSource.getRepository(ItemEntity).find({ where: { datasetId }, order: { externalId: 'ASC' } });
  }

  /** Every item's external id (which decides whether it is held out) and whether it is disputed already. */
  async itemKeys(datasetId: string): Promise<{ id: string; externalId: string; disputed: boolean }[]> {
    const rows: { id: string; external_id: string; disputed: boolean }[] = await this.dataSource.query(
      `SELECT i.id, i.external_id, EXISTS (SELECT 1 FROM disputes d WHERE d.item_id = i.id) AS disputed
         FROM items i WHERE i.dataset_id = $1 ORDER BY i.external_id COLLATE "C"`,
      [datasetId],
    );
    return rows.map((r) => ({ id: r.id, externalId: r.external_id, disputed: r.disputed }));
  }

  item(id: string): Promise<ItemEntity | null> {
    return this.dataSource.getRepository(ItemEntity).findOneBy({ id });
  }

  /** What training and scoring read of a dataset's items (all, or those given), by external id. */
  modelItems(datasetId: string, ids?: string[]): Promise<ModelItem[]> {
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

  async setModelPolicy(datasetId: string, policy: Record<string, unknown>): Promise<void> {
    await this.dataSource.query(`UPDATE datasets SET model_policy = $2 WHERE id = $1`, [datasetId, JSON.stringify(policy)]);
  }
}
