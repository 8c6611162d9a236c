import { DEFAULT_DEBATE_PROTOCOL, type DebaterSeat, type EvidenceUnit, type ProtocolSpec, type RoundSpec } from '#tribunal/contracts';
import type { DebateProgress, DebaterItem, SpeechRequest } from '../src/index.js';

/** A protocol based on the default one, with some fields replaced; nothing is shared with the default. */
export function specWith(overrides: Partial<ProtocolSpec>): ProtocolSpec {
  const base: ProtocolSpec = structuredClone(DEFAULT_DEBATE_PROTOCOL);
  return { ...base, ...structuredClone(overrides) };
}

export const judgeRound = (extra: Partial<RoundSpec> = {}): RoundSpec => ({ type: 'judge', ...extra });
export const sequential = (extra: Partial<RoundSpec> = {}): RoundSpec => ({ type: 'sequential', ...extra });
export const simultaneous = (extra: Partial<RoundSpec> = {}): RoundSpec => ({ type: 'simultaneous', ...extra });

/** After the NYU debate protocol: a judge prior, simultaneous openings, judge feedback, then sequential speeches and feedback. */
export function nyuLikeSpec(maxRepeats: number, judgeMayEnd: boolean): ProtocolSpec {
  return specWith({
    structure: {
      opening: [judgeRound({ visibleToDebaters: true }), simultaneous(), judgeRound({ visibleToDebaters: true })],
      repeating: [sequential(), judgeRound({ visibleToDebaters: true, noteLimit: 300 })],
      closing: [],
    },
    end: { maxRepeats, judgeMayEnd },
  });
}

export function seatsOf(...names: string[]): DebaterSeat[] {
  return names.map((seat, answer) => ({ seat, answer, backend: 'builtin' }));
}

export function progress(
  turns: Iterable<number>,
  verdicts: Record<string, { given: number; ending?: number }>,
  judges: number,
): DebateProgress {
  return {
    turns: new Set(turns),
    verdicts: new Map(Object.entries(verdicts).map(([stage, v]) => [stage, { given: v.given, ending: v.ending ?? 0 }])),
    judges,
  };
}

/** The turn indices 0 … count-1. */
export function firstTurns(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i);
}

export function textItem(evidence: EvidenceUnit[]): DebaterItem {
  return { context: { kind: 'text' }, evidence, question: 'Is the review positive?', answers: ['no', 'yes'], meta: {} };
}

export function speechRequest(item: DebaterItem, overrides: Partial<SpeechRequest> = {}): SpeechRequest {
  return {
    item,
    seat: 'A',
    answer: 0,
    opponents: [{ seat: 'B', answer: 1 }],
    speechNumber: 1,
    transcript: [],
    limits: { chars: 1200, quoteChars: undefined, citations: 3 },
    alreadyCited: [],
    ...overrides,
  };
}
