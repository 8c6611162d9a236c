import type { DataSource } from 'typeorm';
import { ExperimentEntity } from '../entities/index.js';

export class ExperimentRepository {
  constructor(private readonly dataSource: DataSource) {}

  save(experiment: Pick<ExperimentEntity, 'name' | 'config' | 'results' | 'summary'>): Promise<ExperimentEntity> {
    return this.dataSource.getRepository(ExperimentEntity).save(experiment);
  }

  list(): Promise<ExperimentEntity[]> {
    return this.dataSource.getRepository(ExperimentEntity).find({ order: { createdAt: 'DESC' } });
  }

  get(id: string): Promise<ExperimentEntity | null> {
    return this.dataSource.getRepository(ExperimentEntity).findOneBy({ id });
  }
}
