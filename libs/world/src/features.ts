import { TARGET_TYPES, WORLD_OBJECT_TYPES } from './objects.js';
import type { WorldParams } from './params.js';
import type { Room } from './room.js';

/** Slots per cell: "empty" then every object type. */
const SLOTS_PER_CELL = 1 + WORLD_OBJECT_TYPES.length;

export function featureLength(params: Pick<WorldParams, 'width' | 'depth'>): number {
  return params.width * params.depth * SLOTS_PER_CELL + TARGET_TYPES.length;
}

/**
 * Everything the sensors show, hidden or not, so a model can in principle learn the truth; the
 * occluders are in it too, so it can equally learn what the labeller would see.
 */
export function roomFeatures(room: Room): number[] {
  const features = new Array<number>(featureLength(room)).fill(0);
  for (let y = 0; y < room.depth; y++) {
    for (let x = 0; x < room.width; x++) {
      const object = room.objects.find((o) => o.x === x && o.y === y);
      const slot = object === undefined ? 0 : 1 + WORLD_OBJECT_TYPES.indexOf(object.type);
      features[(y * room.width + x) * SLOTS_PER_CELL + slot] = 1;
    }
  }
  features[room.width * room.depth * SLOTS_PER_CELL + TARGET_TYPES.indexOf(room.targetType)] = 1;
  return features;
}
