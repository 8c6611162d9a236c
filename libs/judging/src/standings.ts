import { meanPool } from './aggregate.js';
import { judgeReward } from './analytics.js';
import { answerCredit } from './calibration.js';
import { bradleyTerryIntervals, type MatchResult } from './ratings.js';

/** A finished debate as the standings see it: who argued what, and every judge's final answer. */
export interface DebateRecordForStandings {
  truth: number | null;
  debaters: { name: string; answer: number }[];
  judges: { name: string; final: number[]; continues: number }[];
}

export interface JudgeStanding {
  judge: string;
  debates: number;
  judged: number;
  accuracy: number | null;
  meanReward: number | null;
}

export interface DebaterStanding {
  debater: string;
  debates: number;
  wins: number;
  winRate: number;
  /** Wins when arguing the correct answer, and when arguing an incorrect one (truth known). */
  winRateHonest: number | null;
  winRateDishonest: number | null;
  /** Bradley–Terry strength (geometric mean 1) with a bootstrap interval; null outside two-sided debates. */
  strength: { strength: number; low: number; high: number } | null;
}

const ratio = (num: number, den: number) => (den ? num / den : null);

/**
 * How each judge fared: accuracy of their final choices (a tie with the truth counts in part, as in
 * `answerCredit`) and mean reward under the scoring rule, where the truth is known.
 */
export function judgeStandings(
  debates: readonly DebateRecordForStandings[],
  scoring: { base: number; perTurnPenalty: number },
): JudgeStanding[] {
  const byJudge = new Map<string, { debates: number; correct: number; judged: number; reward: number }>();
  for (const d of debates) {
    for (const j of d.judges) {
      const s = byJudge.get(j.name) ?? { debates: 0, correct: 0, judged: 0, reward: 0 };
      s.debates++;
      if (d.truth !== null) {
        s.judged++;
        s.correct += answerCredit(j.final, d.truth);
        s.reward += judgeReward(j.final, d.truth, j.continues, scoring);
      }
      byJudge.set(j.name, s);
    }
  }
  return [...byJudge.entries()]
    .map(([judge, s]) => ({
      judge,
      debates: s.debates,
      judged: s.judged,
      accuracy: ratio(s.correct, s.judged),
      meanReward: ratio(s.reward, s.judged),
    }))
    .sort((a, b) => b.debates - a.debates || a.judge.localeCompare(b.judge));
}

/**
 * How each debater fared: a debater wins a debate when the judges' pooled final answer favours the
 * answer it argued, and a share of one when that answer ties for the top (`answerCredit`: a 0.5/0.5
 * pool is half a win for each side, not a win for whichever seat is listed first). In debates with
 * two or more debaters, every win counts as a match against each other debater that did worse, for
 * Bradley–Terry strengths with bootstrap intervals; a tie is no match.
 */
export function debaterStandings(
  debates: readonly DebateRecordForStandings[],
  options: { samples?: number; seed?: number } = {},
): DebaterStanding[] {
  const stats = new Map<
    string,
    { debates: number; wins: number; honest: number; honestWins: number; dishonest: number; dishonestWins: number }
  >();
  const matches: MatchResult[] = [];
  for (const d of debates) {
    if (d.judges.length === 0 || d.debaters.length === 0) continue;
    const pooled = meanPool(d.judges.map((j) => j.final));
    // By seat, not by name: in self-play both seats are the same debater.
    const won = d.debaters.map((x) => answerCredit(pooled, x.answer));
    for (const [seat, x] of d.debaters.entries()) {
      const s = stats.get(x.name) ?? { debates: 0, wins: 0, honest: 0, honestWins: 0, dishonest: 0, dishonestWins: 0 };
      const credit = won[seat]!;
      s.debates++;
      s.wins += credit;
      if (d.truth !== null && x.answer === d.truth) [s.honest, s.honestWins] = [s.honest + 1, s.honestWins + credit];
      if (d.truth !== null && x.answer !== d.truth) [s.dishonest, s.dishonestWins] = [s.dishonest + 1, s.dishonestWins + credit];
      stats.set(x.name, s);
    }
    for (const [i, w] of d.debaters.entries())
      for (const [j, l] of d.debaters.entries())
        if (w.name !== l.name && won[i]! > won[j]!) matches.push({ winner: w.name, loser: l.name });
  }
  // The same matches give the same strengths and intervals, in whatever order the debates came.
  matches.sort((a, b) => a.winner.localeCompare(b.winner) || a.loser.localeCompare(b.loser));
  const strengths = matches.length
    ? bradleyTerryIntervals(matches, { samples: options.samples ?? 200, seed: options.seed ?? 1 })
    : new Map();
  return [...stats.entries()]
    .map(([debater, s]) => ({
      debater,
      debates: s.debates,
      wins: s.wins,
      winRate: s.wins / s.debates,
      winRateHonest: ratio(s.honestWins, s.honest),
      winRateDishonest: ratio(s.dishonestWins, s.dishonest),
      strength: strengths.get(debater) ?? null,
    }))
    .sort((a, b) => b.debates - a.debates || a.debater.localeCompare(b.debater));
}
