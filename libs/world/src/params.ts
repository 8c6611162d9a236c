/** A generator parameter out of range; the message names it. */
export class WorldParamsError extends Error {
  override readonly name = 'WorldParamsError';
}
export interface WorldParams {
  /** Cells across, default 6. */
  width: number;
  /** Cells away from the camera, default 6. */
  depth: number;
  /** Inclusive range of non-occluder objects per room, default [2, 7]. */
  objectsPerRoom: [number, number];
  /** Inclusive range of occluders per room, at most one per column, default [1, 3]. */
  occludersPerRoom: [number, number];
  /** Chance an object of the target type is deliberately placed behind an occluder, default 0.35. */
  hideProbability: number;
  /** Chance the simple labeller is off by one at random, on top of missing hidden objects, default 0.08. */
  labellerNoise: number;
  /** Citations a speech may carry, default 3. */
  maxCitations: number;
}

export const DEFAULT_WORLD_PARAMS: WorldParams = {
  width: 6,
  depth: 6,
  objectsPerRoom: [2, 7],
  occludersPerRoom: [1, 3],
  hideProbability: 0.35,
  labellerNoise: 0.08,
  maxCitations: 3,
};

export const WORLD_ANSWERS: readonly string[] = Object.freeze(['0', '1', '2', '3', '4+']);

/** Counts at or above the last answer all fall into it ("4+"). */
export function answerIndexForCount(count: number, answerCount: number = WORLD_ANSWERS.length): number {
  return Math.min(Math.max(0, count), answerCount - 1);
}

/** Keeps features (cells × types) to a size a small model can train on. */
const MAX_ROOM_SIDE = 32;

function show(value: unknown): string {
  if (typeof value === 'number' || value === undefined) return String(value);
  return JSON.stringify(value) ?? String(value);
}

function integerIn(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const bound = Number.isFinite(max) ? `between ${min} and ${max}` : `at least ${min}`;
    throw new WorldParamsError(`world.${field} must be an integer ${bound}, got ${show(value)}`);
  }
  return value;
}

function probability(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new WorldParamsError(`world.${field} must be between 0 and 1, got ${show(value)}`);
  }
  return value;
}

function rangeIn(field: string, value: unknown, min: number, max: number, why: string): [number, number] {
  const ok =
    Array.isArray(value) &&
    value.length === 2 &&
    value.every((v: unknown) => typeof v === 'number' && Number.isInteger(v)) &&
    min <= value[0] &&
    value[0] <= value[1] &&
    value[1] <= max;
  if (!ok) {
    throw new WorldParamsError(`world.${field} must be [min, max] integers with ${min} ≤ min ≤ max ≤ ${max} (${why}), got ${show(value)}`);
  }
  return [value[0], value[1]];
}

/** Fills defaults and checks every knob once, so a bad experiment config stops with the field named. */
export function validateWorldParams(p: Partial<WorldParams>): WorldParams {
  if (typeof p !== 'object' || p === null || Array.isArray(p)) {
    throw new WorldParamsError(`world params must be an object, got ${show(p)}`);
  }
  for (const key of Object.keys(p)) {
    if (!Object.hasOwn(DEFAULT_WORLD_PARAMS, key)) throw new WorldParamsError(`world.${key} is not a world parameter`);
  }
  const given = Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined));
  const merged: Record<string, unknown> = { ...DEFAULT_WORLD_PARAMS, ...given };

  const width = integerIn('width', merged['width'], 1, MAX_ROOM_SIDE);
  // A room one cell deep has nowhere to hide anything.
  const depth = integerIn('depth', merged['depth'], 2, MAX_ROOM_SIDE);
  const occludersPerRoom = rangeIn('occludersPerRoom', merged['occludersPerRoom'], 0, width, 'one occluder per column');
  const objectsPerRoom = rangeIn(
    'objectsPerRoom',
    merged['objectsPerRoom'],
    0,
    width * depth - occludersPerRoom[1],
    'every object needs its own cell',
  );
  return {
    width,
    depth,
    objectsPerRoom,
    occludersPerRoom,
    hideProbability: probability('hideProbability', merged['hideProbability']),
    labellerNoise: probability('labellerNoise', merged['labellerNoise']),
    maxCitations: integerIn('maxCitations', merged['maxCitations'], 0, Number.POSITIVE_INFINITY),
  };
}
