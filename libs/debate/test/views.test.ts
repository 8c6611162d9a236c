import { describe, expect, it } from 'vitest';
import type { DebaterSeat, VerdictView } from '../../contracts/src/index.js';
import { citationView, judgeDebateView } from '../src/index.js';
import { specWith } from './factories.js';

const sorted = (value: object): string[] => Object.keys(value).sort();

function fixture() {
  // Rows carry more than a judge may see; the view must copy only its own fields.
  const seats: DebaterSeat[] = [
    { seat: 'A', answer: 3, backend: 'manual' },
    { seat: 'B', answer: 1, backend: 'builtin' },
  ];
  const debate = { id: 'debate-1', status: 'awaiting_judges' as const, seats, simpleLabel: 1, groundTruth: 3 };
  const item = {
    question: 'How many chairs are in the room?',
    answers: ['0', '1', '2', '3', '4+'],
    context: { kind: 'world-room' },
    simpleLabel: 1,
    groundTruth: 3,
    evidence: [{ id: 's-0-0', kind: 'sensor', text: 'hidden' }],
  };
  const turns = [
    {
      id: 't-0',
      index: 0,
      round: 0,
      seat: 'A',
      text: 'first [[s-0-0]] [[s-9-9]]',
      createdAt: new Date('2024-01-02T03:04:05.000Z'),
      debateId: 'debate-1',
      backend: 'manual',
    },
    {
      id: 't-1',
      index: 1,
      round: 0,
      seat: 'B',
      text: 'second',
      createdAt: new Date('2024-01-02T03:05:00.000Z'),
      debateId: 'debate-1',
      backend: 'builtin',
    },
  ];
  const citations = [
    { turnId: 't-0', evidenceId: 's-0-0', verified: true, excerpt: 'Sensor at (0, 0): chair', id: 'c-0' },
    { turnId: 't-0', evidenceId: 's-9-9', verified: false, excerpt: 'should never be shown', id: 'c-1' },
  ];
  const mine = { stage: 'round-0', probabilities: [0, 0.2, 0, 0.8, 0], note: 'seat A cited a hidden chair', judgeId: 'j-1' };
  const myVerdicts: VerdictView[] = [mine];
  return judgeDebateView({ debate, spec: specWith({}), item, turns, citations, awaiting: 'final', myVerdicts });
}

describe('judgeDebateView', () => {
  it('exposes exactly the whitelisted fields at every level', () => {
    const view = fixture();
    expect(sorted(view)).toEqual(
      ['answers', 'awaiting', 'context', 'id', 'myVerdicts', 'protocol', 'question', 'seats', 'status', 'turns'].sort(),
    );
    expect(sorted(view.protocol)).toEqual(['judgeEachRound', 'kind', 'maxChars', 'maxCitations', 'rounds']);
    for (const seat of view.seats) expect(sorted(seat)).toEqual(['answer', 'seat']);
    for (const turn of view.turns) {
      expect(sorted(turn)).toEqual(['citations', 'createdAt', 'index', 'round', 'seat', 'text']);
      for (const c of turn.citations) expect(sorted(c)).toEqual(['evidenceId', 'excerpt', 'verified']);
    }
    for (const v of view.myVerdicts) expect(sorted(v)).toEqual(['note', 'probabilities', 'stage']);
  });

  it('copies the public values', () => {
    const view = fixture();
    expect(view.id).toBe('debate-1');
    expect(view.status).toBe('awaiting_judges');
    expect(view.protocol).toEqual({ kind: 'debate', rounds: 2, judgeEachRound: true, maxChars: 1200, maxCitations: 3 });
    expect(view.question).toBe('How many chairs are in the room?');
    expect(view.answers).toEqual(['0', '1', '2', '3', '4+']);
    expect(view.seats).toEqual([
      { seat: 'A', answer: 3 },
      { seat: 'B', answer: 1 },
    ]);
    expect(view.awaiting).toBe('final');
    expect(view.turns.map((t) => t.createdAt)).toEqual(['2024-01-02T03:04:05.000Z', '2024-01-02T03:05:00.000Z']);
  });

  it('attaches citations to their own turn, hiding the excerpt of unverified ones', () => {
    const view = fixture();
    expect(view.turns[0]!.citations).toEqual([
      { evidenceId: 's-0-0', verified: true, excerpt: 'Sensor at (0, 0): chair' },
      { evidenceId: 's-9-9', verified: false, excerpt: null },
    ]);
    expect(view.turns[1]!.citations).toEqual([]);
  });

  it('shows only the verdicts it is given', () => {
    const view = fixture();
    expect(view.myVerdicts).toEqual([{ stage: 'round-0', probabilities: [0, 0.2, 0, 0.8, 0], note: 'seat A cited a hidden chair' }]);
  });

  it('does not leak the hidden labels anywhere in the serialised view', () => {
    const json = JSON.stringify(fixture());
    expect(json).not.toContain('groundTruth');
    expect(json).not.toContain('simpleLabel');
    expect(json).not.toContain('backend');
    expect(json).not.toContain('should never be shown');
  });
});

describe('citationView', () => {
  it('drops the excerpt of an unverified citation', () => {
    expect(citationView({ evidenceId: 'x', verified: false, excerpt: 'text' })).toEqual({
      evidenceId: 'x',
      verified: false,
      excerpt: null,
    });
    expect(citationView({ evidenceId: 'x', verified: true, excerpt: 'text' })).toEqual({
      evidenceId: 'x',
      verified: true,
      excerpt: 'text',
    });
  });
});
