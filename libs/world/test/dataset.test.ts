import { describe, expect, it } from 'vitest';
import { createRng, featureLength, generateWorldDataset, validateWorldParams, WORLD_ANSWERS } from '../src/index.js';

describe('createRng', () => {
  it('repeats its stream for a seed and differs between seeds', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, createRng(seed));
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw(42).every((v) => v >= 0 && v < 1)).toBe(true);
  });

  it('keeps the high bits of large seeds', () => {
    expect(createRng(2 ** 32 + 5)()).not.toBe(createRng(5)());
  });
});

describe('generateWorldDataset', () => {
  it('is deterministic for a seed and params', () => {
    const a = generateWorldDataset({ seed: 7, size: 50, params: { hideProbability: 0.5 } });
    const b = generateWorldDataset({ seed: 7, size: 50, params: { hideProbability: 0.5 } });
    expect(a).toEqual(b);
  });

  it('differs between seeds', () => {
    const a = generateWorldDataset({ seed: 7, size: 50 });
    const b = generateWorldDataset({ seed: 8, size: 50 });
    expect(a.map((i) => i.features)).not.toEqual(b.map((i) => i.features));
    expect(a[0]?.externalId).toBe('room-7-0');
    expect(b[49]?.externalId).toBe('room-8-49');
  });

  it('keeps earlier items when the dataset grows', () => {
    const small = generateWorldDataset({ seed: 3, size: 10 });
    const large = generateWorldDataset({ seed: 3, size: 40 });
    expect(large.slice(0, 10)).toEqual(small);
  });

  it('varies rooms within a dataset', () => {
    const items = generateWorldDataset({ seed: 11, size: 100 });
    expect(new Set(items.map((i) => i.features.join(''))).size).toBe(100);
    expect(new Set(items.map((i) => i.meta.targetType)).size).toBeGreaterThan(3);
    expect(new Set(items.map((i) => i.groundTruth))).toEqual(new Set([0, 1, 2, 3, 4]));
  });

  it('gives every item the fixed answer set, one reading per cell and full features', () => {
    const params = validateWorldParams({ width: 4, depth: 7 });
    for (const item of generateWorldDataset({ seed: 5, size: 30, params })) {
      expect(item.answers).toEqual(['0', '1', '2', '3', '4+']);
      expect(item.evidence).toHaveLength(28);
      expect(new Set(item.evidence.map((e) => e.id)).size).toBe(28);
      expect(item.features).toHaveLength(featureLength());
      expect(item.question).toMatch(/^How many \w+ are in the room\?$/);
      expect(item.groundTruth).toBe(Math.min(item.meta.trueCount, 4));
    }
    expect(WORLD_ANSWERS).toEqual(['0', '1', '2', '3', '4+']);
  });

  it('rejects a bad seed, size or params', () => {
    expect(() => generateWorldDataset({ seed: 1.5, size: 1 })).toThrow(/world\.seed/);
    expect(() => generateWorldDataset({ seed: 1, size: -1 })).toThrow(/world\.size/);
    expect(() => generateWorldDataset({ seed: 1, size: 1, params: { width: 0 } })).toThrow(/world\.width/);
  });
});
