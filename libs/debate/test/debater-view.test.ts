import { describe, expect, it } from 'vitest';
import type { DebaterSeat, DebateStatus } from '#tribunal/contracts';
import { debaterDebateView, debateSourcesView, judgeDebateView, nextAction, type DebateProgress } from '../src/index.js';
import { specWith } from './factories.js';

/** Two seats, a simultaneous round, a judge round shown to debaters, a sequential round, the final verdict. */
const spec = specWith({
  structure: {
    opening: [
      { type: 'simultaneous', charLimit: 300, quoteLimit: 100 },
      { type: 'judge', visibleToDebaters: true },
    ],
    repeating: [{ type: 'sequential' }],
    closing: [],
  },
  end: { maxRepeats: 1, judgeMayEnd: false },
  debaters: [{ backend: 'manual', deadlineSeconds: 60 }, { backend: 'builtin' }],
});
const seats: DebaterSeat[] = [
  { seat: 'A', answer: 1, backend: 'manual', userId: 'user-a', name: 'Ada' },
  { seat: 'B', answer: 0, backend: 'builtin' },
];
const story = 'The butler signed the letter. The cook was away.';
// Rows carry more than a debater may see; the view copies only its own fields.
const item = {
  question: 'Who wrote the letter?',
  answers: ['the cook', 'the butler'],
  context: { kind: 'passage-hidden', title: 'The letter' },
  evidence: [{ id: 'story', kind: 'passage', text: story, reading: { secret: true } }],
  simpleLabel: 0,
  groundTruth: 1,
};
const turn = (index: number, seat: string, round: number, text: string) => ({
  id: `t-${index}`,
  index,
  round,
  seat,
  text,
  createdAt: new Date(Date.UTC(2024, 0, 1, 0, index)),
});
const verdict = { stage: 'judge-1', probabilities: [0.4, 0.6], note: 'why the butler?', assignmentId: 'x', judgeId: 'judge-1' };

function view(turns: ReturnType<typeof turn>[], verdicts: (typeof verdict)[], status: DebateStatus = 'running') {
  const progress: DebateProgress = {
    turns: new Set(turns.map((t) => t.index)),
    verdicts: new Map(verdicts.map((v) => [v.stage, { given: 1, ending: 0 }])),
    judges: 1,
  };
  return debaterDebateView({
    debate: { id: 'd', status, seats },
    spec,
    item,
    seat: 'A',
    action: nextAction(spec, seats, progress),
    turns,
    citations: [],
    verdicts,
    dueAt: new Date('2024-01-01T00:01:00Z'),
  });
}

describe("a debater's view", () => {
  it("hides a simultaneous opponent's speech until the debater's own is in, and asks for it with the round's limits", () => {
    const opponentFirst = view([turn(1, 'B', 0, 'The cook wrote it.')], []);
    expect(opponentFirst.turns).toEqual([]);
    expect(opponentFirst.speaking).toEqual({
      index: 0,
      round: 0,
      simultaneous: true,
      limits: { chars: 300, quoteChars: 100, citations: spec.limits.citations },
      dueAt: '2024-01-01T00:01:00.000Z',
    });
    const both = view([turn(0, 'A', 0, 'The butler did.'), turn(1, 'B', 0, 'The cook wrote it.')], []);
    expect(both.turns.map((t) => t.index)).toEqual([0, 1]);
    expect(both.speaking).toBeNull();
  });

  it("shows the judges' answers from rounds shown to debaters, and the next sequential speech after them", () => {
    const later = view([turn(0, 'A', 0, 'a'), turn(1, 'B', 0, 'b')], [verdict]);
    expect(later.judgements).toEqual([{ stage: 'judge-1', probabilities: [0.4, 0.6], note: 'why the butler?' }]);
    expect(later.speaking).toMatchObject({ index: 2, simultaneous: false });
    expect(view([turn(0, 'A', 0, 'a'), turn(1, 'B', 0, 'b')], [verdict], 'failed').speaking).toBeNull();
  });

  it('carries the story and the seat, never the labels, the truth, or who holds the seats', () => {
    const seen = view([], []);
    expect(seen.evidence).toEqual([{ id: 'story', kind: 'passage', text: story }]);
    expect([seen.seat, seen.answer]).toEqual(['A', 1]);
    expect(seen.seats).toEqual([
      { seat: 'A', answer: 1 },
      { seat: 'B', answer: 0 },
    ]);
    const text = JSON.stringify(seen);
    for (const hidden of ['simpleLabel', 'groundTruth', 'user-a', 'Ada', 'secret', 'builtin', 'manual']) expect(text).not.toContain(hidden);
  });
});

describe('the sources view', () => {
  it('places every verified quotation in the evidence, linked to its speech, in the order spoken', () => {
    const citation = (turnId: string, verified: boolean, span: [number, number] | null, at: [number, number]) => ({
      turnId,
      kind: 'quote' as const,
      evidenceId: 'story',
      verified,
      excerpt: null,
      atStart: at[0],
      atEnd: at[1],
      spanStart: span?.[0] ?? null,
      spanEnd: span?.[1] ?? null,
    });
    const sources = debateSourcesView({
      evidence: item.evidence,
      turns: [turn(0, 'A', 0, 'x'), turn(1, 'B', 0, 'y')],
      citations: [citation('t-1', true, [30, 48], [0, 20]), citation('t-0', false, null, [5, 9]), citation('t-0', true, [0, 28], [3, 40])],
    });
    expect(sources.quotes).toEqual([
      { turn: 0, seat: 'A', at: [3, 40], evidenceId: 'story', span: [0, 28] },
      { turn: 1, seat: 'B', at: [0, 20], evidenceId: 'story', span: [30, 48] },
    ]);
    expect(sources.evidence).toEqual([{ id: 'story', kind: 'passage', text: story }]);
  });
});

describe("the judges' view of the item's context", () => {
  it('is the whole public context unless the protocol hides it, then nothing of it', () => {
    const passage = { kind: 'passage', title: 'The letter', text: story };
    const judged = (context?: 'shown' | 'hidden') =>
      judgeDebateView({
        debate: { id: 'd', status: 'running', seats },
        spec: { ...spec, judges: { ...spec.judges, context } },
        item: { ...item, context: passage },
        turns: [],
        citations: [],
        drafts: [],
        awaiting: null,
        myVerdicts: [],
      });
    expect(judged().context).toEqual(passage);
    expect(judged('shown').context).toEqual(passage);
    expect(judged('hidden').context).toEqual({});
    expect(JSON.stringify(judged('hidden'))).not.toContain('signed');
  });
});
