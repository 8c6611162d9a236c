/**
 * Kept experiments as the web app reads them. `tribunal experiment` writes `results.json` in the shape
 * of apps/cli/src/experiment/runner.ts (`ExperimentResult`, schemaVersion 2); the types here are the
 * part of it the Experiments page shows, declared again so the web app does not build the CLI. Results
 * kept before the schema had a version (`results.comparison`, `results.model`) are `LegacyResults`.
 */

/** A method's score on a set of held-out rooms, with its Wilson 95% interval. */
export interface Score {
  items: number;
  correct: number;
  accuracy: number | null;
  interval: [number, number] | null;
}

export interface MethodResult {
  heldOut: Score;
  simpleWrong: Score;
  /** Performance gap recovered on the simple-wrong rooms: (method − naive) / (oracle − naive). */
  pgr: number | null;
}

export interface Verdict {
  best: string;
  difference: number;
  interval: [number, number];
  says: 'beats' | 'loses to' | 'cannot be told apart from';
}

export interface ProtocolOutcome {
  kind: string;
  protocol?: string;
  debates: number;
  failed: number;
  judge: { accuracy: number | null; correct: number; judged: number; ece: number | null; brier?: number | null };
  labels: { count: number; accuracy: number | null; adjudicated?: number };
}

export interface ComparisonResult {
  world: string;
  rooms: number;
  simpleLabelAccuracy: number | null;
  protocols: ProtocolOutcome[];
}

export interface RunResult {
  world: string;
  seed: number;
  rooms: number;
  trainingRooms: number;
  heldOutRooms: number;
  heldOutSimpleWrong: number;
  simpleLabelAccuracy: number | null;
  training: {
    adjudicated: number;
    disputesOnHeldOut: number;
    labels: number;
    labelAccuracy: number | null;
    small: number;
    smallWrong: number;
    contamination: number | null;
  };
  regimes: { name: string; methods: Record<string, MethodResult> }[];
}

export interface WorldSummary {
  world: string;
  seeds: number[];
  heldOutRooms: number;
  heldOutSimpleWrong: number;
  training: {
    adjudicated: { mean: number; max: number };
    disputesOnHeldOut: number;
    labels: number;
    labelAccuracy: number | null;
    small: number;
    smallWrong: number;
    contamination: number | null;
  };
  rounds: { round: number; source: string; adjudicated: number; labels: number; labelAccuracy: number | null }[];
  regimes: { name: string; methods: Record<string, MethodResult>; verdict: Verdict | null }[];
}

export interface ExperimentConfig {
  name?: string;
  seeds?: number[];
  worlds?: { name: string; params: Record<string, unknown> }[];
  comparison?: { rooms: number };
  training?: {
    rooms?: number;
    heldOutFraction?: number;
    budget?: number;
    rounds?: number;
    settings?: Record<string, unknown>;
    regimes?: { name: string; settings: Record<string, unknown> }[];
  };
}

export interface ExperimentResult {
  schemaVersion: 2;
  config?: ExperimentConfig;
  comparisons: ComparisonResult[];
  runs: RunResult[];
  worlds: WorldSummary[];
  seconds?: number;
}

/** What the page showed before results had a schema version. */
export interface LegacyResults {
  comparison?: { protocols?: { kind: string; judge?: { accuracy: number | null }; labels?: { accuracy: number | null } }[] };
  model?: { evaluation?: { simpleWrong?: Record<string, { accuracy: number | null } | null | number> & { items?: number } } };
}

export interface Experiment {
  id: string;
  name: string;
  summary: string;
  createdAt: string;
  config: ExperimentConfig | null;
  results: unknown;
}

export function isSchemaV2(results: unknown): results is ExperimentResult {
  const r = results as Partial<ExperimentResult> | null;
  return !!r && r.schemaVersion === 2 && Array.isArray(r.worlds) && Array.isArray(r.comparisons);
}

/** The order methods are listed in: the baseline to beat, the single heads, the objective and its ablations, the ceiling. */
export const METHOD_ORDER = ['naive', 'complex-only', 'mixture', 'two-head', 'lambda-0', 'mu-0', 'oracle'];
const METHOD_LABELS: Record<string, string> = {
  naive: 'naive (simple labels)',
  'complex-only': 'complex-only',
  mixture: 'mixture',
  'two-head': 'two-head (intended)',
  'lambda-0': 'two-head, λ = 0',
  'mu-0': 'two-head, μ = 0',
  oracle: 'oracle (ground truth)',
};
export const methodLabel = (name: string) => METHOD_LABELS[name] ?? name;

/** The methods present, in METHOD_ORDER, then any others the page does not know by name. */
export function orderedMethods(methods: Record<string, MethodResult>): string[] {
  const known = METHOD_ORDER.filter((m) => methods[m]);
  return [...known, ...Object.keys(methods).filter((m) => !METHOD_ORDER.includes(m))];
}

/** Wilson 95% interval of a proportion (as libs/model computes it for the methods). */
export function wilsonInterval(correct: number, n: number, z = 1.96): [number, number] | null {
  if (!(n > 0)) return null;
  const p = correct / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export const num = (v: number | null | undefined, digits = 3) => (v === null || v === undefined ? '—' : v.toFixed(digits));
export const pct = (v: number | null | undefined, digits = 1) => (v === null || v === undefined ? '—' : `${(100 * v).toFixed(digits)}%`);
export const intervalText = (i: [number, number] | null | undefined) => (i ? `[${i[0].toFixed(2)}, ${i[1].toFixed(2)}]` : '');
const signed = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(3)}`;

/** One sentence on whether the two-head objective earns its place, worded as the CLI's table words it. */
export function verdictSentence(verdict: Verdict | null): string {
  if (!verdict) return 'No comparison (a method is missing).';
  return (
    `The two-head model ${verdict.says} the best single head (${methodLabel(verdict.best)}) where the simple label is wrong: ` +
    `difference ${signed(verdict.difference)}, 95% interval [${signed(verdict.interval[0])}, ${signed(verdict.interval[1])}].`
  );
}

/** A regime's λ and μ: the experiment's settings overridden by the regime's. */
export function regimeSettings(config: ExperimentConfig | undefined | null, name: string): string | null {
  const training = config?.training;
  if (!training) return null;
  const settings = { ...training.settings, ...training.regimes?.find((r) => r.name === name)?.settings };
  return `λ = ${String(settings['lambda'] ?? 1)}, μ = ${String(settings['mu'] ?? 0)}`;
}
