import { describe, expect, it } from 'vitest';
import { debaterStandings, judgeStandings, type DebateRecordForStandings } from '../src/index.js';

const SCORING = { base: 2, perTurnPenalty: 0.05 };
const debate = (truth: number | null, a: string, b: string, finals: number[][]): DebateRecordForStandings => ({
  truth,
  debaters: [
    { name: a, answer: 0 },
    { name: b, answer: 1 },
  ],
  judges: finals.map((final, i) => ({ name: `judge-${i}`, final, continues: 1 })),
});

describe('judgeStandings', () => {
  it('scores each judge on the debates whose truth is known', () => {
    const standings = judgeStandings(
      [debate(0, 'x', 'y', [[0.8, 0.2]]), debate(1, 'x', 'y', [[0.5, 0.5]]), debate(null, 'x', 'y', [[0.9, 0.1]])],
      SCORING,
    );
    // judge-0: right once (0.8 on 0), half right once (a 0.5/0.5 tie); the third debate has no known truth.
    expect(standings).toEqual([
      {
        judge: 'judge-0',
        debates: 3,
        judged: 2,
        accuracy: 0.75,
        meanReward: expect.closeTo((Math.log2(0.8) - 0.05 + Math.log2(0.5) - 0.05) / 2, 12),
      },
    ]);
  });
});

describe('debaterStandings', () => {
  it('counts wins, honest and dishonest, and rates the stronger debater higher', () => {
    const debates = [
      debate(0, 'ann', 'bob', [[0.9, 0.1]]), // ann wins, honestly
      debate(0, 'ann', 'bob', [[0.7, 0.3]]), // ann wins, honestly
      debate(1, 'ann', 'bob', [[0.6, 0.4]]), // ann wins, dishonestly
      debate(1, 'ann', 'bob', [[0.2, 0.8]]), // bob wins, honestly
    ];
    const [ann, bob] = debaterStandings(debates, { samples: 50, seed: 3 });
    expect(ann).toMatchObject({ debater: 'ann', debates: 4, wins: 3, winRate: 0.75, winRateHonest: 1, winRateDishonest: 0.5 });
    expect(bob).toMatchObject({ debater: 'bob', debates: 4, wins: 1, winRate: 0.25, winRateHonest: 0.5, winRateDishonest: 0 });
    expect(ann!.strength!.strength).toBeGreaterThan(bob!.strength!.strength);
    expect(ann!.strength!.low).toBeLessThanOrEqual(ann!.strength!.strength);
    expect(ann!.strength!.high).toBeGreaterThanOrEqual(ann!.strength!.strength);
  });

  it('splits a tied pool between the sides instead of giving it to the first seat, and plays no match for it', () => {
    const tie = (a: string, b: string) => debate(0, a, b, [[0.5, 0.5]]);
    const [ann, bob] = debaterStandings([tie('ann', 'bob'), tie('bob', 'ann')], { samples: 20, seed: 3 });
    expect(ann).toMatchObject({
      debater: 'ann',
      debates: 2,
      wins: 1,
      winRate: 0.5,
      winRateHonest: 0.5,
      winRateDishonest: 0.5,
      strength: null,
    });
    expect(bob).toMatchObject({ debater: 'bob', debates: 2, wins: 1, winRate: 0.5, strength: null });
  });

  it('counts each seat of a self-play debate, where one debater argues both sides', () => {
    const [self] = debaterStandings([debate(0, 'copy', 'copy', [[0.9, 0.1]]), debate(1, 'copy', 'copy', [[0.5, 0.5]])], {
      samples: 20,
      seed: 3,
    });
    expect(self).toMatchObject({
      debater: 'copy',
      debates: 4,
      wins: 2,
      winRate: 0.5,
      winRateHonest: 0.75,
      winRateDishonest: 0.25,
      strength: null,
    });
  });

  it('rates the same debates the same, in whatever order they come', () => {
    const debates = [
      debate(0, 'ann', 'bob', [[0.9, 0.1]]),
      debate(1, 'ann', 'cy', [[0.3, 0.7]]),
      debate(0, 'bob', 'cy', [[0.6, 0.4]]),
      debate(1, 'cy', 'ann', [[0.2, 0.8]]),
      debate(0, 'bob', 'ann', [[0.7, 0.3]]),
    ];
    expect(debaterStandings([...debates].reverse(), { samples: 50, seed: 3 })).toEqual(debaterStandings(debates, { samples: 50, seed: 3 }));
  });

  it('gives a lone consultant a win rate but no strength', () => {
    const [consultant] = debaterStandings([
      { truth: 0, debaters: [{ name: 'c', answer: 0 }], judges: [{ name: 'j', final: [0.9, 0.1], continues: 0 }] },
    ]);
    expect(consultant).toMatchObject({ debater: 'c', wins: 1, winRate: 1, strength: null });
  });
});
