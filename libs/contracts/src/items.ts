import { isJsonObject } from './validation.js';

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

/** An item's feature vector as a pipeline sets it later, by external id. */
export interface FeatureRow {
  externalId: string;
  features: number[];
}

/** A feature vector: a non-empty list of finite numbers. */
export function isFeatureVector(value: unknown): value is number[] {
  return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'number' && Number.isFinite(v));
}

const ITEM_FIELDS = ['externalId', 'question', 'answers', 'context', 'evidence', 'simpleLabel', 'groundTruth', 'features', 'meta'];

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
    for (const key of Object.keys(raw))
      if (!ITEM_FIELDS.includes(key)) problems.push(`${at}.${key} is not an item field (known: ${ITEM_FIELDS.join(', ')})`);
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

/** Every problem with a list of feature rows (`{ externalId, features }`), each naming the row and field. */
export function featureRowProblems(rows: unknown): string[] {
  const problems: string[] = [];
  if (!Array.isArray(rows) || rows.length === 0) problems.push('items must be a non-empty list of { externalId, features }');
  const list = (Array.isArray(rows) ? rows : []) as unknown[];
  list.forEach((row, i) => {
    if (!isJsonObject(row) || typeof row.externalId !== 'string') problems.push(`items[${i}].externalId must be a string`);
    else if (!isFeatureVector(row.features)) problems.push(`items[${i}].features must be a non-empty list of finite numbers`);
  });
  return problems;
}
