import { krippendorffAlpha } from './agreement.js';
import { argmax, calibration, mean, type ReliabilityBin } from './calibration.js';
import { informationGain } from './skill.js';

/** One judge's last answer in a finished debate, with what is known about the truth. */
export interface JudgedOutcome {
  protocolId: string;
  /** The debate judged: judges of one debate are compared for agreement. */
  debateId?: string;
  /** The judge's first answer (a prior, where the protocol asks for one). */
  initial?: number[];
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

export interface ProtocolStats {
  debates: number;
  failed: number;
  /** Final verdicts on items whose truth is known. */
  judged: number;
  /** Share of those verdicts on the truth; a tie counts in part (0.5/0.5 is half right, see `answerCredit`). */
  accuracy: number | null;
  brier: number | null;
  /**
   * Expected calibration error: over ten equal-width bins of the chosen answer's probability
   * ([0, 0.1), …, [0.9, 1]), the mean over judgements of |accuracy − mean confidence| of their bin.
   */
  ece: number | null;
  /** Mean judge reward under the protocol's scoring rule. */
  meanReward: number | null;
  /** Speeches per debater, over completed debates. */
  meanSpeechRounds: number | null;
  /**
   * Judge continues: the answers a judge gave before their final one, averaged over every judge's final
   * answer (the NYU 2023 paper's "rounds"; each costs the per-turn penalty).
   */
  meanContinues: number | null;
  medianSecondsToVerdict: number | null;
  /** Mean log2 of final over first probability on the truth, for judges who answered more than once. */
  meanInformationGain: number | null;
  /** Nominal Krippendorff's alpha over the judges' final choices, for debates with several judges. */
  agreement: number | null;
  reliability: ReliabilityBin[];
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
 * truth is known (a tie with the truth counts in part; reliability in ten equal bins of the chosen
 * answer's probability), Brier score, mean reward under the scoring rule, speeches per debater, judge
 * continues, and median time to verdict.
 */
export function protocolStats(
  debates: readonly DebateFacts[],
  outcomes: readonly JudgedOutcome[],
  scoring: { base: number; perTurnPenalty: number },
): ProtocolStats {
  const known = outcomes.filter((o): o is JudgedOutcome & { truth: number } => o.truth !== null);
  const calibrated = calibration(known.map((o) => ({ probabilities: o.final, truth: o.truth })));
  const completed = debates.filter((d) => d.status === 'completed');
  return {
    debates: debates.length,
    failed: debates.length - completed.length,
    judged: known.length,
    accuracy: calibrated.accuracy,
    brier: calibrated.brier,
    ece: calibrated.ece,
    meanReward: mean(known.map((o) => judgeReward(o.final, o.truth, o.continues, scoring))),
    meanSpeechRounds: mean(completed.map((d) => d.speechRounds)),
    meanContinues: mean(outcomes.map((o) => o.continues)),
    medianSecondsToVerdict: median(completed.flatMap((d) => (d.seconds === null ? [] : [d.seconds]))),
    meanInformationGain: mean(
      known.flatMap((o) => {
        const gain = o.initial ? informationGain([o.initial[o.truth] ?? 0, o.final[o.truth] ?? 0]) : null;
        return gain === null ? [] : [gain];
      }),
    ),
    agreement: agreementOf(outcomes),
    reliability: calibrated.reliability,
  };
}

/** Judges of the same debate as coders of one unit; their final choices as nominal values. */
function agreementOf(outcomes: readonly JudgedOutcome[]): number | null {
  const units = new Map<string, number[]>();
  let width = 0;
  for (const o of outcomes) {
    if (!o.debateId) continue;
    width = Math.max(width, o.final.length);
    units.set(o.debateId, [...(units.get(o.debateId) ?? []), argmax(o.final)]);
  }
  const shared = [...units.values()].filter((choices) => choices.length > 1);
  return shared.length && width ? krippendorffAlpha(shared, width) : null;
}
