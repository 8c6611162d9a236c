import { In, type DataSource } from 'typeorm';
import type { DisputeReason } from '#tribunal/contracts';
import { DisputeEntity } from '../entities/index.js';

/** Disputes: the items chosen for debate, with why. */
export class DisputeRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(disputes: { itemId: string; reasons: DisputeReason[] }[]): Promise<DisputeEntity[]> {
    if (disputes.length === 0) return [];
    return this.dataSource.transaction((manager) => manager.getRepository(DisputeEntity).save(disputes));
  }

  /** Which of these dispute ids do not exist. */
  async missing(ids: string[]): Promise<string[]> {
    const found = await this.dataSource.getRepository(DisputeEntity).find({ where: { id: In(ids) }, select: { id: true } });
    const known = new Set(found.map((d) => d.id));
    return ids.filter((id) => !known.has(id));
  }

  byId(id: string): Promise<DisputeEntity | null> {
    // One statement (a find with a relation takes two).
    return this.dataSource
      .getRepository(DisputeEntity)
      .createQueryBuilder('d')
      .leftJoinAndSelect('d.item', 'item')
      .where('d.id = :id', { id })
      .getOne();
  }

  ofDataset(datasetId: string): Promise<DisputeEntity[]> {
    return this.dataSource
      .getRepository(DisputeEntity)
      .createQueryBuilder('d')
      .innerJoin('d.item', 'i')
      .where('i.dataset_id = :datasetId', { datasetId })
      .orderBy('d.created_at', 'ASC')
      .getMany();
  }
}
