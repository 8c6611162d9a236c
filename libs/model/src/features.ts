import { createHash } from 'node:crypto';

/**
 * How an item becomes the model's input. `provided`: the item's own feature vector (the built-in
 * world's encoding, or embeddings a pipeline uploaded with its items). `hashed-ngrams`: word uni- and
 * bigrams of the item's text hashed into a fixed-size vector, for text items that carry nothing else.
 */
export type FeatureSpec = { kind: 'provided'; size: number } | { kind: 'hashed-ngrams'; size: number; n: number };

export const HASHED_SIZE = 2048;

/** What featurising reads of an item. */
export interface FeaturedItem {
  question: string;
  answers: string[];
  context: Record<string, unknown>;
  evidence: { text: string }[];
  features: number[] | null;
}

/** Provided features when every item has a vector of one length; hashed n-grams otherwise. */
export function chooseFeatures(items: readonly Pick<FeaturedItem, 'features'>[]): FeatureSpec {
  const lengths = new Set(items.map((i) => i.features?.length ?? 0));
  const [only] = [...lengths];
  if (lengths.size === 1 && only !== undefined && only > 0) return { kind: 'provided', size: only };
  return { kind: 'hashed-ngrams', size: HASHED_SIZE, n: 2 };
}

/** Whether two specs describe the same features, whatever the order of their keys (one may have been read back from jsonb). */
export function sameFeatures(a: FeatureSpec, b: FeatureSpec): boolean {
  if (a.kind !== b.kind || a.size !== b.size) return false;
  return a.kind !== 'hashed-ngrams' || a.n === (b as typeof a).n;
}

export function featuresOf(item: FeaturedItem, spec: FeatureSpec): Float32Array {
  const out = new Float32Array(spec.size);
  writeFeatures(item, spec, out, 0);
  return out;
}

/** Writes an item's features into `target` at `offset`: a batch is filled without a copy per item. */
export function writeFeatures(item: FeaturedItem, spec: FeatureSpec, target: Float32Array, offset: number): void {
  if (spec.kind === 'provided') {
    if (!item.features || item.features.length !== spec.size) {
      throw new Error(`the model reads ${spec.size} provided features per item; an item has ${item.features?.length ?? 'none'}`);
    }
    target.set(item.features, offset);
    return;
  }
  target.set(hashedNgrams(itemText(item), spec.size, spec.n), offset);
}

/**
 * Writes a batch of items' features into `target`, row after row (`target` holds at least
 * `items.length × spec.size` values). The same values as `writeFeatures` item by item, but provided
 * vectors are copied in one loop: for vectors a few dozen long, a `TypedArray.set` and a call per
 * item cost more than the copy, and scoring featurises every item of a dataset this way.
 */
export function writeBatchFeatures(items: readonly FeaturedItem[], spec: FeatureSpec, target: Float32Array): void {
  const size = spec.size;
  if (target.length < items.length * size)
    throw new Error(`a batch of ${items.length} items needs ${items.length * size} values; got ${target.length}`);
  if (spec.kind !== 'provided') {
    for (let i = 0; i < items.length; i++) writeFeatures(items[i]!, spec, target, i * size);
    return;
  }
  for (let i = 0; i < items.length; i++) {
    const features = items[i]!.features;
    if (!features || features.length !== size) {
      throw new Error(`the model reads ${size} provided features per item; an item has ${features?.length ?? 'none'}`);
    }
    const offset = i * size;
    for (let j = 0; j < size; j++) target[offset + j] = features[j]!;
  }
}

/** The question, each answer under its position (so the model can tell answer 0's words from answer 1's), and the evidence. */
export function itemText(item: FeaturedItem): string[] {
  const parts = [item.question, ...item.answers.map((a, i) => tagged(`a${i}`, a))];
  for (const unit of item.evidence) parts.push(unit.text);
  return parts;
}

function tagged(tag: string, text: string): string {
  return tokens(text)
    .map((t) => `${tag}:${t}`)
    .join(' ');
}

function tokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}:]+/gu) ?? [];
}

/**
 * Signed feature hashing (Weinberger et al. 2009) of word n-grams up to `n`, L2-normalised. The hash
 * is SHA-1 truncated to 32 bits: stable across machines and versions, which a model file relies on.
 */
export function hashedNgrams(parts: readonly string[], size: number, n: number): Float32Array {
  const out = new Float32Array(size);
  for (const part of parts) {
    const words = tokens(part);
    for (let len = 1; len <= n; len++) {
      for (let i = 0; i + len <= words.length; i++) {
        const digest = createHash('sha1')
          .update(words.slice(i, i + len).join(' '))
          .digest();
        const h = digest.readUInt32LE(0);
        out[h % size] += digest[4]! & 1 ? 1 : -1;
      }
    }
  }
  let norm = 0;
  for (const v of out) norm += v * v;
  if (norm > 0) {
    const scale = 1 / Math.sqrt(norm);
    for (let i = 0; i < size; i++) out[i] *= scale;
  }
  return out;
}
