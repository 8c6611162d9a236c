import type { DebateStatus, ProtocolKind } from './domain.js';

/**
 * What a judge may see. Built field by field from a whitelist: never the simple label, the ground
 * truth, model predictions, the hidden evidence, other judges' verdicts, or which side is believed honest.
 */
export interface CitationView {
  evidenceId: string;
  verified: boolean;
  /** The evidence's text, shown only when verified. */
  excerpt: string | null;
}

export interface TurnView {
  index: number;
  round: number;
  seat: string;
  text: string;
  citations: CitationView[];
  createdAt: string;
}

export interface SeatView {
  seat: string;
  answer: number;
}

export interface VerdictView {
  stage: string;
  probabilities: number[];
  note: string | null;
}

export interface JudgeDebateView {
  id: string;
  status: DebateStatus;
  protocol: { kind: ProtocolKind; rounds: number; judgeEachRound: boolean; maxChars: number; maxCitations: number };
  question: string;
  answers: string[];
  /** The public part of the item: for the built-in world, the camera view. */
  context: Record<string, unknown>;
  seats: SeatView[];
  turns: TurnView[];
  /** The stage at which this judge's probabilities are awaited, if any. */
  awaiting: string | null;
  /** This judge's own verdicts so far; never anyone else's. */
  myVerdicts: VerdictView[];
}

export interface AssignmentView {
  debateId: string;
  status: DebateStatus;
  question: string;
  awaiting: string | null;
  createdAt: string;
}
