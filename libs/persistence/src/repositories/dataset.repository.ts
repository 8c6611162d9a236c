import type { DataSource } from 'typeorm';
import { DatasetEntity, ItemEntity } from '../entities/index.js';

export type NewItem = Omit<ItemEntity, 'id' | 'datasetId' | 'dataset' | 'createdAt'>;

export interface DatasetSummary {
  id: string;
  name: string;
  source: string;
  params: Record<string, unknown>;
  items: number;
  createdAt: Date;
}

/** Rows per INSERT: keeps each statement well under PostgreSQL's parameter limit. */
const CHUNK = 200;

export class DatasetRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A dataset and all its items, in one transaction: a failed load leaves nothing behind. */
  async createWithItems(
    dataset: Pick<DatasetEntity, 'name' | 'source' | 'params'>,
    items: NewItem[],
    onProgress?: (done: number) => void,
  ): Promise<DatasetEntity> {
    return this.dataSource.transaction(async (manager) => {
      const saved = await manager.getRepository(DatasetEntity).save(manager.getRepository(DatasetEntity).create(dataset));
      for (let start = 0; start < items.length; start += CHUNK) {
        const chunk = items.slice(start, start + CHUNK).map((item) => ({ ...item, datasetId: saved.id }));
        await manager.getRepository(ItemEntity).insert(chunk as Parameters<typeof manager.insert<ItemEntity>>[1]);
        onProgress?.(Math.min(start + CHUNK, items.length));
      }
      return saved;
    });
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

  byName(name: string): Promise<DatasetEntity | null> {
    return this.dataSource.getRepository(DatasetEntity).findOneBy({ name });
  }

  byId(id: string): Promise<DatasetEntity | null> {
    return this.dataSource.getRepository(DatasetEntity).findOneBy({ id });
  }

  async list(): Promise<DatasetSummary[]> {
    const rows: (DatasetSummary & { items: string })[] = await this.dataSource
      .getRepository(DatasetEntity)
      .createQueryBuilder('d')
      .select(['d.id AS id', 'd.name AS name', 'd.source AS source', 'd.params AS params', 'd.created_at AS "createdAt"'])
      .addSelect('(SELECT count(*) FROM items i WHERE i.dataset_id = d.id)', 'items')
      .orderBy('d.created_at', 'ASC')
      .getRawMany();
    return rows.map((r) => ({ ...r, items: Number(r.items) }));
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
}
