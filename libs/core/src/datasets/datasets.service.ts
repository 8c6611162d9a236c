import { Injectable, Logger } from '@nestjs/common';
import { Conflict, featureRowProblems, Invalid, itemProblems, NotFound, type FeatureRow, type UploadedItem } from '#tribunal/contracts';
import { DatasetRepository, type DatasetEntity, type DatasetSummary, type ItemEntity, type NewItem } from '#tribunal/persistence';
import { generateWorldDataset, validateWorldParams, WorldParamsError, type WorldParams } from '#tribunal/world';

export interface LoadWorldRequest {
  name: string;
  seed: number;
  size: number;
  params?: Partial<WorldParams>;
}

/** A refusal naming the first 20 problems, and how many more there are. */
function refusal(problems: string[]): Invalid {
  return new Invalid([...problems.slice(0, 20), ...(problems.length > 20 ? [`and ${problems.length - 20} more`] : [])]);
}

@Injectable()
export class DatasetsService {
  private readonly logger = new Logger(DatasetsService.name);

  constructor(private readonly datasetRepository: DatasetRepository) {}

  /** Generates a dataset of the built-in world and stores it, all or nothing. */
  async loadWorld(request: LoadWorldRequest, onProgress?: (done: number, total: number) => void): Promise<DatasetSummary> {
    let params: WorldParams;
    try {
      params = validateWorldParams(request.params ?? {});
    } catch (error) {
      if (error instanceof WorldParamsError) throw new Invalid(error.message.replace(/^world\./, 'params.'));
      throw error;
    }
    return this.create(
      { name: request.name, source: 'world', params: { seed: request.seed, size: request.size, world: params } },
      () =>
        generateWorldDataset({ seed: request.seed, size: request.size, params }).map((item) => ({
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
      onProgress,
    );
  }

  /**
   * Stores a new dataset with its items under a name no other dataset has (the items are made only
   * once the name is known to be free). Written in chunks that let others be served in between; all
   * or nothing: see `DatasetRepository.load`. Progress goes to the log and to the dataset list.
   */
  private async create(
    dataset: Pick<DatasetEntity, 'name' | 'source' | 'params'>,
    makeItems: () => NewItem[],
    onProgress?: (done: number, total: number) => void,
  ): Promise<DatasetSummary> {
    if (await this.datasetRepository.byName(dataset.name)) throw new Conflict(`a dataset named "${dataset.name}" already exists`);
    const items = makeItems();
    let logged = 0;
    const progress = (done: number) => {
      onProgress?.(done, items.length);
      // A line per tenth of a large load, so an operator can follow it.
      if (items.length >= 10_000 && done - logged >= items.length / 10) {
        logged = done;
        this.logger.log(`dataset "${dataset.name}": ${done} of ${items.length} items stored`);
      }
    };
    // Two loads racing for one name: the unique index lets one through, the other is a Conflict (domainErrorOf).
    const saved = await this.datasetRepository.load(dataset, items, progress);
    return {
      id: saved.id,
      name: saved.name,
      source: saved.source,
      params: saved.params,
      status: 'ready',
      items: items.length,
      createdAt: saved.createdAt,
    };
  }

  /** A dataset of uploaded items, checked whole before anything is written; all or nothing. */
  async upload(name: string, items: unknown): Promise<DatasetSummary> {
    const problems = itemProblems(items);
    if (problems.length) throw refusal(problems);
    return this.create({ name, source: 'upload', params: {} }, () =>
      (items as UploadedItem[]).map((item) => ({
        externalId: item.externalId,
        context: item.context ?? {},
        evidence: (item.evidence ?? []) as ItemEntity['evidence'],
        question: item.question,
        answers: item.answers,
        simpleLabel: item.simpleLabel ?? null,
        groundTruth: item.groundTruth ?? null,
        features: item.features ?? null,
        meta: item.meta ?? {},
      })),
    );
  }

  /** Sets items' feature vectors (a pipeline's embeddings, say) by external id; every vector of the dataset must end up one length. */
  async setFeatures(datasetId: string, rows: unknown): Promise<{ updated: number }> {
    if (!(await this.datasetRepository.byId(datasetId))) throw new NotFound(`dataset ${datasetId} does not exist`);
    const problems = featureRowProblems(rows);
    if (problems.length) throw refusal(problems);
    const updates = rows as FeatureRow[];
    const outcome = await this.datasetRepository.setFeatures(datasetId, updates);
    if (outcome.missing.length) throw new Invalid(`no items with externalId ${outcome.missing.slice(0, 10).join(', ')} in the dataset`);
    if (outcome.lengths.length > 1) {
      throw new Invalid(`the dataset's feature vectors would have lengths ${outcome.lengths.join(', ')}; they must all have one length`);
    }
    return { updated: updates.length };
  }

  list(): Promise<DatasetSummary[]> {
    return this.datasetRepository.list();
  }

  async items(datasetId: string, page: { limit: number; offset: number }): Promise<ItemEntity[]> {
    if (!(await this.datasetRepository.byId(datasetId))) throw new NotFound(`dataset ${datasetId} does not exist`);
    return this.datasetRepository.items(datasetId, page);
  }
}
