/** Tolerance on the sum of a probability vector, for rounding in browsers' sliders. */
const SUM_TOLERANCE = 1e-6;

/** Returns a problem with a judge's probabilities, or undefined when they are a distribution over the answers. */
export function probabilityProblem(probabilities: unknown, answers: number): string | undefined {
  if (!Array.isArray(probabilities)) return 'probabilities must be an array of numbers';
  if (probabilities.length !== answers) {
    return `probabilities must have one entry per answer (${answers}), got ${probabilities.length}`;
  }
  for (const [i, p] of probabilities.entries()) {
    if (typeof p !== 'number' || !Number.isFinite(p) || p < 0 || p > 1) {
      return `probabilities[${i}] must be a number between 0 and 1, got ${JSON.stringify(p)}`;
    }
  }
  const sum = (probabilities as number[]).reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > SUM_TOLERANCE) return `probabilities must sum to 1, got ${sum}`;
  return undefined;
}
