export type Rng = () => number;

const TWO_POW_32 = 4294967296;

/** Folds any safe integer (including Date.now()-sized ones) into 32 bits without dropping the high part. */
function foldSeed(seed: number): number {
  const whole = Math.trunc(seed);
  const low = whole >>> 0;
  const high = Math.floor(whole / TWO_POW_32) >>> 0;
  return (low ^ Math.imul(high, 0x9e3779b1)) >>> 0;
}

/** mulberry32: tiny, fast, and good enough for generating rooms; not for anything secret. */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new Error(`world seed must be a finite number, got ${String(seed)}`);
  let state = foldSeed(seed);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / TWO_POW_32;
  };
}

/**
 * A seed for item `index` of a dataset, so each item depends only on (seed, index):
 * a larger dataset begins with the same items as a smaller one.
 */
export function deriveSeed(seed: number, index: number): number {
  let h = (foldSeed(seed) + Math.imul(index + 1, 0x9e3779b9)) >>> 0;
  // murmur3 finaliser, so neighbouring indices give unrelated streams
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Inclusive on both ends. */
export function randomInt(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

export function pickOne<T>(rng: Rng, items: readonly T[]): T {
  if (items.length === 0) throw new Error('cannot pick from an empty list');
  return items[Math.floor(rng() * items.length)] as T;
}

/** Fisher–Yates on a copy. */
export function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}
