import { argueForAnswer, claimPhrase, pluralOf, type Speech, type WorldItem } from '../src/index.js';

/**
 * Plays a debate between built-in debater copies: `rounds` rounds of simultaneous speeches, one per
 * seat, each seat seeing as already cited every reading cited in earlier rounds (by anyone), as the
 * judge has. Returns each seat's speeches, first round first.
 */
export function playDebate(item: WorldItem, answers: readonly number[], rounds: number, maxCitations: number): Speech[][] {
  const seen: string[] = [];
  const speeches: Speech[][] = answers.map(() => []);
  for (let round = 1; round <= rounds; round++) {
    const spoken = answers.map((answer) => argueForAnswer(item, answer, { maxCitations, alreadyCited: [...seen], round }));
    spoken.forEach((speech, seat) => speeches[seat]!.push(speech));
    for (const speech of spoken) seen.push(...speech.citations.filter((id) => !seen.includes(id)));
  }
  return speeches;
}

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export const MARKER = '[[•]]';

/**
 * What a judge reads of one speech, less what is not wording: the speech's own answer (the judge is
 * shown each seat's answer anyway) becomes <CLAIM> and <N>, the asked-about type <TYPE>. With
 * `keepContents` false, each citation sentence (a sentence carrying a [[marker]]) becomes a bare
 * marker, so what is left is the wording around the cited readings.
 */
export function judgeVisibleText(item: WorldItem, answer: number, text: string, keepContents: boolean): string {
  const answerText = item.answers[answer]!;
  const { targetType } = item.meta;
  const typeWords = new RegExp(`\\b(${escaped(pluralOf(targetType))}|${escaped(targetType)})\\b`, 'g');
  const number = new RegExp(`(?<![\\w+])${escaped(answerText)}(?![\\w+])`, 'g');
  return text
    .split(/(?<=\.) +/)
    .map((sentence) => {
      if (/\[\[[^\]]+\]\]/.test(sentence)) return keepContents ? sentence.replace(typeWords, '<TYPE>') : MARKER;
      return sentence.replace(claimPhrase(answerText, targetType), '<CLAIM>').replace(number, '<N>').replace(typeWords, '<TYPE>');
    })
    .join(' ');
}
