import { describe, expect, it } from 'vitest';
import { judgeReward, protocolStats, type DebateFacts, type JudgedOutcome } from '../src/index.js';

const SCORING = { base: 2, perTurnPenalty: 0.05 };
const debate = (status: DebateFacts['status'], speechRounds: number, seconds: number | null): DebateFacts => ({
  protocolId: 'p',
  status,
  speechRounds,
  seconds,
});
const outcome = (final: number[], truth: number | null, continues = 0): JudgedOutcome => ({ protocolId: 'p', final, truth, continues });

describe('judgeReward', () => {
  it('is log2 of the probability on the truth minus 0.05 per continued round, as on the NYU platform', () => {
    expect(judgeReward([0.01, 0.99], 1, 4, SCORING)).toBeCloseTo(Math.log2(0.99) - 0.2, 12);
    expect(judgeReward([0.5, 0.5], 0, 0, SCORING)).toBeCloseTo(-1, 12);
    expect(judgeReward([1, 0], 1, 0, SCORING)).toBeLessThan(-25);
  });
});

describe('protocolStats', () => {
  it('measures accuracy, Brier score and reward only where the truth is known', () => {
    const stats = protocolStats(
      [debate('completed', 2, 30), debate('completed', 3, 90), debate('failed', 1, 10)],
      [outcome([0.9, 0.1], 0), outcome([0.2, 0.8], 0, 2), outcome([0.6, 0.4], null)],
      SCORING,
    );
    expect(stats.debates).toBe(3);
    expect(stats.failed).toBe(1);
    expect(stats.judged).toBe(2);
    expect(stats.accuracy).toBe(0.5);
    expect(stats.brier).toBeCloseTo((0.1 ** 2 + 0.1 ** 2 + (0.8 ** 2 + 0.8 ** 2)) / 2, 12);
    expect(stats.meanReward).toBeCloseTo((Math.log2(0.9) + Math.log2(0.2) - 0.1) / 2, 12);
    expect(stats.meanSpeechRounds).toBe(2.5);
    expect(stats.medianSecondsToVerdict).toBe(60);
  });

  it('bins confidence in tenths, with the accuracy of each bin', () => {
    const stats = protocolStats(
      [],
      [outcome([0.95, 0.05], 0), outcome([0.92, 0.08], 1), outcome([0.55, 0.45], 0), outcome([1, 0], 0)],
      SCORING,
    );
    expect(stats.reliability).toEqual([
      { from: 0.5, to: 0.6, count: 1, meanConfidence: 0.55, accuracy: 1 },
      { from: 0.9, to: 1, count: 3, meanConfidence: expect.closeTo((0.95 + 0.92 + 1) / 3, 12), accuracy: 2 / 3 },
    ]);
  });

  it('reports nothing rather than zero when there is nothing to measure', () => {
    const stats = protocolStats([], [outcome([0.5, 0.5], null)], SCORING);
    expect(stats).toMatchObject({
      judged: 0,
      accuracy: null,
      brier: null,
      meanReward: null,
      meanSpeechRounds: null,
      medianSecondsToVerdict: null,
      reliability: [],
    });
  });
});
