import type { CameraView, WorldObject } from './types.js';
import { isOccluderType, LARGE_OBJECT_TYPES, SMALL_OBJECT_TYPES } from './objects.js';
import { cellKey, isBehindOccluder, type Cell } from './occlusion.js';
import type { WorldParams } from './params.js';
import { pickOne, randomInt, shuffled, type Rng } from './rng.js';

export interface Room {
  width: number;
  depth: number;
  targetType: string;
  objects: WorldObject[];
}

/** Share of small objects that are of the asked-about type; gives counts spread over 0..4+. The simulated judge's prior uses it too. */
export const TARGET_SHARE = 0.4;

interface DraftObject {
  type: string;
  x: number;
  y: number;
  occluder: boolean;
}

function freeCells(width: number, depth: number, placed: readonly DraftObject[], blind: boolean): Cell[] {
  const taken = new Set(placed.map((o) => cellKey(o.x, o.y)));
  const cells: Cell[] = [];
  for (let y = 0; y < depth; y++) {
    for (let x = 0; x < width; x++) {
      if (!taken.has(cellKey(x, y)) && isBehindOccluder(placed, x, y) === blind) cells.push({ x, y });
    }
  }
  return cells;
}

/** Picks a free cell of the wanted kind, falling back to the other kind only when a cramped room has none. */
function placeIn(rng: Rng, width: number, depth: number, placed: readonly DraftObject[], blind: boolean): Cell {
  const preferred = freeCells(width, depth, placed, blind);
  if (preferred.length > 0) return pickOne(rng, preferred);
  return pickOne(rng, freeCells(width, depth, placed, !blind));
}

function placeAnywhere(rng: Rng, width: number, depth: number, placed: readonly DraftObject[]): Cell {
  return pickOne(rng, [...freeCells(width, depth, placed, false), ...freeCells(width, depth, placed, true)]);
}

/** Expects validated params (see validateWorldParams): the room is guaranteed to have room for every object. */
export function generateRoom(rng: Rng, params: WorldParams): Room {
  const { width, depth } = params;
  const placed: DraftObject[] = [];

  // One occluder per column, never in the back row, so each one hides at least one cell.
  const occluderCount = randomInt(rng, ...params.occludersPerRoom);
  const columns = shuffled(
    rng,
    Array.from({ length: width }, (_, x) => x),
  ).slice(0, occluderCount);
  for (const x of columns) {
    placed.push({ type: pickOne(rng, LARGE_OBJECT_TYPES), x, y: randomInt(rng, 0, depth - 2), occluder: true });
  }

  const targetType = pickOne(rng, SMALL_OBJECT_TYPES);
  const otherTypes = SMALL_OBJECT_TYPES.filter((t) => t !== targetType);
  const objectCount = randomInt(rng, ...params.objectsPerRoom);
  for (let i = 0; i < objectCount; i++) {
    // The number of draws never depends on hideProbability, so a sweep over it keeps the same
    // objects and moves only where the targets stand.
    const isTarget = rng() < TARGET_SHARE;
    const hide = isTarget && rng() < params.hideProbability;
    const cell = isTarget ? placeIn(rng, width, depth, placed, hide) : placeAnywhere(rng, width, depth, placed);
    placed.push({ type: isTarget ? targetType : pickOne(rng, otherTypes), ...cell, occluder: false });
  }

  const objects = placed
    .sort((a, b) => a.y - b.y || a.x - b.x)
    .map((o, i): WorldObject => ({ id: `o-${i}`, type: o.type, x: o.x, y: o.y, occluder: isOccluderType(o.type) }));
  return { width, depth, targetType, objects };
}

export function isHidden(room: Room, object: WorldObject): boolean {
  return isBehindOccluder(room.objects, object.x, object.y);
}

export function hiddenObjects(room: Room): WorldObject[] {
  return room.objects.filter((o) => isHidden(room, o));
}

export function cameraView(room: Room): CameraView {
  return {
    width: room.width,
    depth: room.depth,
    visible: room.objects.filter((o) => !isHidden(room, o)).map((o) => ({ type: o.type, x: o.x, y: o.y, occluder: o.occluder })),
  };
}
