/** The mean of several judges' distributions over the same answers. */
export function meanPool(distributions: readonly (readonly number[])[]): number[] {
  if (distributions.length === 0) throw new Error('cannot aggregate zero verdicts');
  const width = distributions[0]!.length;
  const sum = new Array<number>(width).fill(0);
  for (const d of distributions) {
    if (d.length !== width) throw new Error(`verdicts disagree on the number of answers: ${width} vs ${d.length}`);
    d.forEach((p, i) => (sum[i]! += p));
  }
  return sum.map((s) => s / distributions.length);
}

export interface ClearCutOutcome {
  answer: number;
  probability: number;
  clearCut: boolean;
}

/** The "slam dunk" rule: keep a label only when the winning answer's aggregate probability reaches the threshold. */
export function clearCut(distribution: readonly number[], threshold: number): ClearCutOutcome {
  let answer = 0;
  distribution.forEach((p, i) => {
    if (p > distribution[answer]!) answer = i;
  });
  const probability = distribution[answer]!;
  const tied = distribution.filter((p) => p === probability).length > 1;
  return { answer, probability, clearCut: !tied && probability >= threshold };
}
