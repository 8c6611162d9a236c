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

  item(id: string): Promise<ItemEntity | null> {
    return this.dataSource.getRepository(ItemEntity).findOneBy({ id });
  }
}
