/**
 * One benchmark figure beside its reference, as a suite report reads it: `--json` prints one of these
 * a line. `figure` and `referenceFigure` are the medians over the rounds (`range` the fastest and
 * slowest round of the figure); `ratio` is figure / referenceFigure, oriented so that above 1 means
 * the platform is faster; `goal` is what the issue asks of the ratio, and `met` whether it holds
 * (null where there is no goal).
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
  options: { reference?: { name: string; rounds: readonly number[] }; atLeast?: number; detail?: Record<string, unknown> } = {},
): Figure {
  const value = median(rounds);
  const referenceFigure = options.reference ? median(options.reference.rounds) : null;
  const ratio = referenceFigure ? value / referenceFigure : null;
  return {
    benchmark,
    name,
    figure: value,
    unit,
    range: rounds.length > 1 ? [Math.min(...rounds), Math.max(...rounds)] : null,
    reference: options.reference?.name ?? null,
    referenceFigure,
    ratio,
    goal: options.atLeast === undefined ? null : `≥ ${options.atLeast}`,
    met: options.atLeast === undefined || ratio === null ? null : ratio >= options.atLeast,
    ...(options.detail ? { detail: options.detail } : {}),
  };
}
