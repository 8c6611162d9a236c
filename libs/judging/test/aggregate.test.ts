import { describe, expect, it } from 'vitest';
import { clearCut, meanPool } from '../src/index.js';

describe('meanPool', () => {
  it('averages each answer across judges', () => {
    const pooled = meanPool([
      [0.2, 0.8, 0],
      [0.6, 0.2, 0.2],
    ]);
    expect(pooled).toHaveLength(3);
    expect(pooled[0]).toBeCloseTo(0.4, 12);
    expect(pooled[1]).toBeCloseTo(0.5, 12);
    expect(pooled[2]).toBeCloseTo(0.1, 12);
  });

  it('returns a single distribution unchanged', () => {
    expect(meanPool([[0.25, 0.75]])).toEqual([0.25, 0.75]);
  });

  it('rejects zero verdicts', () => {
    expect(() => meanPool([])).toThrow(/zero verdicts/);
  });

  it('rejects verdicts of different widths', () => {
    expect(() =>
      meanPool([
        [0.5, 0.5],
        [0.2, 0.3, 0.5],
      ]),
    ).toThrow(/2 vs 3/);
    expect(() => meanPool([[1], [0.5, 0.5]])).toThrow(/number of answers/);
  });
});

describe('clearCut', () => {
  it('picks the most probable answer', () => {
    expect(clearCut([0.1, 0.2, 0.7], 0.6)).toEqual({ answer: 2, probability: 0.7, clearCut: true });
  });

  it('is clear-cut exactly at the threshold, not below it', () => {
    expect(clearCut([0.3, 0.7], 0.7).clearCut).toBe(true);
    expect(clearCut([0.31, 0.69], 0.7)).toEqual({ answer: 1, probability: 0.69, clearCut: false });
  });

  it('never calls a tie for first place clear-cut', () => {
    const tie = clearCut([0.5, 0.5], 0.5);
    expect(tie.probability).toBe(0.5);
    expect(tie.clearCut).toBe(false);
    expect(clearCut([0.4, 0.2, 0.4], 0.3).clearCut).toBe(false);
  });

  it('ignores ties below the winner', () => {
    expect(clearCut([0.1, 0.8, 0.1], 0.75)).toEqual({ answer: 1, probability: 0.8, clearCut: true });
  });
});
