import type { CitationMark } from './citations.js';

export interface SpeechLimits {
  chars: number;
  quoteChars: number | undefined;
  citations: number;
}

/** What is wrong with a speech under its limits; empty when nothing is. */
export function limitProblems(text: string, marks: readonly CitationMark[], limits: SpeechLimits): string[] {
  const problems: string[] = [];
  if (text.length > limits.chars) problems.push(`the speech is ${text.length} characters; the limit is ${limits.chars}`);
  const evidence = marks.filter((m) => m.kind === 'evidence').length;
  if (evidence > limits.citations) problems.push(`the speech cites ${evidence} pieces of evidence; the limit is ${limits.citations}`);
  const quoted = marks.filter((m) => m.kind === 'quote').reduce((sum, m) => sum + m.target.length, 0);
  if (limits.quoteChars !== undefined && quoted > limits.quoteChars) {
    problems.push(`the speech quotes ${quoted} characters; the limit is ${limits.quoteChars}`);
  }
  return problems;
}

/**
 * Brings a speech within its limits by cutting: the text at the character limit, and the citations
 * past the citation or quotation budget are kept in the text but not honoured (they stay unverified).
 */
export function withinLimits(
  text: string,
  marks: readonly CitationMark[],
  limits: SpeechLimits,
): { text: string; honoured: CitationMark[] } {
  const cut = text.slice(0, limits.chars);
  let evidence = 0;
  let quoted = 0;
  const honoured = marks.filter((mark) => {
    if (mark.at[1] > cut.length) return false;
    if (mark.kind === 'evidence') return ++evidence <= limits.citations;
    quoted += mark.target.length;
    return limits.quoteChars === undefined || quoted <= limits.quoteChars;
  });
  return { text: cut, honoured };
}
