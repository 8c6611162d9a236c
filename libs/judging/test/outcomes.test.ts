import { describe, expect, it } from 'vitest';
import { judgeOutcomes, judgeRecord, outcomeWithheld, answerCredit, type JudgedDebate, type JudgedItem } from '../src/index.js';

const SCORING = { kind: 'log', base: 2, perTurnPenalty: 0.05 } as const;
const J = 'judge-j';
const K = 'judge-k';

const debate = (id: string, changes: Partial<JudgedDebate> = {}): JudgedDebate => ({
  id,
  disputeId: 'dispute-1',
  status: 'completed',
  judgeIds: [J],
  endedAt: `2026-01-01T00:00:0${id.at(-1)}Z`,
  scoring: SCORING,
  verdicts: [
    [0.5, 0.5],
    [0.2, 0.8],
  ],
  ...changes,
});

const item = (changes: Partial<JudgedItem> = {}): JudgedItem => ({
  question: 'How many chairs?',
  answers: ['1', '2'],
  truth: 1,
  disputes: [{ id: 'dispute-1', status: 'labelled', labelAnswer: 1 }],
  debates: [debate('d1')],
  ...changes,
});

describe('outcomeWithheld: when a judge may see a debate’s outcome', () => {
  it('shows a completed debate once every debate on the item has ended and every dispute of it is settled', () => {
    expect(outcomeWithheld(J, 'd1', item())).toBeNull();
    const unresolved = item({ disputes: [{ id: 'dispute-1', status: 'unresolved', labelAnswer: null }] });
    expect(outcomeWithheld(J, 'd1', unresolved)).toBeNull();
  });

  it('withholds it while another debate on the same item is open to the judge, whatever its dispute', () => {
    for (const status of ['pending', 'running', 'awaiting_judges', 'judging'] as const) {
      const state = item({ debates: [debate('d1'), debate('d2', { status, disputeId: 'dispute-2', endedAt: null })] });
      expect(outcomeWithheld(J, 'd1', state)).toBe('another debate on the same item is open to this judge');
    }
  });

  it('withholds it while any debate on the item runs, even one judged by others: its end may change the label', () => {
    const state = item({ debates: [debate('d1'), debate('d2', { status: 'running', judgeIds: [K], endedAt: null })] });
    expect(outcomeWithheld(J, 'd1', state)).toMatch(/still running/);
    expect(outcomeWithheld(K, 'd1', state)).toBe('not a debate of this judge');
  });

  it('withholds it while the dispute is to be debated again, or another dispute of the item may yet seat the judge', () => {
    const requeued = item({ disputes: [{ id: 'dispute-1', status: 'debating', labelAnswer: null }] });
    expect(outcomeWithheld(J, 'd1', requeued)).toMatch(/label is not settled/);
    const other = item({
      disputes: [
        { id: 'dispute-1', status: 'labelled', labelAnswer: 1 },
        { id: 'dispute-2', status: 'open', labelAnswer: null },
      ],
    });
    expect(outcomeWithheld(J, 'd1', other)).toMatch(/may yet be seated/);
  });

  it('never shows a debate that has not ended, failed, or is not the judge’s', () => {
    expect(outcomeWithheld(J, 'd1', item({ debates: [debate('d1', { status: 'judging', endedAt: null })] }))).toBe(
      'the debate has not ended',
    );
    expect(outcomeWithheld(J, 'd1', item({ debates: [debate('d1', { status: 'failed' })] }))).toMatch(/failed/);
    expect(outcomeWithheld(K, 'd1', item())).toBe('not a debate of this judge');
    expect(outcomeWithheld(J, 'nowhere', item())).toBe('not a debate of this judge');
  });
});

describe('answerCredit', () => {
  it('counts a tie at the top as the share of it that is right', () => {
    expect(answerCredit([0.2, 0.8], 1)).toBe(1);
    expect(answerCredit([0.2, 0.8], 0)).toBe(0);
    expect(answerCredit([0.5, 0.5], 0)).toBe(0.5);
    expect(answerCredit([0.5, 0.5], 1)).toBe(0.5);
    expect(answerCredit([0.4, 0.4, 0.2], 2)).toBe(0);
    expect(answerCredit([0.25, 0.25, 0.25, 0.25], 3)).toBe(0.25);
    // Rounding in a browser's sliders does not break a tie.
    expect(answerCredit([0.5000000001, 0.4999999999], 1)).toBe(0.5);
    expect(answerCredit([0.501, 0.499], 1)).toBe(0);
  });
});

