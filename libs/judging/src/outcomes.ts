import type {
  DebateStatus,
  DisputeStatus,
  JudgeOutcomesView,
  JudgeOutcomeView,
  JudgeRecordPointView,
  JudgeRecordView,
  ProtocolSpec,
} from '#tribunal/contracts';
import { judgeReward } from './analytics.js';
import { answerCredit, calibration, mean } from './calibration.js';

/**
 * What a judge learns from their debates' outcomes, and when.
 *
 * A judge sees a debate's outcome (the answer the process settled on, the truth where known, their
 * reward under the protocol's scoring rule) only once the process is at rest on the debate's item:
 * the debate completed, every debate on the item has ended, and every dispute of the item is settled
 * (labelled, or left unresolved). Until then either a debate on the item is open to the judge, or one
 * may yet be: a running debate's end re-adjudicates the dispute (the label may change), and a dispute
 * still open or to be debated again gets new debates whose judges are not chosen yet, this judge among
 * the candidates. A failed debate settles nothing and has no outcome; a dispute whose debate failed
 * stays open, so its item's outcomes stay withheld until it is debated to a settlement.
 */

/** An item as the rule reads it: every dispute of it and every debate on it, with who judges each. */
export interface ItemState {
  disputes: readonly { id: string; status: DisputeStatus }[];
  debates: readonly { id: string; disputeId: string; status: DebateStatus; judgeIds: readonly string[] }[];
}

const ENDED: readonly DebateStatus[] = ['completed', 'failed'];
const SETTLED: readonly DisputeStatus[] = ['labelled', 'unresolved'];

/** Null when `judgeId` may see the outcome of debate `debateId` on `item`, else why not. */
export function outcomeWithheld(judgeId: string, debateId: string, item: ItemState): string | null {
  const debate = item.debates.find((d) => d.id === debateId);
  if (!debate || !debate.judgeIds.includes(judgeId)) return 'not a debate of this judge';
  if (debate.status === 'failed') return 'the debate failed: it settled nothing';
  if (debate.status !== 'completed') return 'the debate has not ended';
  const running = item.debates.find((d) => !ENDED.includes(d.status));
  if (running) {
    return running.judgeIds.includes(judgeId)
      ? 'another debate on the same item is open to this judge'
      : 'a debate on the same item is still running: its end may change the label';
  }
  const unsettled = item.disputes.find((d) => !SETTLED.includes(d.status));
  if (unsettled) {
    return unsettled.id === debate.disputeId
      ? 'the label is not settled: the dispute is to be debated again'
      : 'a dispute of the same item is still open: this judge may yet be seated in a debate of it';
  }
  return null;
}

/** One of the judge's debates on an item, with their own answers in it. */
export interface JudgedDebate {
  id: string;
  disputeId: string;
  status: DebateStatus;
  /** The users assigned to judge it. */
  judgeIds: readonly string[];
  endedAt: string | null;
  scoring: ProtocolSpec['scoring'];
  /** The judge's probabilities, in the order given; the last is their final answer. */
  verdicts: readonly number[][];
}

/** An item the judge judged: what the outcome shows of it, and the state the rule reads. */
export interface JudgedItem extends ItemState {
  question: string;
  answers: readonly string[];
  /** The item's ground truth, where known. */
  truth: number | null;
  /** With each dispute, the answer of its latest label, if one was kept. */
  disputes: readonly { id: string; status: DisputeStatus; labelAnswer: number | null }[];
  debates: readonly JudgedDebate[];
}

function outcomeOf(item: JudgedItem, debate: JudgedDebate): JudgeOutcomeView {
  const final = debate.verdicts.at(-1)!;
  const continues = debate.verdicts.length - 1;
  const settledAnswer = item.disputes.find((d) => d.id === debate.disputeId)?.labelAnswer ?? null;
  const { truth } = item;
  return {
    debateId: debate.id,
    endedAt: debate.endedAt!,
    question: item.question,
    answers: [...item.answers],
    final: [...final],
    continues,
    settlement: settledAnswer === null ? 'unresolved' : 'labelled',
    settledAnswer,
    truth,
    correct: truth === null ? null : answerCredit(final, truth),
    agreesWithLabel: settledAnswer === null ? null : answerCredit(final, settledAnswer),
    reward: truth === null ? null : judgeReward(final, truth, continues, debate.scoring),
    scoring: { kind: debate.scoring.kind, base: debate.scoring.base, perTurnPenalty: debate.scoring.perTurnPenalty },
  };
}

/**
 * The outcomes `judgeId` may see of the debates they answered on these items, newest first, and how
 * many of their completed debates are withheld for now (`outcomeWithheld`).
 */
export function judgeOutcomes(judgeId: string, items: readonly JudgedItem[]): JudgeOutcomesView {
  const outcomes: JudgeOutcomeView[] = [];
  let withheld = 0;
  for (const item of items) {
    for (const debate of item.debates) {
      if (debate.status !== 'completed' || debate.verdicts.length === 0 || !debate.judgeIds.includes(judgeId)) continue;
      if (outcomeWithheld(judgeId, debate.id, item) === null) outcomes.push(outcomeOf(item, debate));
      else withheld++;
    }
  }
  outcomes.sort((a, b) => b.endedAt.localeCompare(a.endedAt) || a.debateId.localeCompare(b.debateId));
  return { outcomes, withheld };
}

/**
 * A judge's record over the outcomes they may see: accuracy (ties counted by `answerCredit`), mean
 * reward, Brier score and calibration where the truth is known, agreement with the settled labels,
 * and the running accuracy and mean reward in the order the debates ended.
 */
export function judgeRecord({ outcomes, withheld }: JudgeOutcomesView): JudgeRecordView {
  const known = outcomes
    .filter((o): o is JudgeOutcomeView & { truth: number; reward: number; correct: number } => o.truth !== null)
    .sort((a, b) => a.endedAt.localeCompare(b.endedAt) || a.debateId.localeCompare(b.debateId));
  const calibrated = calibration(known.map((o) => ({ probabilities: o.final, truth: o.truth })));
  const timeline: JudgeRecordPointView[] = [];
  let [correct, reward] = [0, 0];
  for (const [i, o] of known.entries()) {
    correct += o.correct;
    reward += o.reward;
    timeline.push({ debateId: o.debateId, endedAt: o.endedAt, judged: i + 1, accuracy: correct / (i + 1), meanReward: reward / (i + 1) });
  }
  return {
    settled: outcomes.length,
    judged: known.length,
    accuracy: calibrated.accuracy,
    meanReward: mean(known.map((o) => o.reward)),
    brier: calibrated.brier,
    ece: calibrated.ece,
    labelAgreement: mean(outcomes.flatMap((o) => (o.agreesWithLabel === null ? [] : [o.agreesWithLabel]))),
    reliability: calibrated.reliability,
    timeline,
    withheld,
  };
}
