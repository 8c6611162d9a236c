/** A probability forecast over the answers, with the answer that turned out right. */
export interface Forecast {
  probabilities: readonly number[];
  truth: number;
}

export interface ReliabilityBin {
  /** Confidence range [from, to) of the chosen answer. */
  from: number;
  to: number;
  count: number;
  meanConfidence: number;
  accuracy: number;
}

export interface Calibration {
  count: number;
  accuracy: number | null;
  /** Mean over forecasts of the squared distance between the probabilities and the one-hot truth. */
  brier: number | null;
  /** Mean negative natural log of the probability on the truth (floored at 1e-9). */
  logLoss: number | null;
  /**
   * Expected calibration error: over ten equal-width bins of the chosen answer's probability
   * ([0, 0.1), …, [0.9, 1]), the mean over forecasts of |accuracy − mean confidence| of their bin.
   */
  ece: number | null;
  reliability: ReliabilityBin[];
}

const BINS = 10;

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if ((values[i] as number) > (values[best] as number)) best = i;
  return best;
}

/** Probabilities this close count as equal (a browser's sliders may leave a tie off by rounding), as in their sum's check. */
const TIE_TOLERANCE = 1e-6;

/**
 * How right a final answer is: 1 when the truth alone has the highest probability, 0 when another
 * answer has it, and 1/k when the truth ties with k − 1 others for it, so a 0.5/0.5 verdict counts
 * as half right (as the NYU 2023 debate paper counts ties): what a judge forced to choose among
 * the tied answers at random would score on average.
 */
export function answerCredit(probabilities: ArrayLike<number>, truth: number): number {
  const values = Array.from(probabilities);
  const top = Math.max(...values);
  const tied = (p: number | undefined) => p !== undefined && top - p <= TIE_TOLERANCE;
  return tied(values[truth]) ? 1 / values.filter(tied).length : 0;
}

export function mean(values: readonly number[]): number | null {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

/**
 * Accuracy and calibration of a set of forecasts: the chosen answer is the most probable one, and a
 * forecast that ties the truth with other answers for the top counts in part (`answerCredit`).
 */
export function calibration(forecasts: readonly Forecast[]): Calibration {
  const bins = Array.from({ length: BINS }, (_, i) => ({
    from: i / BINS,
    to: (i + 1) / BINS,
    confidence: [] as number[],
    correct: [] as number[],
  }));
  for (const f of forecasts) {
    const choice = argmax(f.probabilities);
    const confidence = f.probabilities[choice] as number;
    const bin = bins[Math.min(BINS - 1, Math.floor(confidence * BINS))]!;
    bin.confidence.push(confidence);
    bin.correct.push(answerCredit(f.probabilities, f.truth));
  }
  const n = forecasts.length;
  return {
    count: n,
    accuracy: mean(forecasts.map((f) => answerCredit(f.probabilities, f.truth))),
    brier: mean(forecasts.map((f) => f.probabilities.reduce((sum, p, i) => sum + (p - (i === f.truth ? 1 : 0)) ** 2, 0))),
    logLoss: mean(forecasts.map((f) => -Math.log(Math.max(f.probabilities[f.truth] ?? 0, 1e-9)))),
    ece: n
      ? bins.reduce(
          (sum, b) => sum + (b.confidence.length ? b.confidence.length * Math.abs(mean(b.correct)! - mean(b.confidence)!) : 0),
          0,
        ) / n
      : null,
    reliability: bins
      .filter((b) => b.confidence.length > 0)
      .map((b) => ({
        from: b.from,
        to: b.to,
        count: b.confidence.length,
        meanConfidence: mean(b.confidence)!,
        accuracy: mean(b.correct)!,
      })),
  };
}

/**
 * The Wilson score interval of a binomial proportion: `correct` successes in `n` trials, at `z`
 * standard deviations (1.96: 95%). Null when n is 0.
 */
export function wilsonInterval(correct: number, n: number, z = 1.96): [number, number] | null {
  if (n <= 0) return null;
  const p = correct / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
