import { ConflictException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { DatasetRepository, type DatasetSummary, type ItemEntity } from '../../persistence/src/index.js';
import { generateWorldDataset, validateWorldParams, WorldParamsError, type WorldParams } from '../../world/src/index.js';

export interface LoadWorldRequest {
  name: string;
  seed: number;
  size: number;
  params?: Partial<WorldParams>;
}

@Injectable()
export class DatasetsService {
  constructor(private readonly datasets: DatasetRepository) {}

  /** Generates a dataset of the built-in world and stores it, all or nothing. */
  async loadWorld(request: LoadWorldRequest, onProgress?: (done: number, total: number) => void): Promise<DatasetSummary> {
    let params: WorldParams;
    try {
      params = validateWorldParams(request.params ?? {});
    } catch (error) {
      if (error instanceof WorldParamsError) throw new UnprocessableEntityException(error.message.replace(/^world\./, 'params.'));
      throw error;
    }
    if (await this.datasets.byName(request.name)) throw new ConflictException(`a dataset named "${request.name}" already exists`);
    const items = generateWorldDataset({ seed: request.seed, size: request.size, params });
    const dataset = await this.datasets.createWithItems(
      { name: request.name, source: 'world', params: { seed: request.seed, size: request.size, world: params } },
      items.map((item) => ({
        externalId: item.externalId,
        context: item.context as unknown as Record<string, unknown>,
        evidence: item.evidence as unknown as ItemEntity['evidence'],
        question: item.question,
        answers: item.answers,
        simpleLabel: item.simpleLabel,
        groundTruth: item.groundTruth,
        features: item.features,
        meta: item.meta as unknown as Record<string, unknown>,
      })),
      (done) => onProgress?.(done, items.length),
    );
    return {
      id: dataset.id,
      name: dataset.name,
      source: dataset.source,
      params: dataset.params,
      items: items.length,
      createdAt: dataset.createdAt,
    };
  }

  list(): Promise<DatasetSummary[]> {
    return this.datasets.list();
  }

  async items(datasetId: string, page: { limit: number; offset: number }): Promise<ItemEntity[]> {
    if (!(await this.datasets.byId(datasetId))) throw new NotFoundException(`dataset ${datasetId} does not exist`);
    return this.datasets.items(datasetId, page);
  }
}
