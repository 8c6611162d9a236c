import type { EvidenceUnit } from '../../contracts/src/index.js';
import { argueForAnswer, type CameraView } from '../../world/src/index.js';

export interface DebaterItem {
  context: Record<string, unknown>;
  evidence: EvidenceUnit[];
  question: string;
  answers: string[];
  meta: Record<string, unknown>;
}

export interface SpeechRequest {
  item: DebaterItem;
  answer: number;
  round: number;
  maxChars: number;
  maxCitations: number;
  /** Evidence already cited in this debate, by anyone. */
  alreadyCited: string[];
}

/**
 * The built-in model copy: on the built-in world it cites the sensor readings that best support its
 * assigned answer (it cannot forge one); elsewhere it can only assert.
 */
export function builtinSpeech(request: SpeechRequest): string {
  const { item, answer } = request;
  let text: string;
  if (item.context.kind === 'world-room') {
    const worldItem = {
      context: item.context as { kind: 'world-room'; camera: CameraView },
      evidence: item.evidence as Parameters<typeof argueForAnswer>[0]['evidence'],
      question: item.question,
      answers: item.answers,
      meta: item.meta as unknown as Parameters<typeof argueForAnswer>[0]['meta'],
    };
    text = argueForAnswer(worldItem, answer, {
      maxCitations: request.maxCitations,
      alreadyCited: request.alreadyCited,
      round: request.round,
    }).text;
  } else {
    text = `The answer is "${item.answers[answer]}". Nothing in the evidence rules it out.`;
  }
  return text.length > request.maxChars ? text.slice(0, request.maxChars) : text;
}
