import { describe, expect, it } from 'vitest';
import { createRng } from '#tribunal/world';
import {
  decodeStates,
  DEFAULT_SETTINGS,
  encodeStates,
  examples,
  hashedNgrams,
  sameFeatures,
  inferenceGraph,
  initialParameters,
  initialState,
  resolveDevice,
  Scorer,
  selectDisputes,
  settingsProblems,
  trainTwoHead,
  type OptimizerState,
  type TrainingInput,
} from '../src/index.js';

const D = 10;
const K = 3;
const cpu = { kind: 'cpu' } as const;

/**
 * A small world with a labeller who is systematically wrong: when feature 0 is on, the labeller
 * answers 0 whatever the truth. Complex labels are the truth on a quarter of the training items.
 */
function world(seed: number): TrainingInput {
  const rng = createRng(seed);
  const make = (n: number) =>
    Array.from({ length: n }, () => {
      const x = Float32Array.from({ length: D }, () => (rng() < 0.4 ? 1 : 0));
      const scores = [x[1]! + x[2]!, x[3]! + x[4]! + 0.5 * x[5]!, x[6]! + x[7]! + 0.25];
      const truth = scores.indexOf(Math.max(...scores));
      const simple = x[0] === 1 ? 0 : truth;
      return { x, truth, simple };
    });
  const train = make(600);
  const test = make(300);
  const labelled = train.slice(0, 150);
  const held = examples(
    test.map((r) => r.x),
    test.map((r) => r.truth),
    D,
  );
  return {
    inputSize: D,
    answers: K,
    large: examples(
      labelled.map((r) => r.x),
      labelled.map((r) => r.truth),
      D,
    ),
    small: examples(
      labelled.filter((r) => r.simple === r.truth).map((r) => r.x),
      labelled.filter((r) => r.simple === r.truth).map(() => 0),
      D,
    ),
    simple: examples(
      train.map((r) => r.x),
      train.map((r) => r.simple),
      D,
    ),
    heldOut: { x: held.x, n: held.n, reference: held.y, simple: Int32Array.from(test.map((r) => r.simple)) },
  };
}

const architecture = { hidden: [16], activation: 'gelu' as const, theta1TrunkLayers: 0 };
const settings = { ...DEFAULT_SETTINGS, steps: 120, batchSize: 64, learningRate: 0.02, evalEvery: 40, checkpointEvery: 30 };

describe('training the two-head model', () => {
  it('fits complex labels, beats the naive baseline where the simple label is wrong, and reports progress', async () => {
    const points: number[] = [];
    const result = await trainTwoHead(world(1), architecture, settings, cpu, { onProgress: (p) => void points.push(p.step) });
    expect(points).toEqual([40, 80, 120]);
    const { heldOut, simpleWrong } = result.evaluation;
    expect(heldOut.items).toBe(300);
    expect(simpleWrong.items).toBeGreaterThan(30);
    expect(heldOut.intended.accuracy!).toBeGreaterThan(0.85);
    // The baseline learns the labeller, so it is wrong exactly where the labeller is.
    expect(simpleWrong.baseline!.accuracy!).toBeLessThan(0.3);
    expect(simpleWrong.intended.accuracy!).toBeGreaterThan(simpleWrong.baseline!.accuracy! + 0.4);
    expect(result.evaluation.metric.value).toBe(heldOut.intended.accuracy);
  });

  it('resumes from a checkpoint to exactly the parameters of an uninterrupted run', async () => {
    const input = world(2);
    const whole = await trainTwoHead(input, architecture, settings, cpu);
    let saved: Buffer | undefined;
    await expect(
      trainTwoHead(input, architecture, settings, cpu, {
        onCheckpoint: (states) => {
          saved = encodeStates(states);
          return states.model.step < 60; // stop after the second checkpoint, as a killed trainer would
        },
      }),
    ).rejects.toThrow(/cancelled at step 60/);
    const states = decodeStates(saved!);
    expect(states.model!.step).toBe(60);
    const resumed = await trainTwoHead(
      input,
      architecture,
      settings,
      cpu,
      {},
      states as { model: OptimizerState; baseline: OptimizerState },
    );
    for (const [name, values] of Object.entries(whole.params)) expect(Array.from(resumed.params[name]!)).toEqual(Array.from(values));
    expect(Buffer.from(resumed.onnx).equals(Buffer.from(whole.onnx))).toBe(true);
  });

  it('refuses to train without complex labels, naming what is missing', async () => {
    const input = world(3);
    await expect(trainTwoHead({ ...input, large: { ...input.large, n: 0 } }, architecture, settings, cpu)).rejects.toThrow(
      /complex-process labels/,
    );
  });
});

describe('checkpoints', () => {
  it('round-trip optimiser states and reject trailing bytes', () => {
    const net = { inputSize: 4, answers: 2, hidden: [3], activation: 'relu' as const, heads: 2 as const, theta1TrunkLayers: 0 };
    const state = { ...initialState(initialParameters(net, 5)), step: 7 };
    state.m['intended.bias']![1] = 0.25;
    const decoded = decodeStates(encodeStates({ model: state }));
    expect(decoded.model!.step).toBe(7);
    expect(Array.from(decoded.model!.m['intended.bias']!)).toEqual([0, 0.25]);
    expect(Array.from(decoded.model!.params['trunk.0.weight']!)).toEqual(Array.from(state.params['trunk.0.weight']!));
    expect(() => decodeStates(Buffer.concat([encodeStates({ model: state }), Buffer.from([1, 2])]))).toThrow(/past its tensors/);
  });
});

