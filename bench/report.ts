/**
 * One benchmark figure beside its reference, as a suite report reads it: `--json` prints one of these
 * a line. `figure` and `referenceFigure` are the medians over the rounds (`range` the lowest and
 * highest round of the figure). `ratio` is the median over the rounds of figure / reference within
 * each round (the two ran moments apart, so a burst of load from elsewhere touches both), oriented
 * so that above 1 means the platform is faster; it is near figure / referenceFigure when the load
 * is steady. `goal` is what the issue asks of the ratio, and `met` whether it holds (null where
 * there is no goal).
 */
export interface Figure {
  benchmark: string;
  name: string;
  figure: number;
  unit: string;
  range: [number, number] | null;
  reference: string | null;
  referenceFigure: number | null;
  ratio: number | null;
  goal: string | null;
  met: boolean | null;
  /**
   * Where the goal is not met: the measured floor that stops it, in a few words, with where its
   * profile is written down (a hand-kept section of bench/RESULTS.md). The report prints it beside
   * the goal.
   */
  floor?: string;
  /** Anything else a reader needs to judge the figure (shapes, kernels, threads). */
  detail?: Record<string, unknown>;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function figure(
  benchmark: string,
  name: string,
  rounds: readonly number[],
  unit: string,
  options: {
    reference?: { name: string; rounds: readonly number[] };
    atLeast?: number;
    /** Printed when the goal is not met: see `Figure.floor`. */
    floor?: string;
    detail?: Record<string, unknown>;
  } = {},
): Figure {
  const value = median(rounds);
  const reference = options.reference;
  if (reference && reference.rounds.length !== rounds.length)
    throw new Error(`${name}: the reference ran ${reference.rounds.length} rounds, the figure ${rounds.length}`);
  const referenceFigure = reference ? median(reference.rounds) : null;
  const ratio = reference ? median(rounds.map((value, i) => value / reference.rounds[i]!)) : null;
  const met = options.atLeast === undefined || ratio === null ? null : ratio >= options.atLeast;
  return {
    benchmark,
    name,
    figure: value,
    unit,
    range: rounds.length > 1 ? [Math.min(...rounds), Math.max(...rounds)] : null,
    reference: reference?.name ?? null,
    referenceFigure,
    ratio,
    goal: options.atLeast === undefined ? null : `≥ ${options.atLeast}`,
    met,
    ...(met === false && options.floor ? { floor: options.floor } : {}),
    ...(options.detail ? { detail: options.detail } : {}),
  };
}
