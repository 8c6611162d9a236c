import { describe, expect, it } from 'vitest';
import { generateWorldDataset, type WorldItem } from '../../world/src/index.js';
import { builtinSpeech, parseCitations, verifyCitations, type DebaterItem } from '../src/index.js';

const worldItems = generateWorldDataset({ seed: 5, size: 40 });

function debaterItem(item: WorldItem): DebaterItem {
  return {
    context: { ...item.context },
    evidence: item.evidence,
    question: item.question,
    answers: item.answers,
    meta: { ...item.meta },
  };
}

describe('builtinSpeech on the built-in world', () => {
  it('stays within maxChars and cites only existing evidence', () => {
    let citedSomething = false;
    for (const item of worldItems) {
      const request = { item: debaterItem(item), round: 1, maxChars: 1200, maxCitations: 3, alreadyCited: [] };
      for (let answer = 0; answer < item.answers.length; answer++) {
        const text = builtinSpeech({ ...request, answer });
        expect(text.length).toBeGreaterThan(0);
        expect(text.length).toBeLessThanOrEqual(1200);
        const ids = parseCitations(text);
        expect(ids.length).toBeLessThanOrEqual(3);
        if (ids.length > 0) citedSomething = true;
        expect(verifyCitations(ids, item.evidence).every((c) => c.verified)).toBe(true);
      }
    }
    expect(citedSomething).toBe(true);
  });

  it('cuts a long speech to maxChars, still citing only existing evidence', () => {
    for (const item of worldItems.slice(0, 10)) {
      const full = builtinSpeech({ item: debaterItem(item), answer: 4, round: 1, maxChars: 100_000, maxCitations: 5, alreadyCited: [] });
      const cut = builtinSpeech({ item: debaterItem(item), answer: 4, round: 1, maxChars: 40, maxCitations: 5, alreadyCited: [] });
      expect(cut).toBe(full.slice(0, 40));
      expect(verifyCitations(parseCitations(cut), item.evidence).every((c) => c.verified)).toBe(true);
    }
  });

  it('cites nothing when no citations are allowed', () => {
    const item = worldItems[0]!;
    const text = builtinSpeech({
      item: debaterItem(item),
      answer: item.simpleLabel,
      round: 1,
      maxChars: 1200,
      maxCitations: 0,
      alreadyCited: [],
    });
    expect(parseCitations(text)).toEqual([]);
  });
});

describe('builtinSpeech elsewhere', () => {
  const item: DebaterItem = {
    context: { kind: 'text' },
    evidence: [{ id: 'e-1', kind: 'passage', text: 'Some passage.' }],
    question: 'Is the review positive?',
    answers: ['no', 'yes'],
    meta: {},
  };

  it('only asserts its answer, citing nothing', () => {
    const text = builtinSpeech({ item, answer: 1, round: 1, maxChars: 1200, maxCitations: 3, alreadyCited: [] });
    expect(text).toContain('"yes"');
    expect(text).not.toContain('"no"');
    expect(parseCitations(text)).toEqual([]);
  });

  it('respects maxChars', () => {
    const text = builtinSpeech({ item, answer: 0, round: 1, maxChars: 20, maxCitations: 3, alreadyCited: [] });
    expect(text.length).toBe(20);
  });
});
