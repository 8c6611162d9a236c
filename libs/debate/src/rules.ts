import type { DebaterSeat, ProtocolSpec } from '../../contracts/src/index.js';

/** Stage names for judges' probabilities: after round n (`round-<n>`), and at the end (`final`). */
export const FINAL_STAGE = 'final';
export const roundStage = (round: number): string => `round-${round}`;

export interface DebateProgress {
  /** Turns persisted so far, in order. */
  turns: number;
  /** For each stage, how many judges have given their probabilities. */
  verdictsByStage: ReadonlyMap<string, number>;
  judges: number;
}

export type NextAction =
  { kind: 'speak'; seat: string; round: number; index: number } | { kind: 'await-judges'; stage: string } | { kind: 'adjudicate' };

/**
 * What a debate does next, from its protocol and what is persisted so far. Pure, so that a step
 * retried after a crash takes the very decision the first attempt took.
 *
 * Sequential order: every round, each seat speaks once, in seat order. With `judgeEachRound`, judges
 * give probabilities after every round but the last, and the next round waits for all of them; after
 * the last round (or at once, for a `direct` protocol with no speeches) they give their final verdict.
 */
export function nextAction(spec: ProtocolSpec, seats: readonly DebaterSeat[], progress: DebateProgress): NextAction {
  const perRound = seats.length;
  const rounds = perRound === 0 ? 0 : spec.rounds;
  for (let round = 0; round < rounds; round++) {
    const roundEnd = (round + 1) * perRound;
    if (progress.turns < roundEnd) {
      const index = progress.turns;
      return { kind: 'speak', seat: seats[index - round * perRound]!.seat, round, index };
    }
    const lastRound = round === rounds - 1;
    if (spec.judgeEachRound && !lastRound) {
      const stage = roundStage(round);
      if ((progress.verdictsByStage.get(stage) ?? 0) < progress.judges) return { kind: 'await-judges', stage };
    }
  }
  if ((progress.verdictsByStage.get(FINAL_STAGE) ?? 0) < progress.judges) return { kind: 'await-judges', stage: FINAL_STAGE };
  return { kind: 'adjudicate' };
}
