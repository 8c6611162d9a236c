import { Injectable } from '@nestjs/common';
import { NotFound } from '#tribunal/contracts';
import { ExperimentRepository, type ExperimentEntity } from '#tribunal/persistence';

/** Results of headless experiments (`tribunal experiment`), kept so the web app can show them. */
@Injectable()
export class ExperimentsService {
  constructor(private readonly experimentRepository: ExperimentRepository) {}

  record(experiment: Pick<ExperimentEntity, 'name' | 'config' | 'results' | 'summary'>): Promise<ExperimentEntity> {
    return this.experimentRepository.save(experiment);
  }

  list(): Promise<ExperimentEntity[]> {
    return this.experimentRepository.list();
  }

  async get(id: string): Promise<ExperimentEntity> {
    const experiment = await this.experimentRepository.get(id);
    if (!experiment) throw new NotFound(`experiment ${id} does not exist`);
    return experiment;
  }
}
