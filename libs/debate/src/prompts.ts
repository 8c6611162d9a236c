import type { CameraView } from '#tribunal/world';
import type { DebaterItem, SpeechRequest, TranscriptEntry } from './debater.js';

/** Replaces `{{name}}` by its value; an unknown name is left as it is, so a typo shows in the prompt. */
export function render(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** The item as a debater reads it: everything it may cite. */
export function itemText(item: DebaterItem): string {
  if (item.context.kind === 'world-room') {
    const camera = item.context.camera as CameraView;
    const seen = camera.visible.map((o) => `${o.type} at (${o.x}, ${o.y})`).join(', ') || 'nothing';
    return [
      `A room of ${camera.width} by ${camera.depth} cells seen by a camera in front of row 0. The camera sees: ${seen}.`,
      'Sensor readings (cite one as [[id]]):',
      ...item.evidence.map((unit) => `[[${unit.id}]] ${unit.text}`),
    ].join('\n');
  }
  return item.evidence.map((unit) => (item.evidence.length > 1 ? `[${unit.id}]\n${unit.text}` : unit.text)).join('\n\n');
}

export function transcriptText(entries: readonly TranscriptEntry[], answers: readonly string[]): string {
  if (entries.length === 0) return '(nothing has been said yet)';
  return entries
    .map((e) =>
      e.kind === 'speech'
        ? `Debater ${e.seat} (arguing "${answers[e.answer]}"), round ${e.round}:\n${e.text}`
        : `Judge (${e.stage}): ${e.probabilities.map((p, i) => `"${answers[i]}" ${Math.round(p * 100)}%`).join(', ')}${e.note ? `\nJudge's note: ${e.note}` : ''}`,
    )
    .join('\n\n');
}

export const DEFAULT_DEBATER_SYSTEM = `You are Debater {{seat}} in a debate judged by someone who cannot see the source material.
Question: {{question}}
Possible answers: {{answers}}
You argue that the answer is "{{assigned_answer}}"; your opponents argue {{opponent_answers}}.
The source material, which only the debaters can read:
{{item}}
Support your claims with evidence: quote the source exactly inside <quote></quote> tags, or cite a piece of evidence by its id as [[id]].
The judge is shown which quotations and citations the server verified. Keep each speech under {{char_limit}} characters and {{quote_limit}} quoted characters.`;

export const DEFAULT_DEBATER_TURN = `The debate so far:
{{transcript}}

Write your speech for round {{round}}. {{problems}}`;

export function speechPromptValues(request: SpeechRequest): Record<string, string | number> {
  const { item } = request;
  return {
    seat: request.seat,
    question: item.question,
    answers: item.answers.map((a) => `"${a}"`).join(', '),
    assigned_answer: item.answers[request.answer] ?? '',
    opponent_answers: request.opponents.map((o) => `"${item.answers[o.answer]}"`).join(' and ') || 'nothing (there is no opponent)',
    item: itemText(item),
    transcript: transcriptText(request.transcript, item.answers),
    round: request.speechNumber,
    char_limit: request.limits.chars,
    quote_limit: request.limits.quoteChars ?? 'any number of',
    problems: request.problems?.length ? `Your previous attempt was refused: ${request.problems.join('; ')}. Stay within the limits.` : '',
  };
}
