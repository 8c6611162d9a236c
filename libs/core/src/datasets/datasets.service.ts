import { Injectable, Logger } from '@nestjs/common';
import { Conflict, Invalid, isJsonObject, NotFound } from '#tribunal/contracts';
import { DatasetRepository, type DatasetEntity, type DatasetSummary, type ItemEntity, type NewItem } from '#tribunal/persistence';
import { generateWorldDataset, validateWorldParams, WorldParamsError, type WorldParams } from '#tribunal/world';

export interface LoadWorldRequest {
  name: string;
  seed: number;
  size: number;
  params?: Partial<WorldParams>;
}

/** An item as a researcher or pipeline uploads it. */
export interface UploadedItem {
  externalId: string;
  question: string;
  answers: string[];
  /** What a judge may see of the input, e.g. `{ "kind": "passage", "text": "…" }`. */
  context?: Record<string, unknown>;
  /** Units debaters may cite: `{ id, kind, text }`. */
  evidence?: { id: string; kind: string; text: string }[];
  simpleLabel?: number | null;
  groundTruth?: number | null;
  /** The model's input for this item (e.g. an embedding); without one, text items are featurised by hashed n-grams. */
  features?: number[] | null;
  meta?: Record<string, unknown>;
}

/** A feature vector: a non-empty list of finite numbers. */
function isFeatureVector(value: unknown): value is number[] {
  return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'number' && Number.isFinite(v));
}

/** A refusal naming the first 20 problems, and how many more there are. */
function refusal(problems: string[]): Invalid {
  return new Invalid([...problems.slice(0, 20), ...(problems.length > 20 ? [`and ${problems.length - 20} more`] : [])]);
}

/** Every problem with an upload, each naming the item and field. */
export function itemProblems(items: unknown): string[] {
  if (!Array.isArray(items) || items.length === 0) return ['items must be a non-empty list'];
  if (items.length > 100_000) return [`items: at most 100000 per upload, got ${items.length}`];
  const problems: string[] = [];
  const ids = new Set<string>();
  const lengths = new Set<number>();
  let withFeatures = 0;
  items.forEach((raw: unknown, i) => {
    const at = `items[${i}]`;
    if (!isJsonObject(raw)) return void problems.push(`${at} must be an object`);
    const known = ['externalId', 'question', 'answers', 'context', 'evidence', 'simpleLabel', 'groundTruth', 'features', 'meta'];
    for (const key of Object.keys(raw))
      if (!known.includes(key)) problems.push(`${at}.${key} is not an item field (known: ${known.join(', ')})`);
    if (typeof raw.externalId !== 'string' || raw.externalId.length === 0 || raw.externalId.length > 200)
      problems.push(`${at}.externalId must be a string of 1 to 200 characters`);
    else if (ids.has(raw.externalId)) problems.push(`${at}.externalId "${raw.externalId}" appears twice`);
    else ids.add(raw.externalId);
    if (typeof raw.question !== 'string' || raw.question.length === 0) problems.push(`${at}.question must be a non-empty string`);
    const answers = raw.answers;
    const answerCount = Array.isArray(answers) ? answers.length : 0;
    if (!Array.isArray(answers) || answers.length < 2 || !answers.every((a) => typeof a === 'string' && a.length > 0)) {
      problems.push(`${at}.answers must be a list of at least 2 non-empty strings`);
    }
    for (const key of ['simpleLabel', 'groundTruth'] as const) {
      const v = raw[key];
      if (v !== undefined && v !== null && !(Number.isInteger(v) && (v as number) >= 0 && (v as number) < answerCount)) {
        problems.push(`${at}.${key} must be an index into answers (0 to ${answerCount - 1}) or null, got ${JSON.stringify(v)}`);
      }
    }
    if (raw.context !== undefined && !isJsonObject(raw.context)) problems.push(`${at}.context must be an object`);
    if (raw.meta !== undefined && !isJsonObject(raw.meta)) problems.push(`${at}.meta must be an object`);
    if (raw.evidence !== undefined) {
      if (
        !Array.isArray(raw.evidence) ||
        !raw.evidence.every((u) => isJsonObject(u) && typeof u.id === 'string' && typeof u.kind === 'string' && typeof u.text === 'string')
      ) {
        problems.push(`${at}.evidence must be a list of { id, kind, text } strings`);
      } else if (new Set(raw.evidence.map((u) => (u as { id: string }).id)).size !== raw.evidence.length)
        problems.push(`${at}.evidence ids must be unique`);
    }
    if (raw.features !== undefined && raw.features !== null) {
      if (!isFeatureVector(raw.features)) problems.push(`${at}.features must be a non-empty list of finite numbers`);
      else {
        withFeatures++;
        lengths.add(raw.features.length);
      }
    }
  });
  if (lengths.size > 1)
    problems.push(`items' features must all have one length; got lengths ${[...lengths].sort((a, b) => a - b).join(', ')}`);
  if (withFeatures > 0 && withFeatures < items.length)
    problems.push(`${withFeatures} of ${items.length} items have features: give every item features, or none`);
  return problems;
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
    const problems: string[] = [];
    if (!Array.isArray(rows) || rows.length === 0) problems.push('items must be a non-empty list of { externalId, features }');
    const list = (Array.isArray(rows) ? rows : []) as unknown[];
    list.forEach((row, i) => {
      if (!isJsonObject(row) || typeof row.externalId !== 'string') problems.push(`items[${i}].externalId must be a string`);
      else if (!isFeatureVector(row.features)) problems.push(`items[${i}].features must be a non-empty list of finite numbers`);
    });
    if (problems.length) throw refusal(problems);
    const updates = list as { externalId: string; features: number[] }[];
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
