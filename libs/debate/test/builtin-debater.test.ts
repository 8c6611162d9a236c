import { describe, expect, it } from 'vitest';
import { generateWorldDataset, type WorldItem } from '#tribunal/world';
import { builtinDebater, builtinSpeech, parseCitations, verifyCitations, type DebaterItem } from '../src/index.js';
import { speechRequest, textItem } from './factories.js';

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

const cited = (text: string): string[] =>
  parseCitations(text)
    .filter((m) => m.kind === 'evidence')
    .map((m) => m.target);
const limits = (citations: number) => ({ chars: 1200, quoteChars: undefined, citations });

describe('builtinSpeech on the built-in world', () => {
  it('cites at most the allowed number of readings, all of them real', () => {
    let citedSomething = false;
    for (const item of worldItems) {
      for (let answer = 0; answer < item.answers.length; answer++) {
        const text = builtinSpeech(speechRequest(debaterItem(item), { answer, limits: limits(3) }));
        expect(text.length).toBeGreaterThan(0);
        const marks = parseCitations(text);
        expect(marks.length).toBeLessThanOrEqual(3);
        if (marks.length > 0) citedSomething = true;
        expect(verifyCitations(marks, item.evidence).every((c) => c.verified)).toBe(true);
      }
    }
    expect(citedSomething).toBe(true);
  });

  it('cites nothing when no citations are allowed', () => {
    for (const item of worldItems.slice(0, 10)) {
      expect(parseCitations(builtinSpeech(speechRequest(debaterItem(item), { answer: item.simpleLabel, limits: limits(0) })))).toEqual([]);
    }
  });

  it('opens its first speech with its answer and holds to it in later ones', () => {
    const item = worldItems[0]!;
    const answer = item.answers[item.simpleLabel]!;
    const first = builtinSpeech(speechRequest(debaterItem(item), { answer: item.simpleLabel, speechNumber: 1 }));
    const later = builtinSpeech(speechRequest(debaterItem(item), { answer: item.simpleLabel, speechNumber: 2 }));
    expect(first.startsWith(`My answer is ${answer}:`)).toBe(true);
    expect(later.startsWith(`I hold to ${answer}:`)).toBe(true);
  });

  it('prefers readings not cited yet', () => {
    const item = worldItems.find(
      (w) => cited(builtinSpeech(speechRequest(debaterItem(w), { answer: w.groundTruth, limits: limits(10) }))).length >= 2,
    )!;
    expect(item).toBeDefined();
    const request = speechRequest(debaterItem(item), { answer: item.groundTruth, limits: limits(1) });
    const [first] = cited(builtinSpeech(request));
    const [second] = cited(builtinSpeech({ ...request, alreadyCited: [first!] }));
    expect(first).toBeDefined();
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
  });

  it('is deterministic', () => {
    const request = speechRequest(debaterItem(worldItems[3]!), { answer: 2 });
    expect(builtinSpeech(request)).toBe(builtinSpeech(request));
  });
});

describe('builtinSpeech elsewhere', () => {
  const item = textItem([{ id: 'e-1', kind: 'passage', text: 'Some passage.' }]);

  it('only asserts its answer, citing nothing', () => {
    const text = builtinSpeech(speechRequest(item, { answer: 1 }));
    expect(text).toBe('The answer is "yes". Nothing in the evidence rules it out.');
    expect(parseCitations(text)).toEqual([]);
    expect(builtinSpeech(speechRequest(item, { answer: 0 }))).toContain('"no"');
  });
});

describe('builtinDebater', () => {
  it('reports the whole speech through onText once and resolves to it', async () => {
    const request = speechRequest(debaterItem(worldItems[1]!), { answer: 1 });
    const deltas: string[] = [];
    const text = await builtinDebater.speak(request, (delta) => deltas.push(delta));
    expect(text).toBe(builtinSpeech(request));
    expect(deltas).toEqual([text]);
  });
});
