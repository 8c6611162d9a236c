import { argueForAnswer, type CameraView } from '#tribunal/world';
import type { Debater, SpeechRequest } from './debater.js';

/**
 * The built-in model copy: on the built-in world it cites the sensor readings that best support its
 * assigned answer (it cannot forge one); elsewhere it can only assert.
 */
export function builtinSpeech(request: SpeechRequest): string {
  const { item, answer } = request;
  if (item.context.kind !== 'world-room') return `The answer is "${item.answers[answer]}". Nothing in the evidence rules it out.`;
  const worldItem = {
    context: item.context as { kind: 'world-room'; camera: CameraView },
    evidence: item.evidence as Parameters<typeof argueForAnswer>[0]['evidence'],
    question: item.question,
    answers: item.answers,
    meta: item.meta as unknown as Parameters<typeof argueForAnswer>[0]['meta'],
  };
  return argueForAnswer(worldItem, answer, {
    maxCitations: request.limits.citations,
    alreadyCited: request.alreadyCited,
    round: request.speechNumber,
  }).text;
}

export const builtinDebater: Debater = {
  speak: (request, onText) => {
    const text = builtinSpeech(request);
    onText(text);
    return Promise.resolve(text);
  },
};
