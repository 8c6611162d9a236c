import { describe, expect, it } from 'vitest';
import {
  blindCells,
  cameraView,
  createRng,
  DEFAULT_WORLD_PARAMS,
  featureLength,
  generateRoom,
  generateWorldDataset,
  hiddenObjects,
  roomFeatures,
  sensorReadings,
  validateWorldParams,
  WORLD_OBJECT_TYPES,
} from '../src/index.js';
import { itemOf, roomOf } from './factories.js';

describe('occlusion', () => {
  it('hides exactly the objects behind an occluder in the same column', () => {
    const room = roomOf('chair', [
      ['chair', 2, 0],
      ['table', 2, 1],
      ['chair', 2, 3],
      ['sofa', 2, 4],
      ['chair', 3, 4],
      ['lamp', 1, 5],
    ]);
    expect(hiddenObjects(room).map((o) => [o.type, o.x, o.y])).toEqual([
      ['chair', 2, 3],
      ['sofa', 2, 4],
    ]);
    const view = cameraView(room);
    expect(view.visible.map((o) => [o.type, o.x, o.y])).toEqual([
      ['chair', 2, 0],
      ['table', 2, 1],
      ['chair', 3, 4],
      ['lamp', 1, 5],
    ]);
    expect(blindCells(6, 6, view.visible)).toEqual([2, 3, 4, 5].map((y) => ({ x: 2, y })));
  });

  it('agrees with a brute-force check on generated rooms, and the camera never shows a hidden object', () => {
    const params = validateWorldParams({ hideProbability: 0.6 });
    const rng = createRng(99);
    let hiddenSeen = 0;
    for (let n = 0; n < 300; n++) {
      const room = generateRoom(rng, params);
      const bruteHidden = room.objects.filter((o) => room.objects.some((other) => other.occluder && other.x === o.x && other.y < o.y));
      expect(hiddenObjects(room)).toEqual(bruteHidden);
      hiddenSeen += bruteHidden.length;
      const visible = cameraView(room).visible;
      expect(visible).toHaveLength(room.objects.length - bruteHidden.length);
      for (const h of bruteHidden) expect(visible.some((v) => v.x === h.x && v.y === h.y)).toBe(false);
    }
    expect(hiddenSeen).toBeGreaterThan(100);
  });

  it('keeps the counts in meta consistent with the sensors and the camera', () => {
    for (const item of generateWorldDataset({ seed: 21, size: 200 })) {
      const { targetType } = item.meta;
      const sensed = item.evidence.filter((e) => e.reading.object === targetType).length;
      const inView = item.context.camera.visible.filter((o) => o.type === targetType).length;
      expect(item.meta.trueCount).toBe(sensed);
      expect(item.meta.visibleCount).toBe(inView);
      expect(item.meta.hiddenCount).toBe(sensed - inView);
    }
  });
});

describe('generateRoom', () => {
  it('respects the object and occluder ranges, one object per cell, one occluder per column', () => {
    const params = validateWorldParams({ objectsPerRoom: [3, 5], occludersPerRoom: [2, 2] });
    const rng = createRng(4);
    for (let n = 0; n < 200; n++) {
      const room = generateRoom(rng, params);
      const occluders = room.objects.filter((o) => o.occluder);
      expect(occluders).toHaveLength(2);
      expect(new Set(occluders.map((o) => o.x)).size).toBe(2);
      expect(occluders.every((o) => o.y <= params.depth - 2)).toBe(true);
      expect(room.objects.length - 2).toBeGreaterThanOrEqual(3);
      expect(room.objects.length - 2).toBeLessThanOrEqual(5);
      expect(new Set(room.objects.map((o) => `${o.x},${o.y}`)).size).toBe(room.objects.length);
    }
  });
});

describe('evidence and features', () => {
  it('has one sensor per cell naming what stands there', () => {
    const room = roomOf('lamp', [
      ['cabinet', 0, 0],
      ['lamp', 0, 2],
    ]);
    const units = sensorReadings(room);
    expect(units).toHaveLength(36);
    expect(units.find((u) => u.id === 's-0-2')).toEqual({
      id: 's-0-2',
      kind: 'sensor',
      text: 'Sensor at (0, 2): lamp',
      reading: { x: 0, y: 2, object: 'lamp' },
    });
    expect(units.find((u) => u.id === 's-3-3')?.text).toBe('Sensor at (3, 3): empty');
  });

  it('one-hot encodes every cell and the target type, at featureLength', () => {
    const room = roomOf('lamp', [
      ['cabinet', 0, 0],
      ['lamp', 0, 2],
    ]);
    const features = roomFeatures(room);
    const slots = 1 + WORLD_OBJECT_TYPES.length;
    expect(features).toHaveLength(featureLength(DEFAULT_WORLD_PARAMS));
    expect(features.reduce((a, b) => a + b, 0)).toBe(36 + 1);
    expect(features[0 * slots + 1 + WORLD_OBJECT_TYPES.indexOf('cabinet')]).toBe(1);
    expect(features[(2 * 6 + 0) * slots + 1 + WORLD_OBJECT_TYPES.indexOf('lamp')]).toBe(1);
    expect(features[(5 * 6 + 5) * slots]).toBe(1);
    expect(itemOf(room).features).toEqual(features);
  });

  it('matches featureLength for other room sizes', () => {
    const params = validateWorldParams({ width: 3, depth: 9, objectsPerRoom: [1, 4] });
    const [item] = generateWorldDataset({ seed: 2, size: 1, params });
    expect(item?.features).toHaveLength(featureLength(params));
    expect(featureLength(params)).toBe(3 * 9 * (1 + WORLD_OBJECT_TYPES.length) + 6);
  });
});
