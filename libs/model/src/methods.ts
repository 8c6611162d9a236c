import { wilsonInterval } from '#tribunal/judging';
import type { HeldOut, TrainingInput } from './run.js';
import { examples } from './training.js';

export { wilsonInterval };

/**
 * The methods a training job compares on the same labels, seed and schedule (DESIGN.md, "What the
 * headline experiment must be able to say"). `two-head` and `naive` come from the job's own run;
 * the others are asked for by name in the job's `methods`.
 */
export const METHOD_DESCRIPTIONS = {
  naive: 'one head on the simple labels of the training items',
  'two-head': "the two-head model's intended head",
  'complex-only': 'one head on the complex-process labels (the large set)',
  mixture: 'one head on the complex label where one exists, else the simple label',
  'two-head-lambda0': 'the two-head objective with lambda 0 (no consistency term)',
  'two-head-mu0': 'the two-head objective with mu 0 (no simple-label term)',
  oracle: 'one head on the ground truth of every training item whose truth is known',
} as const;

export type MethodName = keyof typeof METHOD_DESCRIPTIONS;

/** Always reported: the job's two-head model and its naive baseline. */
export const MAIN_METHODS = ['two-head', 'naive'] as const satisfies readonly MethodName[];

/** What a job may ask for in `methods`. */
export const OPTIONAL_METHODS = [
  'complex-only',
  'mixture',
  'two-head-lambda0',
  'two-head-mu0',
  'oracle',
] as const satisfies readonly MethodName[];
export type OptionalMethod = (typeof OPTIONAL_METHODS)[number];

/** How one method fared on a set of held-out items: the chosen answer is the most probable. */
export interface MethodScore {
  items: number;
  /** Null when the method is unavailable. */
  correct: number | null;
  accuracy: number | null;
  /** Wilson 95% interval of the accuracy; null when unavailable or there are no items. */
  interval: [number, number] | null;
}

export interface MethodReport {
  /** False when the job's labels cannot train the method; `note` says why, and the scores are empty. */
  available: boolean;
  /** The head whose answers are scored: the intended head of a two-head network, else the only one. */
  head: 'intended' | 'label';
  /** How many labels the scored head was fitted to (null where unknown). */
  labels: number | null;
  /** Wall time of its training steps in the process that finished the job (a resumed main run: since the resume). */
  seconds: number | null;
  note: string | null;
  /** Every held-out item with a reference answer. */
  heldOut: MethodScore;
  /**
   * Held-out items whose simple label is wrong, with the performance gap recovered (Burns et al.
   * 2023): (method − naive) / (oracle − naive) of the accuracy here; null without an oracle or a
   * naive baseline, or when they score the same.
   */
  simpleWrong: MethodScore & { pgr: number | null };
}

/** Held-out rows with a reference answer, and those of them whose simple label is wrong. */
function heldOutRows(heldOut: HeldOut): { all: number[]; simpleWrong: number[] } {
  const all: number[] = [];
  for (let i = 0; i < heldOut.n; i++) if ((heldOut.reference[i] as number) >= 0) all.push(i);
  const simpleWrong = all.filter((i) => (heldOut.simple[i] as number) >= 0 && heldOut.simple[i] !== heldOut.reference[i]);
  return { all, simpleWrong };
}

function score(rows: readonly number[], correct: ((i: number) => boolean) | null): MethodScore {
  if (!correct) return { items: rows.length, correct: null, accuracy: null, interval: null };
  const right = rows.filter(correct).length;
  return {
    items: rows.length,
    correct: right,
    accuracy: rows.length ? right / rows.length : null,
    interval: wilsonInterval(right, rows.length),
  };
}

/**
 * A method's report from its head's probabilities on the held-out items (row-major, K per item);
 * null probabilities: unavailable, for the reason in `note`. The gap recovered is filled in by
 * `withGapRecovered` once every method is known.
 */
export function methodReport(
  heldOut: HeldOut,
  K: number,
  probs: Float32Array | null,
  info: { head: MethodReport['head']; labels?: number | null; seconds?: number | null; note?: string | null },
): MethodReport {
  const rows = heldOutRows(heldOut);
  const correct = probs
    ? (i: number) => {
        let best = 0;
        for (let k = 1; k < K; k++) if ((probs[i * K + k] as number) > (probs[i * K + best] as number)) best = k;
        return best === heldOut.reference[i];
      }
    : null;
  return {
    available: probs !== null,
    head: info.head,
    labels: info.labels ?? null,
    seconds: info.seconds ?? null,
    note: info.note ?? null,
    heldOut: score(rows.all, correct),
    simpleWrong: { ...score(rows.simpleWrong, correct), pgr: null },
  };
}

