import type { ReliabilityBinView } from './api.js';

/**
 * What a judge learns of their own debates once the process has settled them (the rule:
 * `outcomeWithheld` in libs/judging): the answer settled on, the truth where known, and their
 * reward under the protocol's scoring rule. Browser-safe: types only.
 */

/** One of the judge's debates, settled: shown only to that judge, and only once nothing on its item is open to them. */
export interface JudgeOutcomeView {
  debateId: string;
  /** When the debate ended. */
  endedAt: string;
  question: string;
  answers: string[];
  /** The judge's last probabilities over the answers. */
  final: number[];
  /** Judge rounds the judge answered before the final one (each costs the scoring rule's per-turn penalty). */
  continues: number;
  /** `labelled`: the process kept a label (`settledAnswer`); `unresolved`: it was not clear-cut, and no label was kept. */
  settlement: 'labelled' | 'unresolved';
  /** The answer of the item's label (the latest, where its dispute was debated again), or null when none was kept. */
  settledAnswer: number | null;
  /** The correct answer, where the item's ground truth is known. */
  truth: number | null;
  /**
   * How right the final answer was, where the truth is known: 1 when the truth alone has the highest
   * probability, 1/k when it is one of k answers tied for the highest (0.5 for 0.5/0.5), else 0.
   */
  correct: number | null;
  /** The same, against the settled answer, where a label was kept. */
  agreesWithLabel: number | null;
  /** The reward under the protocol's scoring rule (log of the probability on the truth, minus the penalty per round continued), where the truth is known. */
  reward: number | null;
  scoring: { kind: 'log'; base: number; perTurnPenalty: number };
}

/** A point of the judge's record over time: the running figures after each settled debate whose truth is known. */
export interface JudgeRecordPointView {
  debateId: string;
  endedAt: string;
  /** Settled debates with a known truth up to this one. */
  judged: number;
  accuracy: number;
  meanReward: number;
}

/** A judge's own record, over the debates whose outcome they may see. */
export interface JudgeRecordView {
  /** Settled debates shown to the judge. */
  settled: number;
  /** Of those, the debates whose truth is known: the ones accuracy, reward and calibration are taken over. */
  judged: number;
  /** Mean of `correct` (a tie counts as the share of it that is right: 0.5/0.5 is half right). */
  accuracy: number | null;
  meanReward: number | null;
  brier: number | null;
  /** Expected calibration error over ten equal-width bins of the chosen answer's probability. */
  ece: number | null;
  /** Mean of `agreesWithLabel`, over the debates where a label was kept. */
  labelAgreement: number | null;
  reliability: ReliabilityBinView[];
  /** Running accuracy and mean reward, in the order the debates ended. */
  timeline: JudgeRecordPointView[];
  /** The judge's ended debates whose outcome is withheld for now: their item is not settled, or may yet be debated with them. */
  withheld: number;
}

/** The judge's settled debates, newest first, and how many more are withheld for now. */
export interface JudgeOutcomesView {
  outcomes: JudgeOutcomeView[];
  withheld: number;
}
