export interface MatchResult {
  winner: string;
  loser: string;
}

export interface BradleyTerryOptions {
  /** Upper bound on MM iterations; fitting stops earlier once strengths stop changing. */
  iterations?: number;
}

export interface BootstrapOptions extends BradleyTerryOptions {
  /** Bootstrap resamples of the matches. */
  samples?: number;
  /** Seed of the resampling, so the same call gives the same intervals. */
  seed?: number;
  /** Coverage of each interval, e.g. 0.95. */
  level?: number;
}

export interface StrengthInterval {
  /** The strength fitted on all the matches. */
  strength: number;
  low: number;
  high: number;
}

const DEFAULT_ITERATIONS = 10_000;
/** Largest change in log strength still counted as movement; below it, more iterations only cost time. */
const TOLERANCE = 1e-12;

/** Player names in order of first appearance, so results do not depend on Map hashing. */
function playersOf(matches: readonly MatchResult[]): string[] {
  const seen = new Set<string>();
  matches.forEach(({ winner, loser }, i) => {
    if (winner === loser) throw new Error(`matches[${i}]: ${JSON.stringify(winner)} cannot play against themselves`);
    seen.add(winner).add(loser);
  });
  return [...seen];
}

/**
 * The MM iteration of Hunter (2004), "MM algorithms for generalized Bradley–Terry models":
 * γ_i ← W_i / Σ_j n_ij / (γ_i + γ_j). Each player also gets one win and one loss against a reference
 * player of strength fixed at 1; this keeps an undefeated (or winless) player's strength finite and,
 * because the reference does not move, pins the otherwise arbitrary scale while iterating.
 */
function fit(players: readonly string[], matches: readonly MatchResult[], iterations: number): Map<string, number> {
  const index = new Map(players.map((p, i) => [p, i]));
  const wins = players.map(() => 1);
  const pairs = new Map<string, { i: number; j: number; games: number }>();
  for (const { winner, loser } of matches) {
    const w = index.get(winner)!;
    const l = index.get(loser)!;
    wins[w]! += 1;
    const [i, j] = w < l ? [w, l] : [l, w];
    const key = `${i},${j}`;
    const pair = pairs.get(key) ?? { i, j, games: 0 };
    pair.games += 1;
    pairs.set(key, pair);
  }
  let strengths = players.map(() => 1);
  for (let step = 0; step < iterations; step++) {
    const denominators = strengths.map((g) => 2 / (g + 1));
    for (const { i, j, games } of pairs.values()) {
      const share = games / (strengths[i]! + strengths[j]!);
      denominators[i]! += share;
      denominators[j]! += share;
    }
    const next = wins.map((w, i) => w / denominators[i]!);
    const change = Math.max(0, ...next.map((g, i) => Math.abs(Math.log(g / strengths[i]!))));
    strengths = next;
    if (change < TOLERANCE) break;
  }
  const logMean = strengths.reduce((s, g) => s + Math.log(g), 0) / Math.max(strengths.length, 1);
  return new Map(players.map((p, i) => [p, strengths[i]! / Math.exp(logMean)]));
}

function checkIterations(iterations: number): number {
  if (!Number.isInteger(iterations) || iterations < 1) throw new Error(`iterations must be a positive integer, got ${iterations}`);
  return iterations;
}

/**
 * Bradley–Terry strengths from pairwise wins, where P(i beats j) = γ_i / (γ_i + γ_j), as posterior
 * modes under a one-win-one-loss prior (see {@link fit}), scaled so their geometric mean is 1.
 */
export function bradleyTerry(matches: readonly MatchResult[], options: BradleyTerryOptions = {}): Map<string, number> {
  return fit(playersOf(matches), matches, checkIterations(options.iterations ?? DEFAULT_ITERATIONS));
}

/** mulberry32: small and fast; resampling needs reproducibility, not cryptographic strength. */
function mulberry32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The q-quantile of sorted values, interpolating linearly between order statistics (R's type 7). */
function quantile(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Bradley–Terry strengths with percentile bootstrap intervals: the matches are resampled with
 * replacement `samples` times, strengths refitted each time, and the interval is the central `level`
 * share of the refitted strengths. Every player is fitted in every resample, even one whose matches
 * were all left out (the prior alone then places them), so each interval has `samples` values.
 */
export function bradleyTerryIntervals(matches: readonly MatchResult[], options: BootstrapOptions = {}): Map<string, StrengthInterval> {
  const { samples = 1000, seed = 1, level = 0.95 } = options;
  if (!Number.isInteger(samples) || samples < 1) throw new Error(`samples must be a positive integer, got ${samples}`);
  if (!Number.isSafeInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
  if (!(level > 0 && level < 1)) throw new Error(`level must be strictly between 0 and 1, got ${level}`);
  const iterations = checkIterations(options.iterations ?? DEFAULT_ITERATIONS);
  const players = playersOf(matches);
  const point = fit(players, matches, iterations);
  const draws = new Map(players.map((p) => [p, [] as number[]]));
  const random = mulberry32(seed);
  for (let s = 0; s < samples; s++) {
    const resample = matches.map(() => matches[Math.floor(random() * matches.length)]!);
    for (const [player, strength] of fit(players, resample, iterations)) draws.get(player)!.push(strength);
  }
  return new Map(
    players.map((p) => {
      const sorted = draws.get(p)!.sort((a, b) => a - b);
      return [p, { strength: point.get(p)!, low: quantile(sorted, (1 - level) / 2), high: quantile(sorted, (1 + level) / 2) }];
    }),
  );
}
