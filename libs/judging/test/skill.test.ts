import { describe, expect, it } from 'vitest';
import { informationGain, judgeSkill } from '../src/index.js';

describe('judgeSkill', () => {
  it('is exactly chance for a judge with no record', () => {
    // exp(2·ln(1/3) / 2) = 1/3
    expect(judgeSkill([], 3)).toBeCloseTo(1 / 3, 15);
    expect(judgeSkill([], 2)).toBeCloseTo(1 / 2, 15);
  });

  it('is the geometric mean of the probability on the truth, with two chance-level records added', () => {
    // (0.8 · 0.5 · 0.5)^(1/3) = 0.2^(1/3)
    expect(judgeSkill([{ probabilities: [0.2, 0.8], truth: 1 }], 2)).toBeCloseTo(0.2 ** (1 / 3), 12);
    // (0.6 · 0.9 · 0.5 · 0.5)^(1/4) = 0.135^(1/4)
    const record = [
      { probabilities: [0.6, 0.4], truth: 0 },
      { probabilities: [0.1, 0.9], truth: 1 },
    ];
    expect(judgeSkill(record, 2)).toBeCloseTo(0.135 ** (1 / 4), 12);
  });

  it('approaches 1 for a judge who is always certain and right', () => {
    const perfect = (n: number) => Array.from({ length: n }, () => ({ probabilities: [0, 1, 0], truth: 1 }));
    // (1/3)^(2/(n+2)): 98 records give (1/3)^0.02
    expect(judgeSkill(perfect(98), 3)).toBeCloseTo((1 / 3) ** 0.02, 12);
    expect(judgeSkill(perfect(1), 3)).toBeLessThan(judgeSkill(perfect(10), 3));
    expect(judgeSkill(perfect(10_000), 3)).toBeGreaterThan(0.999);
    expect(judgeSkill(perfect(10_000), 3)).toBeLessThan(1);
  });

  it('falls below chance for a judge worse than guessing, staying positive after a zero', () => {
    // (1e-6 · 0.5 · 0.5)^(1/3) = (2.5e-7)^(1/3)
    const wrong = judgeSkill([{ probabilities: [1, 0], truth: 1 }], 2);
    expect(wrong).toBeCloseTo(2.5e-7 ** (1 / 3), 12);
    expect(wrong).toBeGreaterThan(0);
    expect(judgeSkill([{ probabilities: [0.7, 0.3], truth: 1 }], 2)).toBeLessThan(0.5);
  });

  it('rejects malformed records', () => {
    expect(() => judgeSkill([], 1)).toThrow(/answers must be an integer of at least 2, got 1/);
    expect(() => judgeSkill([{ probabilities: [0.5, 0.5], truth: 0 }], 3)).toThrow(/record\[0\] has 2 probabilities, expected 3/);
    expect(() => judgeSkill([{ probabilities: [0.5, 0.5], truth: 2 }], 2)).toThrow(
      /record\[0\]\.truth must be an answer index in 0..1, got 2/,
    );
  });
});

describe('informationGain', () => {
  it('is log2 of the last probability on the truth over the first', () => {
    // log2(1 / 0.25) = 2; the middle answer does not matter.
    expect(informationGain([0.25, 0.4, 1])).toBeCloseTo(2, 12);
    expect(informationGain([0.25, 0.01, 1])).toBeCloseTo(2, 12);
    // log2(0.2 / 0.8) = −2: the debate misled the judge.
    expect(informationGain([0.8, 0.2])).toBeCloseTo(-2, 12);
    expect(informationGain([0.5, 0.5])).toBe(0);
  });

  it('floors probabilities at 1e-6', () => {
    // log2(0.5 / 1e-6) = log2(500000) ≈ 18.93
    expect(informationGain([0, 0.5])).toBeCloseTo(Math.log2(5e5), 12);
    expect(informationGain([1, 0])).toBeCloseTo(Math.log2(1e-6), 12);
  });

  it('is null with fewer than two answers', () => {
    expect(informationGain([])).toBeNull();
    expect(informationGain([0.7])).toBeNull();
  });

  it('rejects values that are not probabilities', () => {
    expect(() => informationGain([0.5, 1.5])).toThrow(/probabilityOnTruth\[1\] must be between 0 and 1/);
    expect(() => informationGain([Number.NaN, 0.5])).toThrow(/probabilityOnTruth\[0\]/);
  });
});
