import { describe, expect, it } from 'vitest';
import { createRng, generateWorldDataset } from '#tribunal/world';
import {
  DEFAULT_SETTINGS,
  examples,
  gapRecovered,
  isHeldOut,
  methodLabels,
  methodsProblems,
  trainingConfig,
  trainingProblems,
  trainingSets,
  trainMethods,
  trainTwoHead,
  wilsonInterval,
  type MethodReport,
  type OptionalMethod,
  type TrainingInput,
  type TrainingSettings,
} from '../src/index.js';

const cpu = { kind: 'cpu' } as const;

describe('wilsonInterval', () => {
  it('matches known 95% intervals, and has none without trials', () => {
    const [lo0, hi0] = wilsonInterval(0, 10)!;
    expect(lo0).toBe(0);
    expect(hi0).toBeCloseTo(0.2775, 4);
    const [lo5, hi5] = wilsonInterval(5, 10)!;
    expect(lo5).toBeCloseTo(0.2366, 4);
    expect(hi5).toBeCloseTo(0.7634, 4);
    const [lo10, hi10] = wilsonInterval(10, 10)!;
    expect(lo10).toBeCloseTo(0.7225, 4);
    expect(hi10).toBe(1);
    // 81 of 263 (Wilson 1927's form, as tabulated by Newcombe 1998's method 3).
    const [lo, hi] = wilsonInterval(81, 263)!;
    expect(lo).toBeCloseTo(0.2553, 4);
    expect(hi).toBeCloseTo(0.3662, 4);
    // A wider z, a wider interval.
    expect(wilsonInterval(5, 10, 2.576)![0]).toBeLessThan(lo5);
    expect(wilsonInterval(0, 0)).toBeNull();
  });
});

describe('performance gap recovered', () => {
  it('is 0 at naive, 1 at the oracle, and null without a gap', () => {
    expect(gapRecovered(0.2, 0.2, 0.9)).toBe(0);
    expect(gapRecovered(0.9, 0.2, 0.9)).toBe(1);
    expect(gapRecovered(0.55, 0.2, 0.9)).toBeCloseTo(0.5, 10);
    expect(gapRecovered(0.5, 0.4, 0.4)).toBeNull();
    expect(gapRecovered(0.5, null, 0.9)).toBeNull();
    expect(gapRecovered(0.5, 0.2, null)).toBeNull();
  });
});

describe('method labels', () => {
  it('mixture: the complex label where there is one, else the simple label; oracle: the recorded truth', () => {
    const labels = methodLabels({
      large: [
        ['a', 2],
        ['d', 1],
      ],
      simple: [
        ['a', 0],
        ['b', 1],
        ['c', 3],
      ],
      truth: [
        ['a', 2],
        ['c', 2],
      ],
    });
    expect(labels.mixture).toEqual([
      ['a', 2],
      ['b', 1],
      ['c', 3],
      ['d', 1],
    ]);
    expect(labels.oracle).toEqual([
      ['a', 2],
      ['c', 2],
    ]);
    expect(labels.naive).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 3],
    ]);
    expect(labels['complex-only']).toEqual([
      ['a', 2],
      ['d', 1],
    ]);
    expect(methodLabels({ large: [], simple: [] }).oracle).toBeNull();
  });
});

describe('the methods field of a training request', () => {
  it('defaults to none, takes known names, and names the field and the known names when wrong', () => {
    expect(trainingConfig({}).methods).toEqual([]);
    expect(trainingConfig({ methods: ['oracle', 'mixture'] }).methods).toEqual(['oracle', 'mixture']);
    expect(trainingConfig({}, { methods: ['oracle'] }).methods).toEqual(['oracle']);
    expect(trainingConfig({ methods: [] }, { methods: ['oracle'] }).methods).toEqual([]);
    expect(methodsProblems(['complex-only', 'mixture', 'two-head-lambda0', 'two-head-mu0', 'oracle'])).toEqual([]);
    const known = 'known: complex-only, mixture, two-head-lambda0, two-head-mu0, oracle; two-head and naive are always reported';
    expect(trainingProblems({ methods: ['orcale', 'naive', 'oracle', 'oracle'] })).toEqual([
      `methods[0] "orcale" is not a method (${known})`,
      `methods[1] "naive" is always reported; list only others (${known})`,
      'methods[3] "oracle" is listed twice',
    ]);
    expect(trainingProblems({ methods: 'oracle' })).toEqual([`methods must be a list of method names (${known}), got "oracle"`]);
    expect(() => trainingConfig({ methods: [1] })).toThrow(/methods\[0\] 1 is not a method/);
  });
});

