import type { DataSource, FindOptionsSelect } from 'typeorm';
import { DatasetEntity, ModelVersionEntity } from '../entities/index.js';
import { managerOf, type Transaction } from '../unit-of-work.js';

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

/** Model versions: their bytes, which one is active for a dataset, promotion. */
export class ModelRepository {
  constructor(private readonly dataSource: DataSource) {}

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
}
