import { describe, expect, it } from 'vitest';
import { disputesLeft, selectDisputes, withinBudget, type ScoredItem } from '../src/index.js';

const rules = { margin: 0.2, divergence: 0.3, auditFraction: 0, budget: null, maxDisputedFraction: null, seed: 1 };

describe('the loop budget', () => {
  it('counts what is left of a fraction of the training split, never below zero', () => {
    expect(disputesLeft(400, 0, 0.1)).toBe(40);
    expect(disputesLeft(400, 25, 0.1)).toBe(15);
    expect(disputesLeft(400, 60, 0.1)).toBe(0);
    expect(disputesLeft(405, 0, 0.1)).toBe(40);
    expect(disputesLeft(400, 10, null)).toBeNull();
  });

  it('keeps the audit sample its share when the budget is tight, flagged items strongest first', () => {
    const flagged = ['f1', 'f2', 'f3', 'f4', 'f5', 'f6'];
    const audits = ['a1', 'a2', 'a3'];
    expect(withinBudget(flagged, audits, null)).toEqual([...flagged, ...audits]);
    expect(withinBudget(flagged, audits, 9)).toEqual([...flagged, ...audits]);
    expect(withinBudget(flagged, audits, 3)).toEqual(['f1', 'f2', 'a1']);
    expect(withinBudget(flagged, audits, 0)).toEqual([]);
    expect(withinBudget([], audits, 2)).toEqual(['a1', 'a2']);
    expect(withinBudget(flagged, [], 2)).toEqual(['f1', 'f2']);
  });

  it('never chooses more disputes than the budget allows from a model that disagrees everywhere', () => {
    const items: ScoredItem[] = Array.from({ length: 200 }, (_, i) => ({
      itemId: `i${i}`,
      answers: ['0', '1', '2'],
      simpleLabel: 0,
      intended: [0.05, 0.05 + (i % 10) / 100, 0.9 - (i % 10) / 100],
      instrumental: [0.9, 0.05, 0.05],
    }));
    const chosen = selectDisputes(items, { ...rules, auditFraction: 0.2 }, 12);
    expect(chosen).toHaveLength(12);
    // Every item is flagged, so none is left for a separate audit draw.
    expect(chosen.every((c) => c.reasons.some((r) => r.kind === 'intended-vs-simple'))).toBe(true);
    expect(selectDisputes(items, rules, 0)).toEqual([]);
  });
});