/**
 * A generated world as a training job sees it: rooms held out by the hash at 0.3, simple labels for
 * every room, complex labels (the ground truth) on a seeded 10% of the training rooms.
 */
function worldJob(size: number, seed: number, methods: readonly string[]) {
  const items = generateWorldDataset({ seed, size });
  const byId = new Map(items.map((item) => [item.externalId, item]));
  const rng = createRng(seed + 1000);
  const training = items.filter((item) => !isHeldOut(item.externalId, 0.3));
  const held = items.filter((item) => isHeldOut(item.externalId, 0.3));
  const labelled = training.filter(() => rng() < 0.1);
  const sets = {
    large: labelled.map((item): [string, number] => [item.externalId, item.groundTruth]),
    small: labelled.filter((item) => item.simpleLabel === item.groundTruth).map((item) => item.externalId),
    simple: training.map((item): [string, number] => [item.externalId, item.simpleLabel]),
    truth: training.map((item): [string, number] => [item.externalId, item.groundTruth]),
  };
  const D = items[0]!.features.length;
  const heldX = examples(
    held.map((item) => Float32Array.from(item.features)),
    held.map((item) => item.groundTruth),
    D,
  );
  const input: TrainingInput = {
    inputSize: D,
    answers: items[0]!.answers.length,
    ...trainingSets(sets, (id) => Float32Array.from(byId.get(id)!.features), D, methods),
    heldOut: { x: heldX.x, n: heldX.n, reference: heldX.y, simple: Int32Array.from(held, (item) => item.simpleLabel) },
  };
  return { input, sets, items: byId, training, labelled };
}

describe('the training sets each method reads, on a generated world', () => {
  it('are the labels they claim, row for row', () => {
    const { input, items, training, labelled } = worldJob(400, 11, ['mixture', 'oracle']);
    const D = input.inputSize;
    const row = (set: { x: Float32Array }, i: number) => Array.from(set.x.subarray(i * D, (i + 1) * D));
    const complex = new Set(labelled.map((item) => item.externalId));
    expect(labelled.length).toBeGreaterThan(10);
    // Every training room once, in the order of the simple labels: the complex label where it has one, else the simple one.
    expect(input.mixture!.n).toBe(training.length);
    training.forEach((item, i) => {
      expect(row(input.mixture!, i)).toEqual(Array.from(Float32Array.from(item.features)));
      expect(input.mixture!.y[i]).toBe(complex.has(item.externalId) ? item.groundTruth : item.simpleLabel);
    });
    // Some mixture labels overturn the simple label, and those are exactly the labelled rooms the labeller got wrong.
    const overturned = training.filter((item, i) => input.mixture!.y[i] !== item.simpleLabel);
    expect(overturned.length).toBeGreaterThan(0);
    expect(overturned.every((item) => complex.has(item.externalId) && item.meta.simpleLabelWrong)).toBe(true);
    // The oracle: the ground truth of every training room, and of no held-out one.
    expect(input.truth!.n).toBe(training.length);
    training.forEach((item, i) => {
      expect(row(input.truth!, i)).toEqual(Array.from(Float32Array.from(item.features)));
      expect(input.truth!.y[i]).toBe(items.get(item.externalId)!.groundTruth);
    });
    expect(training.some((item) => isHeldOut(item.externalId, 0.3))).toBe(false);
    // Not asked for: not built.
    const plain = worldJob(50, 11, []).input;
    expect(plain.mixture).toBeUndefined();
    expect(plain.truth).toBeUndefined();
  });
});

const EVERY: OptionalMethod[] = ['complex-only', 'mixture', 'two-head-lambda0', 'two-head-mu0', 'oracle'];
const architecture = { hidden: [32], activation: 'relu' as const, theta1TrunkLayers: 0 };

