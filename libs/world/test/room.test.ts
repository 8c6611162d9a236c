import { describe, expect, it } from 'vitest';
import {
  blindCells,
  cameraView,
  createRng,
  featureLength,
  generateRoom,
  generateWorldDataset,
  hiddenObjects,
  roomFeatures,
  sensorReadings,
  TARGET_TYPES,
  validateWorldParams,
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

  it("encode the asked type's sensed and visible counts as answers, the target type, then both counts of every askable type", () => {
    const room = roomOf('lamp', [
      ['cabinet', 0, 0],
      ['lamp', 0, 2],
      ['lamp', 3, 1],
      ['box', 4, 4],
    ]);
    const features = roomFeatures(room);
    expect(features).toHaveLength(featureLength());
    // Two lamps sensed; the one at (0, 2) is behind the cabinet at (0, 0), so one is seen.
    expect(features.slice(0, 5)).toEqual([0, 0, 1, 0, 0]);
    expect(features.slice(5, 10)).toEqual([0, 1, 0, 0, 0]);
    expect(features.slice(10, 10 + TARGET_TYPES.length)).toEqual(TARGET_TYPES.map((t) => (t === 'lamp' ? 1 : 0)));
    const lamp = 10 + TARGET_TYPES.length + 2 * TARGET_TYPES.indexOf('lamp');
    expect(features.slice(lamp, lamp + 2)).toEqual([0.5, 0.25]);
    const box = 10 + TARGET_TYPES.length + 2 * TARGET_TYPES.indexOf('box');
    expect(features.slice(box, box + 2)).toEqual([0.25, 0.25]);
    expect(features.slice(10 + TARGET_TYPES.length).reduce((a, b) => a + b, 0)).toBe(1.25);
    expect(itemOf(room).features).toEqual(features);
  });

  it('have the same length whatever the room size', () => {
    const params = validateWorldParams({ width: 3, depth: 9, objectsPerRoom: [1, 4] });
    const [item] = generateWorldDataset({ seed: 2, size: 1, params });
    expect(item?.features).toHaveLength(featureLength());
    expect(featureLength()).toBe(10 + 3 * TARGET_TYPES.length);
  });
});
