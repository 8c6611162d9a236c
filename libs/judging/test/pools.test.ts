import { describe, expect, it } from 'vitest';
import { logPool, meanPool, weightedMeanPool } from '../src/index.js';

const expectDistribution = (actual: number[], expected: number[]): void => {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((p, i) => expect(actual[i]).toBeCloseTo(p, 12));
};

describe('logPool', () => {
  it('is the normalised geometric mean with equal weights', () => {
    // sqrt(0.8·0.5) : sqrt(0.2·0.5) = sqrt(0.4) : sqrt(0.1) = 2 : 1
    expectDistribution(
      logPool([
        [0.8, 0.2],
        [0.5, 0.5],
      ]),
      [2 / 3, 1 / 3],
    );
  });

  it('floors a zero at 1e-6 so one judge cannot veto an answer', () => {
    // sqrt(1e-6·0.5) : sqrt(1·0.5) = 1e-3 : 1, i.e. 1/1001 : 1000/1001
    expectDistribution(
      logPool([
        [0, 1],
        [0.5, 0.5],
      ]),
      [1 / 1001, 1000 / 1001],
    );
  });

  it('uses weights as given: one judge only, or sharpened by a total above 1', () => {
    const verdicts = [
      [0.8, 0.2],
      [0.2, 0.8],
    ];
    expectDistribution(logPool(verdicts, [1, 0]), [0.8, 0.2]);
    // 0.8² : 0.2² = 0.64 : 0.04 = 16 : 1
    expectDistribution(logPool(verdicts, [2, 0]), [16 / 17, 1 / 17]);
    // Opposite views with equal weight cancel out.
    expectDistribution(logPool(verdicts, [0.5, 0.5]), [0.5, 0.5]);
  });

  it('gives the uniform distribution when every weight is zero', () => {
    expectDistribution(logPool([[0.7, 0.2, 0.1]], [0]), [1 / 3, 1 / 3, 1 / 3]);
  });

  it('stays finite when the unnormalised products underflow', () => {
    // 2000 · ln 0.5 ≈ -1386: exp() of that is 0 for both answers without rescaling.
    const many = Array.from({ length: 2000 }, () => [0.5, 0.5]);
    expectDistribution(
      logPool(
        many,
        many.map(() => 1),
      ),
      [0.5, 0.5],
    );
  });

  it('rejects empty input, mismatched widths and bad weights', () => {
    expect(() => logPool([])).toThrow(/zero verdicts/);
    expect(() => logPool([[0.5, 0.5], [1]])).toThrow(/number of answers: 2 vs 1/);
    expect(() => logPool([[1], [1]], [1])).toThrow(/one weight per verdict \(2\), got 1/);
    expect(() => logPool([[1], [1]], [1, -1])).toThrow(/weights\[1\]/);
    expect(() => logPool([[1]], [Number.NaN])).toThrow(/weights\[0\]/);
  });
});

describe('weightedMeanPool', () => {
  it('counts each judge in proportion to their weight', () => {
    // (3·[1, 0] + 1·[0, 1]) / 4
    expectDistribution(
      weightedMeanPool(
        [
          [1, 0],
          [0, 1],
        ],
        [3, 1],
      ),
      [0.75, 0.25],
    );
  });

  it('matches meanPool when the weights are equal, whatever their scale', () => {
    const verdicts = [
      [0.2, 0.8, 0],
      [0.6, 0.2, 0.2],
    ];
    expectDistribution(weightedMeanPool(verdicts, [5, 5]), meanPool(verdicts));
    expectDistribution(weightedMeanPool(verdicts, [5, 5]), [0.4, 0.5, 0.1]);
  });

  it('ignores a judge of weight zero', () => {
    expectDistribution(
      weightedMeanPool(
        [
          [0.3, 0.7],
          [1, 0],
        ],
        [2, 0],
      ),
      [0.3, 0.7],
    );
  });

  it('rejects all-zero, negative or missing weights, empty input and mismatched widths', () => {
    expect(() => weightedMeanPool([[1], [1]], [0, 0])).toThrow(/all zero/);
    expect(() => weightedMeanPool([[1], [1]], [1, -0.5])).toThrow(/weights\[1\] must be a finite non-negative number/);
    expect(() => weightedMeanPool([[1], [1]], [1])).toThrow(/one weight per verdict/);
    expect(() => weightedMeanPool([], [])).toThrow(/zero verdicts/);
    expect(() => weightedMeanPool([[1], [0.5, 0.5]], [1, 1])).toThrow(/1 vs 2/);
  });
});
