import { describe, expect, it } from 'vitest';
import { answerCredit, judgeReward, protocolStats, type DebateFacts, type JudgedOutcome } from '../src/index.js';

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

  it('counts a tie with the truth as half right, in accuracy and in the reliability bins', () => {
    expect(answerCredit([0.5, 0.5], 1)).toBe(0.5);
    expect(answerCredit([0.5, 0.5], 0)).toBe(0.5);
    expect(answerCredit([0.4, 0.4, 0.2], 1)).toBe(0.5);
    expect(answerCredit([0.4, 0.4, 0.2], 2)).toBe(0);
    expect(answerCredit([0.3, 0.7], 1)).toBe(1);
    expect(answerCredit([0.3, 0.7], 0)).toBe(0);
    // Whichever seat holds the truth, a 0.5/0.5 verdict scores the same: no seat is favoured.
    for (const truth of [0, 1]) {
      const stats = protocolStats([], [outcome([0.9, 0.1], 0), outcome([0.5, 0.5], truth)], SCORING);
      expect(stats.accuracy).toBe(0.75);
      expect(stats.reliability).toEqual([
        { from: 0.5, to: 0.6, count: 1, meanConfidence: 0.5, accuracy: 0.5 },
        { from: 0.9, to: 1, count: 1, meanConfidence: 0.9, accuracy: 1 },
      ]);
      expect(stats.ece).toBeCloseTo((0 + Math.abs(1 - 0.9)) / 2, 12);
    }
  });

  it('reports judge continues (answers before the final one) per judge and debate, beside speeches per debater', () => {
    const stats = protocolStats(
      [debate('completed', 3, 60), debate('completed', 1, 20)],
      // Two judges of one debate (four and two answers), one of the other (one answer), one with no known truth.
      [outcome([0.9, 0.1], 0, 3), outcome([0.2, 0.8], 0, 1), outcome([0.6, 0.4], 1, 0), outcome([0.7, 0.3], null, 2)],
      SCORING,
    );
    expect(stats.meanContinues).toBe((3 + 1 + 0 + 2) / 4);
    expect(stats.meanSpeechRounds).toBe(2);
  });

  it('bins confidence in tenths, with the accuracy of each bin', () => {
    const stats = protocolStats(
      [],
      [outcome([0.95, 0.05], 0), outcome([0.92, 0.08], 1), outcome([0.55, 0.45], 0), outcome([1, 0], 0)],
      SCORING,
    );
    // ECE: bin [0.5, 0.6): 1 × |1 − 0.55| = 0.45; bin [0.9, 1]: 3 × |2/3 − 2.87/3|; over 4 judgements.
    expect(stats.ece).toBeCloseTo((0.45 + 3 * Math.abs(2 / 3 - (0.95 + 0.92 + 1) / 3)) / 4, 12);
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
      meanInformationGain: null,
      agreement: null,
      ece: null,
      reliability: [],
    });
    expect(protocolStats([], [], SCORING).meanContinues).toBeNull();
  });

  it('measures what judges learned from first to final answer, and how far judges of one debate agree', () => {
    const stats = protocolStats(
      [],
      [
        // Debate d1: both judges end on answer 0. Debate d2: they split.
        { protocolId: 'p', debateId: 'd1', initial: [0.5, 0.5], final: [0.9, 0.1], truth: 0, continues: 1 },
        { protocolId: 'p', debateId: 'd1', initial: [0.25, 0.75], final: [1, 0], truth: 0, continues: 1 },
        { protocolId: 'p', debateId: 'd2', final: [0.8, 0.2], truth: 1, continues: 0 },
        { protocolId: 'p', debateId: 'd2', final: [0.3, 0.7], truth: 1, continues: 0 },
      ],
      SCORING,
    );
    // Gains only where a first answer exists: log2(0.9/0.5) and log2(1/0.25) = 2.
    expect(stats.meanInformationGain).toBeCloseTo((Math.log2(0.9 / 0.5) + 2) / 2, 12);
    // Values 0,0 | 0,1: coincidences o00 = 2, o01 = o10 = 1; n = 4, n0 = 3, n1 = 1;
    // Do = 2/4, De = 2·3·1/(4·3) = 1/2, alpha = 1 − Do/De = 0.
    expect(stats.agreement).toBeCloseTo(0, 12);
  });
});
