import { describe, expect, it } from 'vitest';
import { bradleyTerry, bradleyTerryIntervals, type MatchResult } from '../src/index.js';

const beats = (winner: string, loser: string, times = 1): MatchResult[] => Array.from({ length: times }, () => ({ winner, loser }));

describe('bradleyTerry', () => {
  it('solves a single match by hand', () => {
    // A beat B once; each also has a virtual win and loss against a reference R of strength 1.
    // Swapping A and B while inverting strengths maps the data onto itself, so b = 1/a. The MM fixed
    // point sets A's wins (1 real + 1 virtual) to its expected wins:
    //   2 = a/(a + 1/a) + 2a/(a + 1) = a²/(a² + 1) + 2a/(a + 1)
    //   ⇒ 2(a² + 1)(a + 1) = a²(a + 1) + 2a(a² + 1) ⇒ a³ − a² − 2 = 0, so a ≈ 1.6956.
    const strengths = bradleyTerry(beats('A', 'B'));
    const a = strengths.get('A')!;
    const b = strengths.get('B')!;
    expect(a ** 3 - a ** 2 - 2).toBeCloseTo(0, 9);
    expect(a).toBeCloseTo(1.6956, 4);
    expect(a * b).toBeCloseTo(1, 12);
  });

  it('gives equal strengths to a cycle and to an even split', () => {
    for (const matches of [
      [...beats('A', 'B'), ...beats('B', 'C'), ...beats('C', 'A')],
      [...beats('A', 'B', 3), ...beats('B', 'A', 3)],
    ]) {
      for (const strength of bradleyTerry(matches).values()) expect(strength).toBeCloseTo(1, 9);
    }
  });

  it('keeps an undefeated player finite', () => {
    // 10 wins over B: 11 = 10a²/(a² + 1) + 2a/(a + 1), with b = 1/a as above.
    const strengths = bradleyTerry(beats('A', 'B', 10));
    const a = strengths.get('A')!;
    expect(Number.isFinite(a)).toBe(true);
    expect((10 * a ** 2) / (a ** 2 + 1) + (2 * a) / (a + 1)).toBeCloseTo(11, 9);
    expect(a * strengths.get('B')!).toBeCloseTo(1, 12);
  });

  it('ranks a chain in order, with geometric mean 1', () => {
    const matches = [...beats('A', 'B', 3), ...beats('B', 'A'), ...beats('B', 'C', 3), ...beats('C', 'B'), ...beats('A', 'C', 2)];
    const strengths = bradleyTerry(matches);
    expect([...strengths.keys()]).toEqual(['A', 'B', 'C']);
    expect(strengths.get('A')!).toBeGreaterThan(strengths.get('B')!);
    expect(strengths.get('B')!).toBeGreaterThan(strengths.get('C')!);
    const logMean = [...strengths.values()].reduce((s, g) => s + Math.log(g), 0) / strengths.size;
    expect(logMean).toBeCloseTo(0, 12);
  });

  it('places separate groups on one scale through the shared reference', () => {
    const strengths = bradleyTerry([...beats('A', 'B', 2), ...beats('C', 'D', 2)]);
    expect(strengths.get('A')).toBeCloseTo(strengths.get('C')!, 9);
    expect(strengths.get('B')).toBeCloseTo(strengths.get('D')!, 9);
  });

  it('handles no matches and rejects self-play and bad iteration counts', () => {
    expect(bradleyTerry([]).size).toBe(0);
    expect(() => bradleyTerry(beats('A', 'A'))).toThrow(/matches\[0\]: "A" cannot play against themselves/);
    expect(() => bradleyTerry(beats('A', 'B'), { iterations: 0 })).toThrow(/iterations must be a positive integer/);
  });

  it('takes exactly the given number of MM steps when that is fewer than convergence needs', () => {
    // One step from all-ones: A gets 2 / (1/2 + 2/2) = 4/3, B gets 1 / (3/2) = 2/3; rescaled by sqrt(4/3 · 2/3).
    const strengths = bradleyTerry(beats('A', 'B'), { iterations: 1 });
    const scale = Math.sqrt((4 / 3) * (2 / 3));
    expect(strengths.get('A')).toBeCloseTo(4 / 3 / scale, 12);
    expect(strengths.get('B')).toBeCloseTo(2 / 3 / scale, 12);
  });
});

describe('bradleyTerryIntervals', () => {
  const matches = [
    ...beats('A', 'B', 6),
    ...beats('B', 'A', 2),
    ...beats('B', 'C', 5),
    ...beats('C', 'B', 3),
    ...beats('A', 'C', 4),
    ...beats('C', 'A'),
  ];

  it('centres on the point estimate', () => {
    const intervals = bradleyTerryIntervals(matches, { samples: 300, seed: 7, level: 0.9 });
    const point = bradleyTerry(matches);
    expect([...intervals.keys()]).toEqual(['A', 'B', 'C']);
    for (const [player, { strength, low, high }] of intervals) {
      expect(strength).toBeCloseTo(point.get(player)!, 12);
      expect(low).toBeLessThan(strength);
      expect(high).toBeGreaterThan(strength);
    }
  });

  it('is deterministic for a seed and changes with it', () => {
    const options = { samples: 200, level: 0.9 };
    const first = bradleyTerryIntervals(matches, { ...options, seed: 3 });
    expect(bradleyTerryIntervals(matches, { ...options, seed: 3 })).toEqual(first);
    expect(bradleyTerryIntervals(matches, { ...options, seed: 4 })).not.toEqual(first);
  });

  it('widens with the level', () => {
    const narrow = bradleyTerryIntervals(matches, { samples: 300, seed: 5, level: 0.5 }).get('A')!;
    const wide = bradleyTerryIntervals(matches, { samples: 300, seed: 5, level: 0.99 }).get('A')!;
    expect(wide.low).toBeLessThan(narrow.low);
    expect(wide.high).toBeGreaterThan(narrow.high);
  });

  it('collapses to the point estimate when every resample is the same', () => {
    // Three copies of one match: any resample with replacement is the same three matches.
    const intervals = bradleyTerryIntervals(beats('A', 'B', 3), { samples: 50, seed: 1, level: 0.95 });
    for (const { strength, low, high } of intervals.values()) {
      expect(low).toBeCloseTo(strength, 12);
      expect(high).toBeCloseTo(strength, 12);
    }
  });

  it('handles no matches and rejects bad options', () => {
    expect(bradleyTerryIntervals([], { samples: 10, seed: 1, level: 0.9 }).size).toBe(0);
    expect(() => bradleyTerryIntervals(matches, { samples: 0 })).toThrow(/samples must be a positive integer, got 0/);
    expect(() => bradleyTerryIntervals(matches, { level: 1 })).toThrow(/level must be strictly between 0 and 1, got 1/);
    expect(() => bradleyTerryIntervals(matches, { seed: 0.5 })).toThrow(/seed must be an integer/);
  });
});
