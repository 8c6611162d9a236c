import type { DebateStatus, ProtocolKind } from './domain.js';
import type { RoundType } from './protocol.js';

/**
 * What a judge may see. Built field by field from a whitelist: never the simple label, the ground
 * truth, model predictions, the hidden evidence, other judges' verdicts, or which side is believed honest.
 */
export interface CitationView {
  kind: 'evidence' | 'quote';
  /** The cited evidence id (for `evidence` citations). */
  evidenceId: string | null;
  verified: boolean;
  /** The evidence's text or the quotation, shown only when verified. */
  excerpt: string | null;
  /** Where the citation stands in the speech's text: [start, end). */
  at: [number, number] | null;
}

export interface TurnView {
  index: number;
  /** Position of the round in the protocol's structure. */
  round: number;
  seat: string;
  text: string;
  citations: CitationView[];
  createdAt: string;
}

/** A speech still being written: its text so far. Live `turn.delta` events continue from `text.length`. */
export interface DraftView {
  index: number;
  seat: string;
  text: string;
}

export interface SeatView {
  seat: string;
  answer: number;
}

export interface VerdictView {
  stage: string;
  probabilities: number[];
  note: string | null;
  endsDebate: boolean;
}

export interface ProtocolView {
  kind: ProtocolKind;
  description: string | null;
  rounds: { position: number; type: RoundType; stage: string | null }[];
  judgeMayEnd: boolean;
  limits: { chars: number; citations: number; quoteChars: number | null };
  scoring: { kind: 'log'; base: number; perTurnPenalty: number };
}

/** What the judge is asked for now. */
export interface AwaitingView {
  stage: string;
  /** The judge may ask to end the debate with these probabilities. */
  mayEnd: boolean;
  /** The judge's note is shown to the debaters (a question, in interactive protocols). */
  noteVisibleToDebaters: boolean;
  noteLimit: number | null;
}

export interface JudgeDebateView {
  id: string;
  status: DebateStatus;
  protocol: ProtocolView;
  question: string;
  answers: string[];
  /** The public part of the item: for the built-in world, the camera view. */
  context: Record<string, unknown>;
  seats: SeatView[];
  turns: TurnView[];
  drafts: DraftView[];
  /** What this judge is asked for now, if anything. */
  awaiting: AwaitingView | null;
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

/** A speech a debater is asked for now, with the limits it is held to. */
export interface SpeakingView {
  /** The turn the speech will be. */
  index: number;
  /** Position of the round in the protocol's structure. */
  round: number;
  /** Every seat speaks at once in this round; none sees another's speech of it before speaking. */
  simultaneous: boolean;
  limits: { chars: number; quoteChars: number | null; citations: number };
  /** When a missed speech fails the debate, if the protocol sets a deadline. */
  dueAt: string | null;
}

/** A judge round's answers as the protocol shows them to debaters (feedback, questions). */
export interface DebaterJudgementView {
  stage: string;
  probabilities: number[];
  note: string | null;
}

/**
 * What a person speaking for a seat sees: the item with its evidence (the story), their own seat and
 * answer, the speeches they may read (for a simultaneous round, none of the round's others before
 * their own), the judges' answers the protocol shows debaters, and the speech asked of them now.
 * Never the simple label, the ground truth, model predictions, or who speaks for the other seats.
 */
export interface DebaterDebateView {
  id: string;
  status: DebateStatus;
  protocol: ProtocolView;
  question: string;
  answers: string[];
  context: Record<string, unknown>;
  /** The evidence units speeches cite or quote: for a text item, its story. */
  evidence: { id: string; kind: string; text: string }[];
  seat: string;
  answer: number;
  seats: SeatView[];
  turns: TurnView[];
  judgements: DebaterJudgementView[];
  speaking: SpeakingView | null;
}

/** A verified quotation, placed in the evidence it quotes and linked to the speech that quotes it. */
export interface QuotedSpanView {
  /** The speech: its turn index and seat, and where the quotation stands in its text, [start, end). */
  turn: number;
  seat: string;
  at: [number, number] | null;
  evidenceId: string;
  /** Where the quotation stands in the evidence unit's text: [start, end). */
  span: [number, number];
}

/** A debate's evidence with every verified quotation placed in it (researchers and observers). */
export interface DebateSourcesView {
  evidence: { id: string; kind: string; text: string }[];
  quotes: QuotedSpanView[];
}
