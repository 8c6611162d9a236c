/** One judge's last answer in a finished debate, with what is known about the truth. */
export interface JudgedOutcome {
  protocolId: string;
  /** The judge's final probabilities over the answers. */
  final: number[];
  /** The correct answer, where the item's ground truth is known. */
  truth: number | null;
  /** Judge rounds this judge answered before the final one (each costs the per-turn penalty). */
  continues: number;
}

export interface DebateFacts {
  protocolId: string;
  status: 'completed' | 'failed';
  /** Speeches per debater. */
  speechRounds: number;
  /** Seconds from the start of the debate to its end. */
  seconds: number | null;
}

export interface ReliabilityBin {
  /** Confidence range [from, to) of the judges' chosen answer. */
  from: number;
  to: number;
  count: number;
  meanConfidence: number;
  accuracy: number;
}

export interface ProtocolStats {
  debates: number;
  failed: number;
  /** Final verdicts on items whose truth is known. */
  judged: number;
  accuracy: number | null;
  brier: number | null;
  /** Mean judge reward under the protocol's scoring rule. */
  meanReward: number | null;
  meanSpeechRounds: number | null;
  medianSecondsToVerdict: number | null;
  reliability: ReliabilityBin[];
}

const BINS = 10;

function argmax(values: readonly number[]): number {
  return values.reduce((best, v, i) => (v > values[best]! ? i : best), 0);
}

function mean(values: readonly number[]): number | null {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The scoring rule shown to judges: log of the probability on the truth, minus a penalty per round continued. */
export function judgeReward(
  final: readonly number[],
  truth: number,
  continues: number,
  scoring: { base: number; perTurnPenalty: number },
): number {
  const p = Math.max(final[truth] ?? 0, 1e-9);
  return Math.log(p) / Math.log(scoring.base) - scoring.perTurnPenalty * continues;
}

/**
 * How judges fared under one protocol: accuracy and calibration of their final answers where the
 * truth is known (reliability in ten equal bins of the chosen answer's probability), Brier score,
 * mean reward under the scoring rule, speeches per debater, and median time to verdict.
 */
export function protocolStats(
  debates: readonly DebateFacts[],
  outcomes: readonly JudgedOutcome[],
  scoring: { base: number; perTurnPenalty: number },
): ProtocolStats {
  const known = outcomes.filter((o): o is JudgedOutcome & { truth: number } => o.truth !== null);
  const bins = Array.from({ length: BINS }, (_, i) => ({
    from: i / BINS,
    to: (i + 1) / BINS,
    confidence: [] as number[],
    correct: [] as number[],
  }));
  for (const o of known) {
    const choice = argmax(o.final);
    const confidence = o.final[choice]!;
    const bin = bins[Math.min(BINS - 1, Math.floor(confidence * BINS))]!;
    bin.confidence.push(confidence);
    bin.correct.push(choice === o.truth ? 1 : 0);
  }
  const completed = debates.filter((d) => d.status === 'completed');
  return {
    debates: debates.length,
    failed: debates.length - completed.length,
    judged: known.length,
    accuracy: mean(known.map((o) => (argmax(o.final) === o.truth ? 1 : 0))),
    brier: mean(known.map((o) => o.final.reduce((sum, p, i) => sum + (p - (i === o.truth ? 1 : 0)) ** 2, 0))),
    meanReward: mean(known.map((o) => judgeReward(o.final, o.truth, o.continues, scoring))),
    meanSpeechRounds: mean(completed.map((d) => d.speechRounds)),
    medianSecondsToVerdict: median(completed.flatMap((d) => (d.seconds === null ? [] : [d.seconds]))),
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