describe('settings', () => {
  it('name each bad setting', () => {
    expect(settingsProblems({ steps: 0, lambda: -1, learningRate: 'fast', bogus: 1 })).toEqual([
      'steps must be an integer from 1 to 1000000, got 0',
      'lambda must be a number from 0 to 1000000, got -1',
      'learningRate must be a number from 0 to 10, got "fast"',
      expect.stringMatching(/^bogus is not a training setting/),
    ]);
  });
});

describe('devices', () => {
  it('fall back from an unavailable CUDA device to the CPU with a warning, or fail when a GPU is required', async () => {
    const resolved = await resolveDevice({ kind: 'cuda', index: 0 });
    expect(resolved.device).toEqual({ kind: 'cpu' });
    expect(resolved.warning).toMatch(/cuda:0 cannot be used here .*running on the CPU instead/);
    expect((await resolveDevice('auto')).device).toEqual({ kind: 'cpu' });
    await expect(resolveDevice({ kind: 'cuda', index: 0 }, { requireGpu: true })).rejects.toThrow(
      /a GPU is required, but cuda:0 cannot be used here/,
    );
    await expect(resolveDevice({ kind: 'cpu' }, { requireGpu: true })).rejects.toThrow(/a GPU is required/);
  });
});

describe('scoring and dispute selection', () => {
  it('scores with the shipped inference graph and flags disagreements with their reasons', async () => {
    const net = { inputSize: 4, answers: 3, hidden: [5], activation: 'relu' as const, heads: 2 as const, theta1TrunkLayers: 0 };
    const params = initialParameters(net, 9);
    const scorer = await Scorer.load(inferenceGraph(net, params), net, cpu);
    const { intended, instrumental } = await scorer.score(Float32Array.from([1, 0, 0, 1, 0, 1, 1, 0]), 2);
    await scorer.release();
    expect(intended.length).toBe(6);
    expect(intended[0]! + intended[1]! + intended[2]!).toBeCloseTo(1, 5);
    expect(instrumental[3]! + instrumental[4]! + instrumental[5]!).toBeCloseTo(1, 5);

    const items = [
      { itemId: 'a', answers: ['0', '1', '2'], simpleLabel: 0, intended: [0.1, 0.8, 0.1], instrumental: [0.8, 0.1, 0.1] },
      { itemId: 'b', answers: ['0', '1', '2'], simpleLabel: 2, intended: [0.1, 0.2, 0.7], instrumental: [0.1, 0.2, 0.7] },
      { itemId: 'c', answers: ['0', '1', '2'], simpleLabel: 1, intended: [0.35, 0.3, 0.35], instrumental: [0.3, 0.4, 0.3] },
      { itemId: 'd', answers: ['0', '1', '2'], simpleLabel: 1, intended: [0.3, 0.6, 0.1], instrumental: [0.1, 0.1, 0.8] },
    ];
    const chosen = selectDisputes(items, {
      margin: 0.2,
      divergence: 0.3,
      auditFraction: 0,
      budget: null,
      maxDisputedFraction: null,
      seed: 1,
    });
    expect(chosen.map((c) => c.itemId)).toEqual(['a', 'd']);
    expect(chosen[0]!.reasons.map((r) => r.kind)).toEqual(['intended-vs-simple', 'heads-disagree']);
    expect(chosen[0]!.reasons[0]!.suggestedAnswer).toBe(1);
    expect(chosen[0]!.reasons[0]!.detail).toContain('0.80 on "1"');
    expect(chosen[1]!.reasons[0]!.suggestedAnswer).toBe(2);
    expect(
      selectDisputes(items, { margin: 0.2, divergence: 0.3, auditFraction: 0, budget: 1, maxDisputedFraction: null, seed: 1 }).map(
        (c) => c.itemId,
      ),
    ).toEqual(['a']);
    expect(
      selectDisputes(items, { margin: 0.2, divergence: 0.3, auditFraction: 1, budget: 0, maxDisputedFraction: null, seed: 1 }).map(
        (c) => c.itemId,
      ),
    ).toEqual(['b', 'c']);
  });
});

describe('hashed n-gram features', () => {
  it('are stable, normalised, and tell answer positions apart', () => {
    const a = hashedNgrams(['Who wrote it?', 'a0:the cook', 'a1:the butler'], 256, 2);
    const b = hashedNgrams(['Who wrote it?', 'a0:the butler', 'a1:the cook'], 256, 2);
    expect(Array.from(a)).toEqual(Array.from(hashedNgrams(['Who wrote it?', 'a0:the cook', 'a1:the butler'], 256, 2)));
    expect(Math.hypot(...a)).toBeCloseTo(1, 5);
    expect(Array.from(a)).not.toEqual(Array.from(b));
  });
});

describe('feature specs', () => {
  it('are the same whatever the order of their keys, and differ by kind, size or n-gram length', () => {
    const spec = { kind: 'hashed-ngrams', size: 2048, n: 2 } as const;
    // As jsonb hands it back: shorter keys first.
    expect(sameFeatures(spec, JSON.parse('{"n": 2, "kind": "hashed-ngrams", "size": 2048}'))).toBe(true);
    expect(sameFeatures(spec, { ...spec, n: 3 })).toBe(false);
    expect(sameFeatures(spec, { ...spec, size: 1024 })).toBe(false);
    expect(sameFeatures({ kind: 'provided', size: 18 }, { kind: 'provided', size: 18 })).toBe(true);
    expect(sameFeatures({ kind: 'provided', size: 2048 }, spec)).toBe(false);
  });
});