async function compare(input: TrainingInput, settings: TrainingSettings, methods: readonly OptionalMethod[]) {
  const main = await trainTwoHead(input, architecture, settings, cpu);
  return { main, methods: await trainMethods(input, architecture, settings, methods, cpu, main.evaluation) };
}

/** A report without its timing, which is all that may differ between two runs. */
const untimed = (reports: Record<string, MethodReport>) =>
  Object.fromEntries(Object.entries(reports).map(([name, { seconds: _, ...rest }]) => [name, rest]));

describe('comparing methods on a generated world', () => {
  const settings = { ...DEFAULT_SETTINGS, steps: 300, batchSize: 128, learningRate: 0.01, mu: 1, evalEvery: 300, checkpointEvery: 100 };

  it('reports every method, the oracle well above naive where the simple label is wrong, and the same reports twice', async () => {
    const { input } = worldJob(1500, 7, EVERY);
    const first = await compare(input, settings, EVERY);
    const reports = first.methods;
    expect(Object.keys(reports)).toEqual(['two-head', 'naive', ...EVERY]);
    for (const [name, report] of Object.entries(reports)) {
      expect(report.available, name).toBe(true);
      expect(report.heldOut.items).toBe(input.heldOut.n);
      expect(report.heldOut.accuracy).toBe(report.heldOut.correct! / report.heldOut.items);
      expect(report.simpleWrong.items).toBeGreaterThan(40);
      const [lo, hi] = report.simpleWrong.interval!;
      expect(lo).toBeLessThanOrEqual(report.simpleWrong.accuracy!);
      expect(hi).toBeGreaterThanOrEqual(report.simpleWrong.accuracy!);
    }
    // The main run's entries are its own evaluation, put where a reader finds every method.
    expect(reports['two-head']!.simpleWrong.accuracy).toBe(first.main.evaluation.simpleWrong.intended.accuracy);
    expect(reports.naive!.simpleWrong.accuracy).toBe(first.main.evaluation.simpleWrong.baseline!.accuracy);
    expect(reports.oracle!.labels).toBe(input.truth!.n);
    expect(reports['complex-only']!.labels).toBe(input.large.n);
    // mu is 1 here, so its ablation is a run of its own.
    expect(reports['two-head-mu0']!.note).toBeNull();
    const naive = reports.naive!.simpleWrong.accuracy!;
    const oracle = reports.oracle!.simpleWrong.accuracy!;
    expect(oracle).toBeGreaterThan(naive + 0.4);
    expect(reports.oracle!.simpleWrong.pgr).toBe(1);
    expect(reports.naive!.simpleWrong.pgr).toBe(0);
    for (const report of Object.values(reports))
      expect(report.simpleWrong.pgr).toBeCloseTo((report.simpleWrong.accuracy! - naive) / (oracle - naive), 12);

    const again = await compare(input, settings, EVERY);
    expect(untimed(again.methods)).toEqual(untimed(reports));
    expect(Buffer.from(again.main.onnx).equals(Buffer.from(first.main.onnx))).toBe(true);
  }, 60_000);

  it('reuses the two-head run for mu 0 when mu is already 0, trains complex-only step for step like lambda 0, and has no oracle without truth', async () => {
    const { input } = worldJob(600, 8, ['complex-only']);
    const quick = { ...settings, steps: 60, mu: 0 };
    const { methods } = await compare({ ...input, truth: undefined }, quick, EVERY);
    expect(methods['two-head-mu0']).toEqual({ ...methods['two-head'], seconds: null, note: expect.stringMatching(/^mu is already 0/) });
    // With mu 0 the instrumental head never reaches the trunk, and complex-only starts where the two-head trunk does and sees its batches.
    expect(methods['complex-only']!.heldOut.correct).toBe(methods['two-head-lambda0']!.heldOut.correct);
    expect(methods.mixture).toMatchObject({ available: false, heldOut: { correct: null, accuracy: null, interval: null } });
    expect(methods.oracle).toMatchObject({ available: false, note: "this job's training data does not record ground truth" });
    for (const report of Object.values(methods)) expect(report.simpleWrong.pgr).toBeNull();
  }, 30_000);
});
