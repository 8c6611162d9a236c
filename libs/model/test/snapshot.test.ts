import { describe, expect, it } from 'vitest';
import {
  HASHED_SIZE,
  isHeldOut,
  referenceKind,
  snapshotItemIds,
  snapshotSha256,
  trainingInput,
  trainingSnapshot,
  TrainingDataError,
  type SnapshotItem,
  type SnapshotLabel,
  type TrainingSnapshot,
} from '../src/index.js';

const FRACTION = 0.3;

/** Items `i0…i{n-1}` with two answers, provided features, a simple label of 0, and ground truth on every third. */
function items(n: number, overrides: Partial<SnapshotItem> = {}): SnapshotItem[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `i${i}`,
    externalId: `item-${i}`,
    question: `question ${i}`,
    answers: ['yes', 'no'],
    context: {},
    evidence: [],
    features: [i, 1, -i],
    simpleLabel: 0,
    groundTruth: i % 3 === 0 ? 1 : null,
    ...overrides,
  }));
}

/** A label on every item: answer 1, agreeing with the simple label on odd items. */
function labelsOf(list: readonly SnapshotItem[]): SnapshotLabel[] {
  return list.map((item, i) => ({ itemId: item.id, answer: 1, agreesWithSimple: i % 2 === 1 }));
}

function snapshotOf(list: readonly SnapshotItem[], labels: readonly SnapshotLabel[], complexLabels: number | null = null, seed = 7) {
  return trainingSnapshot({ items: list, labels, labelSeq: 42, heldOutFraction: FRACTION, complexLabels, seed });
}

describe('trainingSnapshot', () => {
  const list = items(40);
  const held = list.filter((item) => isHeldOut(item.externalId, FRACTION));
  const training = list.filter((item) => !isHeldOut(item.externalId, FRACTION));

  it('splits items by the hash of their external id, and takes each set from the training split only', () => {
    expect(held.length).toBeGreaterThan(0);
    expect(training.length).toBeGreaterThan(0);
    const snapshot = snapshotOf(list, labelsOf(list));
    expect(snapshot.labelSeq).toBe(42);
    expect(snapshot.heldOutFraction).toBe(FRACTION);
    expect(snapshot.answers).toBe(2);
    expect(snapshot.features).toEqual({ kind: 'provided', size: 3 });
    expect(snapshot.heldOut).toEqual(held.map((item) => [item.id, 1]));
    expect(snapshot.large).toEqual(training.map((item) => [item.id, 1]));
    expect(snapshot.small).toEqual(training.filter((item) => Number(item.id.slice(1)) % 2 === 1).map((item) => item.id));
    expect(snapshot.simple).toEqual(training.map((item) => [item.id, 0]));
    expect(snapshot.truth).toEqual(training.filter((item) => item.groundTruth !== null).map((item) => [item.id, 1]));
    expect(snapshot.labelledItems).toBeUndefined();
  });

  it('keeps held-out items without a label, and training items without a simple label out of the simple set', () => {
    const unlabelled = [...held.map((item) => ({ ...item, simpleLabel: null })), ...training];
    const snapshot = snapshotOf(unlabelled, labelsOf(training));
    expect(snapshot.heldOut).toEqual(held.map((item) => [item.id, null]));
    expect(snapshot.simple).toEqual(training.map((item) => [item.id, 0]));
  });

  it('samples complexLabels of the labelled training items with the seed, the small set following', () => {
    const a = snapshotOf(list, labelsOf(list), 5, 7);
    expect(a.large).toHaveLength(5);
    expect(a.labelledItems).toBe(training.length);
    const kept = new Set(a.large.map(([id]) => id));
    expect(a.small.every((id) => kept.has(id))).toBe(true);
    expect(snapshotOf(list, labelsOf(list), 5, 7)).toEqual(a);
    expect(snapshotOf(list, labelsOf(list), 5, 8).large).not.toEqual(a.large);
    // Asking for as many as there are, or more, takes all of them.
    expect(snapshotOf(list, labelsOf(list), training.length).labelledItems).toBeUndefined();
  });

  it('hashes n-grams when items carry no features of one length', () => {
    expect(snapshotOf(items(10, { features: null }), labelsOf(items(10))).features).toEqual({
      kind: 'hashed-ngrams',
      size: HASHED_SIZE,
      n: 2,
    });
  });

  it('refuses data no retry can train on, saying why', () => {
    expect(() => snapshotOf([], [])).toThrow(new TrainingDataError('the dataset has no items'));
    const mixed = [...items(3), { ...items(1)[0]!, id: 'x', externalId: 'x', answers: ['a', 'b', 'c'] }];
    expect(() => snapshotOf(mixed, labelsOf(mixed))).toThrow(
      new TrainingDataError('items have 2 or 3 answers; a model needs one answer count for every item'),
    );
    expect(() => snapshotOf(list, labelsOf(held))).toThrow(
      new TrainingDataError(
        `no training item of the dataset has a complex-process label yet (${held.length} labels, all on held-out items): label some disputes first`,
      ),
    );
  });
});

