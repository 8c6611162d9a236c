import { createHash } from 'node:crypto';
import { createRng, shuffled } from '#tribunal/world';
import { chooseFeatures, featuresOf, type FeatureSpec, type FeaturedItem } from './features.js';
import { trainingSets } from './methods.js';
import { isHeldOut, type TrainingConfig } from './policy.js';
import type { Evaluation, TrainingInput } from './run.js';
import { examples } from './training.js';

/**
 * What a run trains on, fixed when it first starts: item ids with their labels, by role. A retried or
 * resumed run reads this, never the labels as they are now, so it trains on exactly the same data.
 */
export interface TrainingSnapshot {
  /** Labels with sequence numbers up to this were taken. */
  labelSeq: number;
  heldOutFraction: number;
  features: FeatureSpec;
  answers: number;
  /** Training items with their latest complex label (a sample of them when the job limits `complexLabels`). */
  large: [string, number][];
  /** How many training items had a complex label, when the job trained on a sample of them. */
  labelledItems?: number;
  /** Training items whose simple and complex labels agree. */
  small: string[];
  /** Training items with their simple label. */
  simple: [string, number][];
  /** Held-out items with their complex label, if they have one (the reference where ground truth is unknown). */
  heldOut: [string, number | null][];
  /** Training items whose ground truth is known, with it: the oracle method's labels. Absent from snapshots taken before it was recorded. */
  truth?: [string, number][];
}

/** What a model version's config records. */
export interface VersionConfig extends TrainingConfig {
  inputSize: number;
  answers: number;
  features: FeatureSpec;
  trainingJobId: string;
  /** SHA-256 of the snapshot's JSON: two versions with the same value were trained on the same data. */
  snapshotSha256: string;
  device: string;
}

/** What a snapshot and its training input read of an item. */
export interface SnapshotItem extends FeaturedItem {
  id: string;
  externalId: string;
  simpleLabel: number | null;
  groundTruth: number | null;
}

/** An item's latest complex-process label. */
export interface SnapshotLabel {
  itemId: string;
  answer: number;
  agreesWithSimple: boolean;
}

/** The data cannot be trained on, however often the job is retried: the job fails, saying why. */
export class TrainingDataError extends Error {}

/**
 * A job's snapshot of its dataset: every item held out (by a hash of its external id) or for
 * training, with its latest label up to `labelSeq`; the feature spec; with `complexLabels`, a
 * sample of the labelled training items drawn with `seed`.
 */
export function trainingSnapshot(data: {
  items: readonly SnapshotItem[];
  /** Each item's latest label up to `labelSeq`. */
  labels: readonly SnapshotLabel[];
  labelSeq: number;
  heldOutFraction: number;
  complexLabels: number | null | undefined;
  seed: number;
}): TrainingSnapshot {
  const { items, labelSeq, heldOutFraction, complexLabels, seed } = data;
  if (items.length === 0) throw new TrainingDataError('the dataset has no items');
  const answers = new Set(items.map((i) => i.answers.length));
  if (answers.size !== 1)
    throw new TrainingDataError(`items have ${[...answers].sort().join(' or ')} answers; a model needs one answer count for every item`);
  const labels = new Map(data.labels.map((l) => [l.itemId, l]));
  const snapshot: TrainingSnapshot = {
    labelSeq,
    heldOutFraction,
    features: chooseFeatures(items),
    answers: items[0]!.answers.length,
    large: [],
    small: [],
    simple: [],
    heldOut: [],
    truth: [],
  };
  for (const item of items) {
    const label = labels.get(item.id);
    if (isHeldOut(item.externalId, heldOutFraction)) {
      snapshot.heldOut.push([item.id, label?.answer ?? null]);
      continue;
    }
    if (label) {
      snapshot.large.push([item.id, label.answer]);
      if (label.agreesWithSimple) snapshot.small.push(item.id);
    }
    if (item.simpleLabel !== null) snapshot.simple.push([item.id, item.simpleLabel]);
    if (item.groundTruth !== null) snapshot.truth!.push([item.id, item.groundTruth]);
  }
  if (snapshot.large.length === 0) {
    throw new TrainingDataError(
      `no training item of the dataset has a complex-process label yet (${labels.size} labels, all on held-out items): label some disputes first`,
    );
  }
  if (complexLabels && complexLabels < snapshot.large.length) {
    snapshot.labelledItems = snapshot.large.length;
    snapshot.large = shuffled(createRng(seed), snapshot.large).slice(0, complexLabels);
    const kept = new Set(snapshot.large.map(([id]) => id));
    snapshot.small = snapshot.small.filter((id) => kept.has(id));
  }
  return snapshot;
}

/** Every item a snapshot names, once: what a run reads back to train and evaluate. */
export function snapshotItemIds(snapshot: TrainingSnapshot): string[] {
  return [...new Set([snapshot.large, snapshot.simple, snapshot.heldOut, snapshot.truth ?? []].flatMap((set) => set.map(([id]) => id)))];
}

/**
 * Feature rows for the snapshot's items; held-out references are ground truth, else the item's
 * complex label. The mixture and oracle sets only when a method reads them.
 */
export function trainingInput(
  snapshot: TrainingSnapshot,
  items: ReadonlyMap<string, SnapshotItem>,
  methods: readonly string[] = [],
): TrainingInput {
  // An item is in several sets; hashed n-grams are worth computing once.
  const cache = new Map<string, Float32Array>();
  const features = (id: string) => {
    let row = cache.get(id);
    if (row) return row;
    const item = items.get(id);
    if (!item) throw new TrainingDataError(`item ${id} of the snapshot no longer exists`);
    row = featuresOf(item, snapshot.features);
    cache.set(id, row);
    return row;
  };
  const D = snapshot.features.size;
  const held = snapshot.heldOut.map(([id]) => items.get(id));
  const heldX = examples(
    snapshot.heldOut.map(([id]) => features(id)),
    snapshot.heldOut.map(() => 0),
    D,
  );
  return {
    inputSize: D,
    answers: snapshot.answers,
    ...trainingSets(snapshot, features, D, methods),
    heldOut: {
      x: heldX.x,
      n: heldX.n,
      reference: Int32Array.from(held, (item, i) => item?.groundTruth ?? snapshot.heldOut[i]![1] ?? -1),
      simple: Int32Array.from(held, (item) => item?.simpleLabel ?? -1),
    },
  };
}

/** What the held-out references are: ground truth, complex labels, or some of each. */
export function referenceKind(
  snapshot: TrainingSnapshot,
  items: ReadonlyMap<string, Pick<SnapshotItem, 'groundTruth'>>,
): Evaluation['reference'] {
  const kinds = new Set(
    snapshot.heldOut.flatMap(([id, label]) =>
      items.get(id)?.groundTruth != null ? ['ground-truth'] : label !== null ? ['complex-labels'] : [],
    ),
  );
  return kinds.size === 1 ? ([...kinds][0] as Evaluation['reference']) : kinds.size === 0 ? 'ground-truth' : 'mixed';
}

/** SHA-256 of the snapshot's JSON, keys sorted: a snapshot read back from jsonb, its keys reordered, hashes the same. */
export function snapshotSha256(snapshot: TrainingSnapshot): string {
  return createHash('sha256').update(canonicalJson(snapshot)).digest('hex');
}

/** JSON with object keys sorted. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}
