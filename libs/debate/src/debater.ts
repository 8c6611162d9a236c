import type { EvidenceUnit } from '#tribunal/contracts';
import type { SpeechLimits } from './limits.js';

export interface DebaterItem {
  context: Record<string, unknown>;
  evidence: EvidenceUnit[];
  question: string;
  answers: string[];
  meta: Record<string, unknown>;
}

/** What a debater may read of the debate so far. */
export type TranscriptEntry =
  | { kind: 'speech'; seat: string; answer: number; round: number; text: string }
  | { kind: 'judge'; stage: string; probabilities: number[]; note: string | null };

export interface SpeechRequest {
  item: DebaterItem;
  seat: string;
  answer: number;
  opponents: { seat: string; answer: number }[];
  /** 1 for a debater's first speech, 2 for its second, … */
  speechNumber: number;
  transcript: TranscriptEntry[];
  limits: SpeechLimits & { tokens?: number };
  /** Evidence already cited in this debate, by anyone. */
  alreadyCited: string[];
  /** Set when a previous attempt broke the limits: what was wrong with it. */
  problems?: string[];
}

/** A copy of a model taking a side: writes one speech, reporting text as it is produced. */
export interface Debater {
  speak(request: SpeechRequest, onText: (delta: string) => void, signal?: AbortSignal): Promise<string>;
}
