import type { DisputeReason } from '#tribunal/contracts';
import { argmax } from '#tribunal/judging';
import { createRng } from '#tribunal/world';
import { createSession, floatTensor, type Device, type InferenceSession } from './runtime.js';

/** A model version loaded for scoring: features in, each head's probabilities out. */
export class Scorer {
  private constructor(
    private readonly session: InferenceSession,
    readonly inputSize: number,
    readonly answers: number,
  ) {}

  static async load(onnx: Uint8Array, shape: { inputSize: number; answers: number }, device: Device): Promise<Scorer> {
    return new Scorer(await createSession(onnx, device), shape.inputSize, shape.answers);
  }

  private scratch = new Float32Array(0);

  /**
   * A buffer for `n` rows of features, reused from batch to batch: onnxruntime reads a buffer it has
   * seen before several times faster than a freshly allocated one.
   */
  input(n: number): Float32Array {
    const size = n * this.inputSize;
    if (this.scratch.length < size) this.scratch = new Float32Array(size);
    return this.scratch.subarray(0, size);
  }

  /** Rows of features (row-major) → each head's probabilities, row-major. */
  async score(x: Float32Array, n: number): Promise<{ intended: Float32Array; instrumental: Float32Array }> {
    if (x.length !== n * this.inputSize) throw new Error(`expected ${n} rows of ${this.inputSize} features, got ${x.length} values`);
    const out = await this.session.run({ features: floatTensor(x, [n, this.inputSize]) });
    return { intended: out.intended!.data as Float32Array, instrumental: out.instrumental!.data as Float32Array };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

/** How disputes are chosen from a model's predictions. */
export interface SelectionRules {
  /** Flag when the intended head prefers another answer to the simple label by at least this much probability. */
  margin: number;
  /** Flag when the heads' total-variation distance ½Σ|p_int − p_ins| is at least this. */
  divergence: number;
  /** Fraction of items drawn at random for audit, whatever the model says. */
  auditFraction: number;
  /** At most this many model-flagged disputes per scoring, strongest first (audits come on top); null for no limit. */
  budget: number | null;
  /**
   * The loop's budget: at most this fraction of the training split's items is ever disputed, across
   * every round and however the disputes were chosen (audits included); null for no limit.
   */
  maxDisputedFraction: number | null;
  seed: number;
}

export const DEFAULT_SELECTION: SelectionRules = {
  margin: 0.2,
  divergence: 0.3,
  auditFraction: 0.02,
  budget: null,
  maxDisputedFraction: null,
  seed: 1,
};

/** Disputes still allowed by the loop's budget: null when there is none. */
export function disputesLeft(trainingItems: number, disputed: number, maxDisputedFraction: number | null | undefined): number | null {
  if (maxDisputedFraction === null || maxDisputedFraction === undefined) return null;
  return Math.max(0, Math.floor(maxDisputedFraction * trainingItems) - disputed);
}

/**
 * At most `limit` disputes from the flagged ones (strongest first) and the random audit sample,
 * keeping the audit's share of the candidates, so that a tight budget still spends part of itself on
 * items the model has no opinion about (a selection of disagreements alone skews towards what the
 * model already gets right or wrong).
 */
export function withinBudget<T>(flagged: readonly T[], audits: readonly T[], limit: number | null): T[] {
  if (limit === null || flagged.length + audits.length <= limit) return [...flagged, ...audits];
  const auditShare = Math.round((limit * audits.length) / (flagged.length + audits.length));
  const keptFlagged = flagged.slice(0, limit - auditShare);
  return [...keptFlagged, ...audits.slice(0, limit - keptFlagged.length)];
}

export interface ScoredItem {
  itemId: string;
  answers: string[];
  simpleLabel: number | null;
  intended: ArrayLike<number>;
  instrumental: ArrayLike<number>;
}

export function totalVariation(p: ArrayLike<number>, q: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < p.length; i++) sum += Math.abs((p[i] as number) - (q[i] as number));
  return sum / 2;
}

const pct = (p: number) => p.toFixed(2);

/**
 * Disputes from predictions, each with every reason it was chosen: the intended head disagrees with
 * the simple label by a margin, the heads disagree, or a random audit draw. The intended head's
 * answer is the suggested one to argue against the simple label. `items` must be training items
 * only (never held out); `limit` is what the loop's budget still allows.
 */
export function selectDisputes(
  items: readonly ScoredItem[],
  rules: SelectionRules,
  limit: number | null = null,
): { itemId: string; reasons: DisputeReason[] }[] {
  const rng = createRng(rules.seed);
  const flagged: { itemId: string; reasons: DisputeReason[]; strength: number }[] = [];
  const audits: { itemId: string; reasons: DisputeReason[] }[] = [];
  for (const item of items) {
    const draw = rng();
    const reasons: DisputeReason[] = [];
    const top = argmax(item.intended);
    const name = (i: number) => JSON.stringify(item.answers[i] ?? String(i));
    let strength = 0;
    if (item.simpleLabel !== null && top !== item.simpleLabel) {
      const gap = (item.intended[top] as number) - (item.intended[item.simpleLabel] as number);
      if (gap >= rules.margin) {
        strength = Math.max(strength, gap);
        reasons.push({
          kind: 'intended-vs-simple',
          detail: `the intended head puts ${pct(item.intended[top] as number)} on ${name(top)} and ${pct(item.intended[item.simpleLabel] as number)} on the simple label ${name(item.simpleLabel)}`,
          suggestedAnswer: top,
        });
      }
    }
    const divergence = totalVariation(item.intended, item.instrumental);
    if (divergence >= rules.divergence) {
      strength = Math.max(strength, divergence);
      const other = argmax(item.instrumental);
      reasons.push({
        kind: 'heads-disagree',
        detail: `the heads differ by ${pct(divergence)} (total variation): intended favours ${name(top)}, instrumental ${name(other)}`,
        suggestedAnswer: top !== item.simpleLabel ? top : other,
      });
    }
    if (reasons.length > 0) flagged.push({ itemId: item.itemId, reasons, strength });
    else if (draw < rules.auditFraction) audits.push({ itemId: item.itemId, reasons: [{ kind: 'audit', detail: 'random audit sample' }] });
  }
  flagged.sort((a, b) => b.strength - a.strength);
  const kept = rules.budget === null ? flagged : flagged.slice(0, rules.budget);
  return withinBudget(
    kept.map(({ itemId, reasons }) => ({ itemId, reasons })),
    audits,
    limit,
  );
}

export function selectionProblems(rules: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const known = Object.keys(DEFAULT_SELECTION);
  for (const [key, value] of Object.entries(rules)) {
    if (!known.includes(key)) problems.push(`${key} is not a selection rule (known: ${known.join(', ')})`);
    else if (key === 'budget') {
      if (value !== null && !(Number.isInteger(value) && (value as number) >= 0))
        problems.push(`budget must be a whole number or null, got ${JSON.stringify(value)}`);
    } else if (key === 'maxDisputedFraction') {
      if (value !== null && !(typeof value === 'number' && value > 0 && value <= 1))
        problems.push(`maxDisputedFraction must be a number above 0 and at most 1, or null, got ${JSON.stringify(value)}`);
    } else if (key === 'seed') {
      if (!Number.isInteger(value)) problems.push(`seed must be an integer, got ${JSON.stringify(value)}`);
    } else if (typeof value !== 'number' || !(value >= 0 && value <= 1))
      problems.push(`${key} must be a number from 0 to 1, got ${JSON.stringify(value)}`);
  }
  return problems;
}
