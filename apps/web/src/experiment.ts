import {
  METHOD_ORDER,
  verdictText,
  type ComparisonResult,
  type ExperimentConfig as FullConfig,
  type MethodResult,
  type ProtocolOutcome,
  type RunResult,
  type Score,
  type Verdict,
  type WorldSummary,
} from '../../../libs/contracts/src/experiments.js';
import { wilsonInterval } from '../../../libs/judging/src/calibration.js';

export { METHOD_ORDER, methodLabel } from '../../../libs/contracts/src/experiments.js';
export { wilsonInterval };

/**
 * Kept experiments as the web app reads them: `results.json` of `tribunal experiment` (schemaVersion
 * 2, libs/contracts/src/experiments.ts). Results kept before the schema had a version
 * (`results.comparison`, `results.model`) are `LegacyResults`.
 */

export type { ComparisonResult, MethodResult, ProtocolOutcome, RunResult, Score, Verdict, WorldSummary };

/** Results as kept: every field may be missing from what an older or a hand-made experiment stored. */
export type ExperimentConfig = Partial<Omit<FullConfig, 'training'>> & { training?: Partial<FullConfig['training']> };

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

/** The methods present, in METHOD_ORDER, then any others the page does not know by name. */
export function orderedMethods(methods: Record<string, MethodResult>): string[] {
  const known = METHOD_ORDER.filter((m) => methods[m]);
  return [...known, ...Object.keys(methods).filter((m) => !METHOD_ORDER.includes(m))];
}

export const num = (v: number | null | undefined, digits = 3) => (v === null || v === undefined ? '—' : v.toFixed(digits));
export const pct = (v: number | null | undefined, digits = 1) => (v === null || v === undefined ? '—' : `${(100 * v).toFixed(digits)}%`);
export const intervalText = (i: [number, number] | null | undefined) => (i ? `[${i[0].toFixed(2)}, ${i[1].toFixed(2)}]` : '');
/** One sentence on whether the two-head objective earns its place, worded as the CLI's table words it. */
export function verdictSentence(verdict: Verdict | null): string {
  if (!verdict) return 'No comparison (a method is missing).';
  const text = verdictText(verdict);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A regime's λ and μ (the experiment's settings overridden by the regime's), and its complex labels. */
export function regimeSettings(config: ExperimentConfig | undefined | null, name: string): string | null {
  const training = config?.training;
  if (!training) return null;
  const regime = training.regimes?.find((r) => r.name === name);
  const settings = { ...training.settings, ...regime?.settings };
  const labels = regime?.complexLabels ? `, ${regime.complexLabels} complex labels per run` : '';
  return `λ = ${String(settings['lambda'] ?? 1)}, μ = ${String(settings['mu'] ?? 0)}${labels}`;
}
