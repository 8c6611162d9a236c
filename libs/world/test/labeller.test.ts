import { describe, expect, it } from 'vitest';
import { generateWorldDataset, labelErrorKind, type WorldItem } from '../src/index.js';
import { itemOf, roomOf } from './factories.js';

const share = (items: WorldItem[], keep: (item: WorldItem) => boolean) => items.filter(keep).length / items.length;

function hiddenFraction(items: WorldItem[]): number {
  const hidden = items.reduce((sum, i) => sum + i.meta.hiddenCount, 0);
  const total = items.reduce((sum, i) => sum + i.meta.trueCount, 0);
  return hidden / total;
}

describe('answer index capping', () => {
  it('puts four or more targets into "4+"', () => {
    const six = itemOf(
      roomOf(
        'chair',
        [0, 1, 2, 3, 4, 5].map((x): [string, number, number] => ['chair', x, 0]),
      ),
    );
    expect(six.meta.trueCount).toBe(6);
    expect(six.groundTruth).toBe(4);
    expect(six.simpleLabel).toBe(4);
    expect(six.meta.errorKind).toBe('none');

    const three = itemOf(
      roomOf(
        'chair',
        [0, 1, 2].map((x): [string, number, number] => ['chair', x, 0]),
      ),
    );
    expect(three.groundTruth).toBe(3);
  });
});

describe('simple labeller', () => {
  it('misses a hidden target and records why', () => {
    const item = itemOf(
      roomOf('box', [
        ['box', 0, 0],
        ['sofa', 1, 1],
        ['box', 1, 4],
      ]),
    );
    expect(item.groundTruth).toBe(2);
    expect(item.simpleLabel).toBe(1);
    expect(item.meta).toMatchObject({ hiddenCount: 1, simpleLabelWrong: true, errorKind: 'missed-hidden' });
  });

  it('is wrong on a non-trivial fraction of 500 items, both systematically and at random', () => {
    const items = generateWorldDataset({ seed: 2024, size: 500 });
    const wrong = share(items, (i) => i.meta.simpleLabelWrong);
    expect(wrong).toBeGreaterThan(0.15);
    expect(wrong).toBeLessThan(0.85);
    const kinds = new Set(items.map((i) => i.meta.errorKind));
    expect(kinds).toContain('missed-hidden');
    expect(kinds).toContain('noise');
    for (const item of items) {
      expect(item.meta.simpleLabelWrong).toBe(item.simpleLabel !== item.groundTruth);
      expect(item.meta.errorKind === 'none').toBe(!item.meta.simpleLabelWrong);
      if (item.meta.errorKind === 'missed-hidden') expect(item.meta.hiddenCount).toBeGreaterThan(0);
      if (item.meta.errorKind === 'noise') expect(item.meta.labellerShift).not.toBe(0);
    }
  });

  it('is always right with no noise and nothing hidden on purpose', () => {
    const items = generateWorldDataset({ seed: 2024, size: 500, params: { labellerNoise: 0, hideProbability: 0 } });
    expect(items.every((i) => i.simpleLabel === i.groundTruth)).toBe(true);
    expect(items.every((i) => i.meta.hiddenCount === 0)).toBe(true);
  });

  it('errs only at random when nothing is hidden, at about the noise rate', () => {
    const items = generateWorldDataset({ seed: 5, size: 1000, params: { labellerNoise: 0.3, hideProbability: 0 } });
    expect(items.filter((i) => i.meta.simpleLabelWrong).every((i) => i.meta.errorKind === 'noise')).toBe(true);
    // Some miscounts clamp at zero or stay inside "4+", so fewer than 30% of labels change.
    expect(share(items, (i) => i.meta.simpleLabelWrong)).toBeGreaterThan(0.15);
    expect(share(items, (i) => i.meta.simpleLabelWrong)).toBeLessThan(0.3);
  });

  it('classifies errors by what each cause did to the answer', () => {
    expect(labelErrorKind(2, 2, 2)).toBe('none');
    expect(labelErrorKind(3, 2, 2)).toBe('missed-hidden');
    expect(labelErrorKind(2, 2, 1)).toBe('noise');
    expect(labelErrorKind(3, 2, 1)).toBe('both');
    expect(labelErrorKind(3, 2, 3)).toBe('none');
  });
});

describe('hideProbability', () => {
  it('raises the hidden fraction monotonically', () => {
    const fractions = [0, 0.25, 0.5, 0.75, 1].map((hideProbability) =>
      hiddenFraction(generateWorldDataset({ seed: 8, size: 400, params: { hideProbability } })),
    );
    expect(fractions[0]).toBe(0);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThan(fractions[i - 1] ?? 1);
    expect(fractions[4]).toBeGreaterThan(0.9);
  });

  it('moves targets without changing what is in the room', () => {
    const low = generateWorldDataset({ seed: 8, size: 100, params: { hideProbability: 0.1 } });
    const high = generateWorldDataset({ seed: 8, size: 100, params: { hideProbability: 0.9 } });
    expect(high.map((i) => [i.meta.targetType, i.meta.trueCount])).toEqual(low.map((i) => [i.meta.targetType, i.meta.trueCount]));
  });
});