describe('judgeOutcomes', () => {
  it('reveals the settled answer, the truth and the reward of the judge’s shown debates, and counts the withheld ones', () => {
    const shown = item();
    const waiting = item({
      question: 'How many lamps?',
      debates: [debate('d3'), debate('d4', { status: 'running', endedAt: null, verdicts: [[0.5, 0.5]] })],
    });
    const { outcomes, withheld } = judgeOutcomes(J, [shown, waiting]);
    expect(withheld).toBe(1);
    expect(outcomes).toEqual([
      {
        debateId: 'd1',
        endedAt: '2026-01-01T00:00:01Z',
        question: 'How many chairs?',
        answers: ['1', '2'],
        final: [0.2, 0.8],
        continues: 1,
        settlement: 'labelled',
        settledAnswer: 1,
        truth: 1,
        correct: 1,
        agreesWithLabel: 1,
        reward: expect.closeTo(Math.log2(0.8) - 0.05, 12),
        scoring: SCORING,
      },
    ]);
    // Nothing of the withheld item leaves: not its question, not its truth.
    expect(JSON.stringify(outcomes)).not.toContain('lamps');
  });

  it('has no truth, correctness or reward where the truth is unknown, and no settled answer where no label was kept', () => {
    const state = item({ truth: null, disputes: [{ id: 'dispute-1', status: 'unresolved', labelAnswer: null }] });
    const [outcome] = judgeOutcomes(J, [state]).outcomes;
    expect(outcome).toMatchObject({ settlement: 'unresolved', settledAnswer: null, truth: null, correct: null, reward: null });
  });

  it('skips debates the judge never answered, and failed ones, without counting them as withheld', () => {
    const state = item({ debates: [debate('d1', { verdicts: [] }), debate('d2', { status: 'failed' })] });
    expect(judgeOutcomes(J, [state])).toEqual({ outcomes: [], withheld: 0 });
  });
});

describe('judgeRecord', () => {
  const settled = (id: string, final: number[], truth: number | null, label: number | null): JudgedItem =>
    item({
      truth,
      disputes: [{ id: 'dispute-1', status: label === null ? 'unresolved' : 'labelled', labelAnswer: label }],
      debates: [debate(id, { verdicts: [final] })],
    });

  it('takes accuracy (ties half right), reward, Brier and calibration over the known truths, in the order debates ended', () => {
    const record = judgeRecord(
      judgeOutcomes(J, [
        settled('d3', [0.5, 0.5], 0, 0),
        settled('d1', [0.9, 0.1], 0, 0),
        settled('d2', [0.3, 0.7], 0, 1),
        settled('d4', [0.6, 0.4], null, 0),
      ]),
    );
    expect(record).toMatchObject({ settled: 4, judged: 3, withheld: 0 });
    expect(record.accuracy).toBeCloseTo((1 + 0 + 0.5) / 3, 12);
    expect(record.meanReward).toBeCloseTo((Math.log2(0.9) + Math.log2(0.3) + Math.log2(0.5)) / 3, 12);
    expect(record.brier).toBeCloseTo((2 * 0.1 ** 2 + 2 * 0.7 ** 2 + 2 * 0.5 ** 2) / 3, 12);
    // Agreement with the kept labels: d1 1, d2 1, d3 0.5 (a tie), d4 1.
    expect(record.labelAgreement).toBeCloseTo(3.5 / 4, 12);
    expect(record.timeline.map((p) => [p.debateId, p.judged, p.accuracy])).toEqual([
      ['d1', 1, 1],
      ['d2', 2, 0.5],
      ['d3', 3, 0.5],
    ]);
    expect(record.timeline.at(-1)!.meanReward).toBeCloseTo(record.meanReward!, 12);
    // The tie sits in the [0.5, 0.6) bin, half right; the wrong 0.7 in [0.7, 0.8); the right 0.9 in [0.9, 1].
    expect(record.reliability).toEqual([
      { from: 0.5, to: 0.6, count: 1, meanConfidence: 0.5, accuracy: 0.5 },
      { from: 0.7, to: 0.8, count: 1, meanConfidence: 0.7, accuracy: 0 },
      { from: 0.9, to: 1, count: 1, meanConfidence: 0.9, accuracy: 1 },
    ]);
  });

  it('is empty, not zero, before anything is shown', () => {
    expect(judgeRecord({ outcomes: [], withheld: 2 })).toEqual({
      settled: 0,
      judged: 0,
      accuracy: null,
      meanReward: null,
      brier: null,
      ece: null,
      labelAgreement: null,
      reliability: [],
      timeline: [],
      withheld: 2,
    });
  });
});
