import { describe, expect, it } from 'vitest';
import { generateWorldDataset } from '../../world/src/index.js';
import { simulatedJudge } from '../src/index.js';

const items = generateWorldDataset({ seed: 11, size: 60 });

describe('simulatedJudge on the built-in world', () => {
  it('returns a distribution over the answers, with or without revealed evidence', () => {
    for (const item of items) {
      for (const revealed of [[], item.evidence.slice(0, 5), item.evidence]) {
        const belief = simulatedJudge({ context: { ...item.context }, question: item.question, answers: item.answers, revealed });
        expect(belief).toHaveLength(item.answers.length);
        for (const p of belief) {
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(1);
        }
        expect(belief.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      }
    }
  });

  it('is not uniform once every reading is revealed', () => {
    const item = items[0]!;
    const belief = simulatedJudge({
      context: { ...item.context },
      question: item.question,
      answers: item.answers,
      revealed: item.evidence,
    });
    expect(Math.max(...belief)).toBeGreaterThan(1 / item.answers.length + 0.1);
  });
});

describe('simulatedJudge elsewhere', () => {
  it('stays uniform', () => {
    const belief = simulatedJudge({
      context: { kind: 'text' },
      question: 'Is the review positive?',
      answers: ['no', 'yes', 'mixed', 'unclear'],
      revealed: [{ id: 'e-1', kind: 'passage', text: 'Great film.' }],
    });
    expect(belief).toEqual([0.25, 0.25, 0.25, 0.25]);
  });
});
