import { createRng, DEFAULT_WORLD_PARAMS, worldItemFromRoom, type Room, type WorldItem, type WorldObject } from '../src/index.js';

type Placement = [type: string, x: number, y: number];

/** A hand-laid room, for cases a random one would hit only by luck. */
export function roomOf(targetType: string, placements: Placement[], width = 6, depth = 6): Room {
  const objects: WorldObject[] = placements.map(([type, x, y], i) => ({
    id: `o-${i}`,
    type,
    x,
    y,
    occluder: ['table', 'cabinet', 'sofa', 'bookshelf'].includes(type),
  }));
  return { width, depth, targetType, objects };
}

/** An item built from a hand-laid room with a labeller that never miscounts. */
export function itemOf(room: Room): WorldItem {
  return worldItemFromRoom(room, 'room-test-0', createRng(1), { ...DEFAULT_WORLD_PARAMS, labellerNoise: 0 });
}

export function citedUnits(item: WorldItem, ids: readonly string[]) {
  return item.evidence.filter((unit) => ids.includes(unit.id));
}

export function argmax(values: readonly number[]): number {
  return values.indexOf(Math.max(...values));
}
