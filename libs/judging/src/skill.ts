import { PROBABILITY_FLOOR } from './aggregate.js';

export interface ScoredVerdict {
  /** The judge's final probabilities over the answers. */
  probabilities: readonly number[];
  /** The index of the correct answer. */
  truth: number;
}

/** Records of chance-level performance a judge starts with, so a few lucky answers do not make an oracle. */
const PRIOR_RECORDS = 2;

/**
 * A judge's weight for pooling, from their verdicts on items whose answer is known, under the log
 * scoring rule: the geometric mean of the probability they put on the truth, exp(mean ln p(truth)).
 * Two virtual verdicts that put 1/answers on the truth are added before averaging, so
 *
 *   skill = exp((Σ ln max(p_i(truth), floor) + 2 · ln(1/answers)) / (n + 2))
 *
 * which is exactly 1/answers with no record, tends to 1 for a judge who is always certain and right,
 * and falls below 1/answers for a judge who does worse than guessing.
 */
export function judgeSkill(record: readonly ScoredVerdict[], answers: number): number {
  if (!Number.isInteger(answers) || answers < 2) throw new Error(`answers must be an integer of at least 2, got ${answers}`);
  let logs = PRIOR_RECORDS * Math.log(1 / answers);
  record.forEach(({ probabilities, truth }, i) => {
    if (probabilities.length !== answers) {
      throw new Error(`record[${i}] has ${probabilities.length} probabilities, expected ${answers}`);
    }
    if (!Number.isInteger(truth) || truth < 0 || truth >= answers) {
      throw new Error(`record[${i}].truth must be an answer index in 0..${answers - 1}, got ${truth}`);
    }
    logs += Math.log(Math.max(probabilities[truth]!, PROBABILITY_FLOOR));
  });
  return Math.exp(logs / (record.length + PRIOR_RECORDS));
}

/**
 * How many bits the debate moved the judge towards the truth: log2(last / first) of the probability
 * the judge put on the correct answer across their successive answers. Positive means the debate
 * helped, negative that it misled. Probabilities are floored so a judge who starts or ends at 0 gives
 * a large but finite value. Null when there is no second answer to compare with.
 */
export function informationGain(probabilityOnTruth: readonly number[]): number | null {
  probabilityOnTruth.forEach((p, i) => {
    if (!Number.isFinite(p) || p < 0 || p > 1) throw new Error(`probabilityOnTruth[${i}] must be between 0 and 1, got ${p}`);
  });
  if (probabilityOnTruth.length < 2) return null;
  const first = Math.max(probabilityOnTruth[0]!, PROBABILITY_FLOOR);
  const last = Math.max(probabilityOnTruth[probabilityOnTruth.length - 1]!, PROBABILITY_FLOOR);
  return Math.log2(last / first);
}
