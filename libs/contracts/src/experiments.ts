/**
 * What the headline experiment (`tribunal experiment`) writes to `results.json` and keeps in a
 * Tribunal (`POST /experiments`), shared by the CLI that writes it and the web app that shows it.
 * docs/experiments.md describes the design and each field.
 */

export const EXPERIMENT_KINDS = ['direct', 'consultancy', 'debate'] as const;
export type ExperimentKind = (typeof EXPERIMENT_KINDS)[number];

/** A training regime: the two-head objective's settings over the experiment's own, and how many complex labels it may use. */
export interface Regime {
  name: string;
  settings: Record<string, unknown>;
  /** Train every method on a seeded sample of this many complex labels; null for all. */
  complexLabels: number | null;
}

/**
 * The headline experiment, as data. For each world and each seed, the loop runs in rounds on a
 * training world: a random audit first, then disputes the model chooses, every debate judged by
 * simulated judges, the whole spending at most `budget` of the training split; the labels then train
 * the two-head model beside single-head baselines, each evaluated on the held-out rooms. A
 * comparison world per world is judged in full under direct, consultancy and debate.
 */
export interface ExperimentConfig {
  name: string;
  /** One training world per seed and world; results are pooled over seeds. */
  seeds: number[];
  /** Named built-in world parameters; the first is the default world, the others its variants. */
  worlds: { name: string; params: Record<string, unknown> }[];
  comparison: { rooms: number };
  training: {
    rooms: number;
    /** Rooms never trained on nor disputed: the evaluation set. */
    heldOutFraction: number;
    /** The most of the training split ever adjudicated, over every round. */
    budget: number;
    /** Rounds of the loop: the first is a random audit, each later one disputes the model chooses. */
    rounds: number;
    /** The share of the budget the first (audit) round spends. */
    firstRound: number;
    /** In the model's rounds, the chance that an item the model does not flag is drawn for audit anyway. */
    audit: number;
    architecture: Record<string, unknown>;
    settings: Record<string, unknown>;
    methods: string[];
    /** Settings of the two-head objective to compare; every regime trains on the same labels. */
    regimes: Regime[];
  };
  /** Per kind, a preset and changes to it (e.g. `debaters` naming an OpenAI-compatible endpoint). */
  protocols: Record<ExperimentKind, { preset: string; changes: Record<string, unknown> }>;
  /** Simulated judges per debate. */
  judges: number;
  /** Debates in flight per campaign. */
  concurrency: number;
}

export interface ProtocolOutcome {
  kind: ExperimentKind;
  protocol: string;
  debates: number;
  failed: number;
  judge: {
    accuracy: number | null;
    /** Debates whose judge's final answer was right, out of the debates judged, for an interval. */
    correct: number;
    judged: number;
    ece: number | null;
    brier: number | null;
    reliability: { meanConfidence: number; accuracy: number; count: number }[];
  };
  labels: { count: number; accuracy: number | null; adjudicated: number };
}

export interface ComparisonResult {
  world: string;
  rooms: number;
  simpleLabelAccuracy: number | null;
  protocols: ProtocolOutcome[];
}

/** What `results.json` holds; its schema is described in docs/experiments.md. */
export interface ExperimentResult {
  schemaVersion: 2;
  config: ExperimentConfig;
  /** One per world: its rooms judged under every protocol. */
  comparisons: ComparisonResult[];
  /** One per world and seed: the loop's rounds, its labels and every method's accuracy. */
  runs: RunResult[];
  /** Per world, the runs pooled over seeds. */
  worlds: WorldSummary[];
  seconds: number;
}

/** A method's score on a set of held-out rooms. */
export interface Score {
  items: number;
  /** Null when the method could not be trained (an oracle without ground truth, say). */
  correct: number | null;
  accuracy: number | null;
  /** Wilson 95% interval. */
  interval: [number, number] | null;
}

/** One method's result as a model version's evaluation reports it. */
export interface MethodResult {
  heldOut: Score;
  simpleWrong: Score;
  /** Performance gap recovered on the simple-wrong rooms: (method − naive) / (oracle − naive). */
  pgr: number | null;
}

export interface RoundResult {
  round: number;
  /** `audit`: a random sample before any model; `model`: what the model chose (with a small audit). */
  source: 'audit' | 'model';
  disputes: number;
  onHeldOut: number;
  /** Cumulative fraction of the training split adjudicated after this round. */
  adjudicated: number;
  labels: number;
  labelAccuracy: number | null;
}

export interface RunResult {
  world: string;
  seed: number;
  datasetId: string;
  rooms: number;
  trainingRooms: number;
  heldOutRooms: number;
  heldOutSimpleWrong: number;
  simpleLabelAccuracy: number | null;
  rounds: RoundResult[];
  training: LabelTally & {
    /** Fraction of the training split's rooms adjudicated (debated), over every round. */
    adjudicated: number;
    overturned: number;
  };
  regimes: {
    name: string;
    settings: Record<string, unknown>;
    complexLabels: number | null;
    modelVersionId: string;
    methods: Record<string, MethodResult>;
  }[];
}

/** The labels a loop kept, and how many of them are wrong. */
export interface LabelTally {
  disputesOnHeldOut: number;
  labels: number;
  /** Labels kept that match the ground truth. */
  labelAccuracy: number | null;
  small: number;
  smallWrong: number;
  /** Small-set labels (agreeing with the simple label) that are wrong, as a fraction of the small set. */
  contamination: number | null;
}

export interface Verdict {
  /** The best single-head method on the simple-wrong rooms. */
  best: string;
  /** Two-head minus the best single head, with a 95% interval (normal approximation, unpaired). */
  difference: number;
  interval: [number, number];
  says: 'beats' | 'loses to' | 'cannot be told apart from';
}

export interface WorldSummary {
  world: string;
  seeds: number[];
  heldOutRooms: number;
  heldOutSimpleWrong: number;
  training: LabelTally & { adjudicated: { mean: number; max: number } };
  rounds: { round: number; source: string; adjudicated: number; labels: number; labelAccuracy: number | null }[];
  regimes: { name: string; methods: Record<string, MethodResult>; verdict: Verdict | null }[];
}

/** The order methods are listed in: the baseline to beat, the single heads, the objective and its ablations, the ceiling. */
export const METHOD_ORDER = ['naive', 'complex-only', 'mixture', 'two-head', 'two-head-lambda0', 'two-head-mu0', 'oracle'];
const METHOD_LABELS: Record<string, string> = {
  naive: 'naive (simple labels)',
  'complex-only': 'complex-only',
  mixture: 'mixture',
  'two-head': 'two-head (intended)',
  'two-head-lambda0': 'two-head, λ = 0',
  'two-head-mu0': 'two-head, μ = 0',
  oracle: 'oracle (ground truth)',
};
export const methodLabel = (name: string) => METHOD_LABELS[name] ?? name;
const signed = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(3)}`;

/** Whether the two-head objective earns its place, in words: "the two-head model beats the best single head (…) …". */
export function verdictText(verdict: Verdict): string {
  return (
    `the two-head model ${verdict.says} the best single head (${methodLabel(verdict.best)}) where the simple ` +
    `label is wrong: difference ${signed(verdict.difference)}, 95% interval [${signed(verdict.interval[0])}, ${signed(verdict.interval[1])}].`
  );
}
