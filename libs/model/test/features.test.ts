import { describe, expect, it } from 'vitest';
import { generateWorldDataset } from '#tribunal/world';
import { chooseFeatures, writeBatchFeatures, writeFeatures, type FeaturedItem, type FeatureSpec } from '../src/index.js';

const world: FeaturedItem[] = generateWorldDataset({ seed: 3, size: 2000 }).map((item) => ({
  ...item,
  context: item.context as unknown as Record<string, unknown>,
}));

function itemByItem(items: readonly FeaturedItem[], spec: FeatureSpec): Float32Array {
  const out = new Float32Array(items.length * spec.size);
  items.forEach((item, i) => writeFeatures(item, spec, out, i * spec.size));
  return out;
}

describe('writing a batch of features', () => {
  it('writes the same float32 values as writeFeatures item by item on the built-in world', () => {
    const spec = chooseFeatures(world);
    expect(spec.kind).toBe('provided');
    const batch = new Float32Array(world.length * spec.size);
    writeBatchFeatures(world, spec, batch);
    expect(Buffer.from(batch.buffer)).toEqual(Buffer.from(itemByItem(world, spec).buffer));
  });

  it('rounds provided values to float32 as a typed-array write does, and fills a larger buffer from the start', () => {
    const items: FeaturedItem[] = [0.1, 1 / 3, 1e-40, -2.5].map((v) => ({ ...world[0]!, features: [v, 2 * v] }));
    const spec: FeatureSpec = { kind: 'provided', size: 2 };
    const target = new Float32Array(10).fill(7);
    writeBatchFeatures(items, spec, target);
    expect(Array.from(target.subarray(0, 8))).toEqual(Array.from(itemByItem(items, spec)));
    expect(Array.from(target.subarray(8))).toEqual([7, 7]);
  });

  it('hashes text items as writeFeatures does', () => {
    const spec: FeatureSpec = { kind: 'hashed-ngrams', size: 64, n: 2 };
    const items = world.slice(0, 20);
    const batch = new Float32Array(items.length * spec.size);
    writeBatchFeatures(items, spec, batch);
    expect(Buffer.from(batch.buffer)).toEqual(Buffer.from(itemByItem(items, spec).buffer));
  });

  it('refuses an item whose vector has another length, and a buffer too small for the batch', () => {
    const spec = chooseFeatures(world);
    const items = [world[0]!, { ...world[1]!, features: [1, 2] }];
    expect(() => writeBatchFeatures(items, spec, new Float32Array(2 * spec.size))).toThrow(
      /reads 28 provided features per item; an item has 2/,
    );
    expect(() => writeBatchFeatures([{ ...world[0]!, features: null }], spec, new Float32Array(spec.size))).toThrow(/an item has none/);
    expect(() => writeBatchFeatures(world.slice(0, 2), spec, new Float32Array(spec.size))).toThrow(/needs 56 values/);
  });
});
