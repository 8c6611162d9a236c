import { describe, expect, it } from 'vitest';
import { limitProblems, parseCitations, withinLimits, type SpeechLimits } from '../src/index.js';

const limits = (chars: number, citations: number, quoteChars?: number): SpeechLimits => ({ chars, citations, quoteChars });
const problems = (text: string, l: SpeechLimits): string[] => limitProblems(text, parseCitations(text), l);
const honoured = (text: string, l: SpeechLimits): string[] => withinLimits(text, parseCitations(text), l).honoured.map((m) => m.target);

describe('limitProblems', () => {
  it('finds nothing wrong with a speech within its limits', () => {
    expect(problems('A short speech citing [[a]] and <quote>b</quote>.', limits(100, 1, 1))).toEqual([]);
  });

  it('reports a speech over the character limit, and not one at it', () => {
    expect(problems('x'.repeat(30), limits(20, 3))).toEqual(['the speech is 30 characters; the limit is 20']);
    expect(problems('x'.repeat(20), limits(20, 3))).toEqual([]);
  });

  it('reports too many pieces of evidence, counting a repeated id once', () => {
    const text = '[[a]] [[b]] [[c]] [[a]]';
    expect(problems(text, limits(100, 2))).toEqual(['the speech cites 3 pieces of evidence; the limit is 2']);
    expect(problems(text, limits(100, 3))).toEqual([]);
  });

  it('reports too many quoted characters, adding up every quotation', () => {
    const text = '<quote>abcdef</quote> then <quote>ghij</quote>';
    expect(problems(text, limits(200, 0, 9))).toEqual(['the speech quotes 10 characters; the limit is 9']);
    expect(problems(text, limits(200, 0, 10))).toEqual([]);
  });

  it('leaves quotations unlimited without a quote limit, and does not count them as evidence', () => {
    expect(problems(`<quote>${'q'.repeat(500)}</quote>`, limits(1000, 0))).toEqual([]);
  });

  it('reports every problem at once', () => {
    const text = `[[a]] [[b]] <quote>abcdef</quote> ${'x'.repeat(20)}`;
    expect(problems(text, limits(20, 1, 5))).toEqual([
      `the speech is ${text.length} characters; the limit is 20`,
      'the speech cites 2 pieces of evidence; the limit is 1',
      'the speech quotes 6 characters; the limit is 5',
    ]);
  });
});

describe('withinLimits', () => {
  it('keeps a speech within its limits as it is', () => {
    const text = '[[a]] and <quote>b</quote>';
    const marks = parseCitations(text);
    expect(withinLimits(text, marks, limits(100, 1, 1))).toEqual({ text, honoured: marks });
  });

  it('cuts the text at the character limit', () => {
    expect(withinLimits('abcdefghij', [], limits(4, 3))).toEqual({ text: 'abcd', honoured: [] });
  });

  it('stops honouring citations the cut reaches into or past', () => {
    const text = '[[a]] tail [[b]] <quote>c</quote>';
    expect(text.indexOf('[[b]]')).toBe(11);
    expect(withinLimits(text, parseCitations(text), limits(13, 5))).toEqual({
      text: '[[a]] tail [[',
      honoured: [{ kind: 'evidence', target: 'a', at: [0, 5] }],
    });
    // A citation ending exactly at the cut is whole, and kept.
    expect(honoured(text, limits(16, 5))).toEqual(['a', 'b']);
    expect(honoured(text, limits(20, 5))).toEqual(['a', 'b']);
  });

  it('honours only the first citations within the citation budget, keeping the text', () => {
    const text = '[[a]] [[b]] [[c]] <quote>q</quote>';
    expect(withinLimits(text, parseCitations(text), limits(100, 2)).text).toBe(text);
    expect(honoured(text, limits(100, 2))).toEqual(['a', 'b', 'q']);
    expect(honoured(text, limits(100, 0))).toEqual(['q']);
  });

  it('stops honouring quotations once the quoted characters pass the budget', () => {
    const text = '<quote>abcd</quote> [[e]] <quote>efgh</quote> <quote>ij</quote>';
    expect(honoured(text, limits(200, 3, 6))).toEqual(['abcd', 'e']);
    expect(honoured(text, limits(200, 3, 8))).toEqual(['abcd', 'e', 'efgh']);
    expect(honoured(text, limits(200, 3, 10))).toEqual(['abcd', 'e', 'efgh', 'ij']);
    expect(honoured(text, limits(200, 3))).toEqual(['abcd', 'e', 'efgh', 'ij']);
    expect(honoured(text, limits(200, 3, 0))).toEqual(['e']);
  });

  it('leaves a speech it cut free of limit problems', () => {
    const text = `[[a]] [[b]] [[c]] <quote>${'q'.repeat(40)}</quote> ${'x'.repeat(100)}`;
    const l = limits(80, 2, 30);
    const kept = withinLimits(text, parseCitations(text), l);
    expect(limitProblems(kept.text, kept.honoured, l)).toEqual([]);
    expect(kept.text).toHaveLength(80);
    expect(kept.honoured.map((m) => m.target)).toEqual(['a', 'b']);
  });
});
