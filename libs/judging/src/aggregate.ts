/**
 * Probabilities are raised to this before taking logs, so one judge's zero (a slider dragged to the
 * end) lowers an answer sharply instead of vetoing it outright.
 */
export const PROBABILITY_FLOOR = 1e-6;

/** Throws unless there is at least one verdict and all verdicts have the same width; returns that width. */
function commonWidth(distributions: readonly (readonly number[])[]): number {
  if (distributions.length === 0) throw new Error('cannot aggregate zero verdicts');
  const width = distributions[0]!.length;
  for (const d of distributions) {
    if (d.length !== width) throw new Error(`verdicts disagree on the number of answers: ${width} vs ${d.length}`);
  }
  return width;
}

/** Throws unless there is one finite, non-negative weight per verdict. */
function checkWeights(weights: readonly number[], verdicts: number): void {
  if (weights.length !== verdicts) throw new Error(`expected one weight per verdict (${verdicts}), got ${weights.length}`);
  weights.forEach((w, i) => {
    if (!Number.isFinite(w) || w < 0) throw new Error(`weights[${i}] must be a finite non-negative number, got ${w}`);
  });
}

/** The mean of several judges' distributions over the same answers. */
export function meanPool(distributions: readonly (readonly number[])[]): number[] {
  const width = commonWidth(distributions);
  const sum = new Array<number>(width).fill(0);
  for (const d of distributions) d.forEach((p, i) => (sum[i]! += p));
  return sum.map((s) => s / distributions.length);
}

/**
 * The mean of judges' distributions with each judge counted in proportion to a weight (for example
 * {@link judgeSkill}); weights need not sum to 1.
 */
export function weightedMeanPool(distributions: readonly (readonly number[])[], weights: readonly number[]): number[] {
  const width = commonWidth(distributions);
  checkWeights(weights, distributions.length);
  const total = weights.reduce((a, b) => a + b, 0);
  if (total === 0) throw new Error('weights are all zero: no judge to count');
  const sum = new Array<number>(width).fill(0);
  distributions.forEach((d, j) => d.forEach((p, i) => (sum[i]! += (weights[j]! / total) * p)));
  return sum;
}

/**
 * The logarithmic opinion pool: p(a) ∝ exp(Σ_j w_j ln max(p_j(a), floor)). Unlike the mean it rewards
 * answers that every judge finds plausible, and it treats judges as independent evidence. Weights
 * default to 1/n (the normalised geometric mean) and are used as given otherwise: a total above 1
 * sharpens the pool, below 1 flattens it, and all zero gives the uniform distribution.
 */
export function logPool(distributions: readonly (readonly number[])[], weights?: readonly number[]): number[] {
  const width = commonWidth(distributions);
  if (weights !== undefined) checkWeights(weights, distributions.length);
  const w = weights ?? distributions.map(() => 1 / distributions.length);
  const logs = new Array<number>(width).fill(0);
  distributions.forEach((d, j) => d.forEach((p, i) => (logs[i]! += w[j]! * Math.log(Math.max(p, PROBABILITY_FLOOR)))));
  // Shifting by the largest log keeps exp() from underflowing to 0/0 when many judges are confident.
  const top = Math.max(...logs);
  const unnormalised = logs.map((l) => Math.exp(l - top));
  const total = unnormalised.reduce((a, b) => a + b, 0);
  return unnormalised.map((u) => u / total);
}

export interface ClearCutOutcome {
  answer: number;
  probability: number;
  clearCut: boolean;
  /** Why the outcome is not clear-cut; reported only when options are given, so the two-argument result is unchanged. */
  reason?: string;
}

export interface ClearCutOptions {
  /** The individual judges' distributions behind the aggregate. */
  verdicts?: readonly (readonly number[])[];
  /** Require every verdict's most probable answer to be the aggregate's. */
  unanimous?: boolean;
  /** Require at least this many verdicts. */
  minJudges?: number;
}

/** The index of the largest value, or null when it is shared (no single answer is favoured). */
function uniqueArgmax(values: readonly number[]): number | null {
  let best = 0;
  values.forEach((v, i) => {
    if (v > values[best]!) best = i;
  });
  return values.filter((v) => v === values[best]).length > 1 ? null : best;
}

/** Prints a and b with just enough digits that they read as different (0.62 rather than 0.6200000000000001). */
function formatPair(a: number, b: number): [string, string] {
  for (let digits = 3; digits < 17; digits++) {
    const pa = String(Number(a.toPrecision(digits)));
    const pb = String(Number(b.toPrecision(digits)));
    if (pa !== pb) return [pa, pb];
  }
  return [String(a), String(b)];
}

const judges = (n: number): string => `${n} judge${n === 1 ? '' : 's'}`;

/**
 * The "slam dunk" rule: keep a label only when the winning answer's aggregate probability reaches the
 * threshold. Options add conditions on the judges behind the aggregate; a judge whose own top answer is
 * tied counts as disagreeing, having backed no single answer.
 */
export function clearCut(distribution: readonly number[], threshold: number, options?: ClearCutOptions): ClearCutOutcome {
  let answer = 0;
  distribution.forEach((p, i) => {
    if (p > distribution[answer]!) answer = i;
  });
  const probability = distribution[answer]!;
  const tied = distribution.filter((p) => p === probability).length > 1;
  if (options === undefined) return { answer, probability, clearCut: !tied && probability >= threshold };

  const { verdicts, unanimous = false, minJudges } = options;
  if ((unanimous || minJudges !== undefined) && verdicts === undefined) {
    throw new Error('clearCut needs the verdicts to check unanimity or the number of judges');
  }
  const reasons: string[] = [];
  if (tied) reasons.push('tie');
  if (probability < threshold) reasons.push(formatPair(probability, threshold).join(' < '));
  if (minJudges !== undefined && verdicts!.length < minJudges) reasons.push(`${judges(verdicts!.length)} < ${minJudges} required`);
  if (unanimous && !tied && verdicts!.some((v) => uniqueArgmax(v) !== answer)) reasons.push('judges disagree');
  return reasons.length === 0
    ? { answer, probability, clearCut: true }
    : { answer, probability, clearCut: false, reason: reasons.join('; ') };
}