/** The two methods every run has: the two-head model's intended head and the naive baseline (when there is one). */
export function mainMethods(
  heldOut: HeldOut,
  K: number,
  probs: { intended: Float32Array; baseline: Float32Array | null },
): Record<string, MethodReport> {
  return withGapRecovered({
    'two-head': methodReport(heldOut, K, probs.intended, { head: 'intended' }),
    naive: methodReport(heldOut, K, probs.baseline, {
      head: 'label',
      note: probs.baseline ? null : 'no training item has a simple label to fit a baseline to',
    }),
  });
}

/** The performance gap recovered, (method − naive) / (oracle − naive), where the simple label is wrong. */
export function gapRecovered(method: number | null, naive: number | null, oracle: number | null): number | null {
  if (method === null || naive === null || oracle === null || oracle === naive) return null;
  return (method - naive) / (oracle - naive);
}

/** The reports with each one's gap recovered against this set's naive and oracle methods. */
export function withGapRecovered(methods: Record<string, MethodReport>): Record<string, MethodReport> {
  const naive = methods.naive?.simpleWrong.accuracy ?? null;
  const oracle = methods.oracle?.simpleWrong.accuracy ?? null;
  return Object.fromEntries(
    Object.entries(methods).map(([name, report]) => [
      name,
      { ...report, simpleWrong: { ...report.simpleWrong, pgr: gapRecovered(report.simpleWrong.accuracy, naive, oracle) } },
    ]),
  );
}

/** Item ids with a label each. */
export type LabelledIds = readonly (readonly [string, number])[];

/**
 * The labels each one-head method fits, from a job's snapshot: naive the simple labels,
 * complex-only the large set, mixture every training item's complex label where it has one else its
 * simple label (simple-labelled items in their order, then complex-only ones), oracle the known
 * ground truth of training items (null when the snapshot did not record it).
 */
export function methodLabels(sets: { large: LabelledIds; simple: LabelledIds; truth?: LabelledIds }): {
  naive: [string, number][];
  'complex-only': [string, number][];
  mixture: [string, number][];
  oracle: [string, number][] | null;
} {
  const complex = new Map(sets.large.map(([id, answer]) => [id, answer]));
  const simpleIds = new Set(sets.simple.map(([id]) => id));
  return {
    naive: sets.simple.map(([id, label]) => [id, label]),
    'complex-only': sets.large.map(([id, answer]) => [id, answer]),
    mixture: [
      ...sets.simple.map(([id, label]): [string, number] => [id, complex.get(id) ?? label]),
      ...sets.large.filter(([id]) => !simpleIds.has(id)).map(([id, answer]): [string, number] => [id, answer]),
    ],
    oracle: sets.truth ? sets.truth.map(([id, truth]) => [id, truth]) : null,
  };
}

/** A job's training labels by role, as its snapshot records them. */
export interface LabelSets {
  large: LabelledIds;
  small: readonly string[];
  simple: LabelledIds;
  truth?: LabelledIds;
}

/**
 * Each training set as feature rows: the two-head model's (large, small, simple), and the mixture's
 * and the oracle's when one of `methods` reads them (the oracle's only when the truth is recorded).
 */
export function trainingSets(
  sets: LabelSets,
  features: (id: string) => Float32Array,
  inputSize: number,
  methods: readonly string[] = [],
): Pick<TrainingInput, 'large' | 'small' | 'simple' | 'mixture' | 'truth'> {
  const rows = (set: LabelledIds) =>
    examples(
      set.map(([id]) => features(id)),
      set.map(([, label]) => label),
      inputSize,
    );
  const labels = methodLabels(sets);
  return {
    large: rows(sets.large),
    // The small set's labels are unused.
    small: rows(sets.small.map((id) => [id, 0] as const)),
    simple: rows(sets.simple),
    mixture: methods.includes('mixture') ? rows(labels.mixture) : undefined,
    truth: methods.includes('oracle') && labels.oracle ? rows(labels.oracle) : undefined,
  };
}

/** Problems with a job's `methods`, each naming the field and the known names. */
export function methodsProblems(value: unknown, path = 'methods'): string[] {
  const known = `known: ${OPTIONAL_METHODS.join(', ')}; ${MAIN_METHODS.join(' and ')} are always reported`;
  if (!Array.isArray(value)) return [`${path} must be a list of method names (${known}), got ${JSON.stringify(value)}`];
  const problems: string[] = [];
  const seen = new Set<unknown>();
  value.forEach((name: unknown, i) => {
    if (MAIN_METHODS.includes(name as never))
      problems.push(`${path}[${i}] ${JSON.stringify(name)} is always reported; list only others (${known})`);
    else if (!OPTIONAL_METHODS.includes(name as never)) problems.push(`${path}[${i}] ${JSON.stringify(name)} is not a method (${known})`);
    else if (seen.has(name)) problems.push(`${path}[${i}] ${JSON.stringify(name)} is listed twice`);
    seen.add(name);
  });
  return problems;
}