describe('a snapshot read back', () => {
  const list = items(40);
  const snapshot = snapshotOf(list, labelsOf(list));
  const byId = new Map(list.map((item) => [item.id, item]));

  it('names each of its items once', () => {
    const ids = snapshotItemIds(snapshot);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(list.map((item) => item.id)));
  });

  it('becomes feature rows; held-out references are ground truth, else the complex label', () => {
    const input = trainingInput(snapshot, byId);
    expect(input.inputSize).toBe(3);
    expect(input.answers).toBe(2);
    expect(input.large.n).toBe(snapshot.large.length);
    expect(input.small.n).toBe(snapshot.small.length);
    expect(input.simple.n).toBe(snapshot.simple.length);
    expect(input.mixture).toBeUndefined();
    expect(input.truth).toBeUndefined();
    expect(input.heldOut.n).toBe(snapshot.heldOut.length);
    const [firstId] = snapshot.heldOut[0]!;
    expect(Array.from(input.heldOut.x.subarray(0, 3))).toEqual(byId.get(firstId)!.features);
    expect(Array.from(input.heldOut.reference)).toEqual(snapshot.heldOut.map(([id, label]) => byId.get(id)!.groundTruth ?? label ?? -1));
    expect(Array.from(input.heldOut.simple)).toEqual(snapshot.heldOut.map(() => 0));
    const withMethods = trainingInput(snapshot, byId, ['mixture', 'oracle']);
    expect(withMethods.mixture?.n).toBe(snapshot.simple.length);
    expect(withMethods.truth?.n).toBe(snapshot.truth!.length);
  });

  it('fails when an item it names no longer exists', () => {
    const [goneId] = snapshot.large[0]!;
    const without = new Map([...byId].filter(([id]) => id !== goneId));
    expect(() => trainingInput(snapshot, without)).toThrow(new TrainingDataError(`item ${goneId} of the snapshot no longer exists`));
  });

  it('says what the held-out references are', () => {
    const heldOut: TrainingSnapshot['heldOut'] = [
      ['i0', null],
      ['i1', 1],
    ];
    expect(referenceKind({ ...snapshot, heldOut: [heldOut[0]!] }, byId)).toBe('ground-truth');
    expect(referenceKind({ ...snapshot, heldOut: [heldOut[1]!] }, byId)).toBe('complex-labels');
    expect(referenceKind({ ...snapshot, heldOut }, byId)).toBe('mixed');
    expect(referenceKind({ ...snapshot, heldOut: [['i1', null]] }, byId)).toBe('ground-truth');
  });

  it('hashes the same whatever the order of its keys (jsonb reorders them)', () => {
    const reordered = Object.fromEntries(Object.entries(snapshot).reverse()) as unknown as TrainingSnapshot;
    expect(snapshotSha256(reordered)).toBe(snapshotSha256(snapshot));
    expect(snapshotSha256(snapshot)).toMatch(/^[0-9a-f]{64}$/);
    expect(snapshotSha256({ ...snapshot, labelSeq: 43 })).not.toBe(snapshotSha256(snapshot));
  });
});
