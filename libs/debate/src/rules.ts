import type { DebaterSeat, ProtocolSpec, RoundSpec } from '#tribunal/contracts';

/** The stage of the judges' last probabilities, whether the structure ran out or the judges ended it early. */
export const FINAL_STAGE = 'final';

export interface SpeechStep {
  kind: 'speeches';
  position: number;
  round: RoundSpec;
  simultaneous: boolean;
  /** The turn index of the step's first speech; its speeches take consecutive indices, in seat order. */
  firstTurn: number;
}
export interface JudgeStep {
  kind: 'judge';
  position: number;
  round: RoundSpec;
  stage: string;
}
export type Step = SpeechStep | JudgeStep;

/**
 * The protocol's rounds in order: the opening, the repeating rounds `maxRepeats` times, the closing,
 * and a final judge round unless the structure already ends with one. Judge rounds are named by their
 * position (`judge-<n>`), the last one `final`.
 */
export function schedule(spec: ProtocolSpec, seats: number): Step[] {
  const rounds = [
    ...spec.structure.opening,
    ...Array.from({ length: spec.end.maxRepeats }, () => spec.structure.repeating).flat(),
    ...spec.structure.closing,
  ].filter((round) => round.type === 'judge' || seats > 0);
  if (rounds.at(-1)?.type !== 'judge') rounds.push({ type: 'judge' });
  let turn = 0;
  return rounds.map((round, position): Step => {
    if (round.type === 'judge') {
      return { kind: 'judge', position, round, stage: position === rounds.length - 1 ? FINAL_STAGE : `judge-${position}` };
    }
    const step: SpeechStep = { kind: 'speeches', position, round, simultaneous: round.type === 'simultaneous', firstTurn: turn };
    turn += seats;
    return step;
  });
}

/**
 * The speech steps a debate's turns belong to, by turn index. A step's speeches take consecutive
 * indices from its `firstTurn`, one per seat.
 */
function speechStepsByTurn(spec: ProtocolSpec, seats: number): Map<number, SpeechStep> {
  const steps = new Map<number, SpeechStep>();
  for (const step of schedule(spec, seats)) {
    if (step.kind === 'speeches') for (let i = 0; i < seats; i++) steps.set(step.firstTurn + i, step);
  }
  return steps;
}

/**
 * When judges may read each turn: a simultaneous round's speeches reach them together, once the
 * round's last is given, all bearing that moment, so that which was written first (or how long each
 * took) cannot hint at who argues the truth. Turns of a simultaneous round still missing a speech
 * are left out; any other turn is shown as it was given.
 */
export function judgeRelease<T extends { index: number; createdAt: Date }>(
  spec: ProtocolSpec,
  seats: number,
  turns: readonly T[],
): (T & { releasedAt: Date })[] {
  const steps = speechStepsByTurn(spec, seats);
  const byIndex = new Map(turns.map((t) => [t.index, t]));
  const released: (T & { releasedAt: Date })[] = [];
  for (const turn of turns) {
    const step = steps.get(turn.index);
    if (!step?.simultaneous) {
      released.push({ ...turn, releasedAt: turn.createdAt });
      continue;
    }
    const round = Array.from({ length: seats }, (_, i) => byIndex.get(step.firstTurn + i));
    if (round.some((t) => t === undefined)) continue;
    const last = Math.max(...round.map((t) => t!.createdAt.getTime()));
    released.push({ ...turn, releasedAt: new Date(last) });
  }
  return released;
}

/** Whether a turn's speech is given in a simultaneous round (its text reaches judges only with the round's others). */
export function inSimultaneousRound(spec: ProtocolSpec, seats: number, index: number): SpeechStep | null {
  const step = speechStepsByTurn(spec, seats).get(index);
  return step?.simultaneous ? step : null;
}

export interface DebateProgress {
  /** Indices of the turns persisted so far (simultaneous speeches may land in any order). */
  turns: ReadonlySet<number>;
  /** For each stage, how many judges have answered, and how many of them asked to end the debate. */
  verdicts: ReadonlyMap<string, { given: number; ending: number }>;
  judges: number;
}

export interface Speech {
  index: number;
  seat: string;
  step: SpeechStep;
  /** Turns this speaker may see: everything before its own round for a simultaneous round, before itself otherwise. */
  visibleBefore: number;
}

export type NextAction =
  { kind: 'speak'; speeches: Speech[] } | { kind: 'await-judges'; stage: string; step: JudgeStep } | { kind: 'adjudicate'; stage: string };

/**
 * What a debate does next, from its protocol and what is persisted so far. Pure, so that a step
 * retried after a crash takes the very decision the first attempt took.
 */
export function nextAction(spec: ProtocolSpec, seats: readonly DebaterSeat[], progress: DebateProgress): NextAction {
  let lastStage = FINAL_STAGE;
  for (const step of schedule(spec, seats.length)) {
    if (step.kind === 'speeches') {
      const missing = seats.map((seat, i) => ({ index: step.firstTurn + i, seat: seat.seat })).filter((s) => !progress.turns.has(s.index));
      if (missing.length === 0) continue;
      const speeches = (step.simultaneous ? missing : missing.slice(0, 1)).map((s) => ({
        ...s,
        step,
        visibleBefore: step.simultaneous ? step.firstTurn : s.index,
      }));
      return { kind: 'speak', speeches };
    }
    lastStage = step.stage;
    const verdicts = progress.verdicts.get(step.stage) ?? { given: 0, ending: 0 };
    if (verdicts.given < progress.judges) return { kind: 'await-judges', stage: step.stage, step };
    if (spec.end.judgeMayEnd && verdicts.ending === progress.judges) return { kind: 'adjudicate', stage: step.stage };
  }
  return { kind: 'adjudicate', stage: lastStage };
}

/** The limits that apply to a speech in a round. */
export function speechLimits(spec: ProtocolSpec, round: RoundSpec): { chars: number; quoteChars: number | undefined; citations: number } {
  return {
    chars: round.charLimit ?? spec.limits.chars,
    quoteChars: round.quoteLimit ?? spec.limits.quoteChars,
    citations: spec.limits.citations,
  };
}
