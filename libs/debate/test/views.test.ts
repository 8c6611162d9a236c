import { describe, expect, it } from 'vitest';
import type { DebaterSeat, EvidenceUnit, VerdictView } from '#tribunal/contracts';
import {
  PRESETS,
  awaitingView,
  citationView,
  judgeDebateView,
  judgeText,
  parseCitations,
  protocolView,
  schedule,
  turnView,
  verifyCitations,
  type JudgeStep,
} from '../src/index.js';
import { nyuLikeSpec, specWith } from './factories.js';

const sorted = (value: object): string[] => Object.keys(value).sort();

function judgeStep(spec: ReturnType<typeof specWith>, seats: number, stage: string): JudgeStep {
  const step = schedule(spec, seats).find((s): s is JudgeStep => s.kind === 'judge' && s.stage === stage);
  if (!step) throw new Error(`no judge step ${stage}`);
  return step;
}

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
      text: 'first [[s-0-0]] [[s-9-9]] <quote>a chair</quote>',
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
    {
      turnId: 't-0',
      kind: 'evidence' as const,
      evidenceId: 's-0-0',
      verified: true,
      excerpt: 'Sensor at (0, 0): chair',
      atStart: 6,
      atEnd: 15,
      id: 'c-0',
    },
    {
      turnId: 't-0',
      kind: 'evidence' as const,
      evidenceId: 's-9-9',
      verified: false,
      excerpt: 'should never be shown',
      atStart: 16,
      atEnd: 25,
      id: 'c-1',
    },
    {
      turnId: 't-0',
      kind: 'quote' as const,
      evidenceId: 'secret-unit',
      verified: false,
      excerpt: 'unverified quote',
      atStart: 26,
      atEnd: 48,
      score: 0.5,
      id: 'c-2',
    },
  ];
  const drafts = [{ index: 2, seat: 'A', text: 'still wri', startedBy: 'worker-7' }];
  const mine = {
    stage: 'judge-1',
    probabilities: [0, 0.2, 0, 0.8, 0],
    note: 'seat A cited a hidden chair',
    endsDebate: false,
    judgeId: 'j-1',
  };
  const myVerdicts: VerdictView[] = [mine];
  const spec = specWith({});
  const awaiting = awaitingView(spec, judgeStep(spec, 2, 'final'));
  return judgeDebateView({ debate, spec, item, turns, citations, drafts, awaiting, myVerdicts });
}

describe('judgeDebateView', () => {
  it('exposes exactly the whitelisted fields at every level', () => {
    const view = fixture();
    expect(sorted(view)).toEqual([
      'answers',
      'awaiting',
      'context',
      'drafts',
      'id',
      'myVerdicts',
      'protocol',
      'question',
      'seats',
      'status',
      'turns',
    ]);
    expect(sorted(view.protocol)).toEqual(['description', 'judgeMayEnd', 'kind', 'limits', 'rounds', 'scoring']);
    for (const round of view.protocol.rounds) expect(sorted(round)).toEqual(['position', 'stage', 'type']);
    for (const seat of view.seats) expect(sorted(seat)).toEqual(['answer', 'seat']);
    for (const turn of view.turns) {
      expect(sorted(turn)).toEqual(['citations', 'createdAt', 'index', 'round', 'seat', 'text']);
      for (const c of turn.citations) expect(sorted(c)).toEqual(['at', 'evidenceId', 'excerpt', 'kind', 'verified']);
    }
    for (const d of view.drafts) expect(sorted(d)).toEqual(['index', 'seat', 'text']);
    expect(sorted(view.awaiting!)).toEqual(['mayEnd', 'noteLimit', 'noteVisibleToDebaters', 'stage']);
    for (const v of view.myVerdicts) expect(sorted(v)).toEqual(['endsDebate', 'note', 'probabilities', 'stage']);
  });

  it('copies the public values', () => {
    const view = fixture();
    expect(view.id).toBe('debate-1');
    expect(view.status).toBe('awaiting_judges');
    expect(view.question).toBe('How many chairs are in the room?');
    expect(view.answers).toEqual(['0', '1', '2', '3', '4+']);
    expect(view.context).toEqual({ kind: 'world-room' });
    expect(view.seats).toEqual([
      { seat: 'A', answer: 3 },
      { seat: 'B', answer: 1 },
    ]);
    expect(view.awaiting).toEqual({ stage: 'final', mayEnd: false, noteVisibleToDebaters: false, noteLimit: null });
    expect(view.drafts).toEqual([{ index: 2, seat: 'A', text: 'still wri' }]);
    expect(view.turns.map((t) => [t.index, t.round, t.seat, t.createdAt])).toEqual([
      [0, 0, 'A', '2024-01-02T03:04:05.000Z'],
      [1, 0, 'B', '2024-01-02T03:05:00.000Z'],
    ]);
  });

  it('describes the protocol by its scheduled rounds for the seats the debate has', () => {
    expect(fixture().protocol).toEqual({
      kind: 'debate',
      description: 'Two built-in debaters, two rounds of sequential speeches, judged after each round.',
      rounds: [
        { position: 0, type: 'sequential', stage: null },
        { position: 1, type: 'judge', stage: 'judge-1' },
        { position: 2, type: 'sequential', stage: null },
        { position: 3, type: 'judge', stage: 'final' },
      ],
      judgeMayEnd: false,
      limits: { chars: 1200, citations: 3, quoteChars: null },
      scoring: { kind: 'log', base: 2, perTurnPenalty: 0.05 },
    });
  });

  it('attaches citations to their own turn, hiding the excerpt of unverified ones and the unit of quotations', () => {
    const view = fixture();
    expect(view.turns[0]!.citations).toEqual([
      { kind: 'evidence', evidenceId: 's-0-0', verified: true, excerpt: 'Sensor at (0, 0): chair', at: [6, 15] },
      { kind: 'evidence', evidenceId: 's-9-9', verified: false, excerpt: null, at: [16, 25] },
      { kind: 'quote', evidenceId: null, verified: false, excerpt: null, at: [26, 48] },
    ]);
    expect(view.turns[1]!.citations).toEqual([]);
  });

  it('shows only the verdicts it is given', () => {
    expect(fixture().myVerdicts).toEqual([
      { stage: 'judge-1', probabilities: [0, 0.2, 0, 0.8, 0], note: 'seat A cited a hidden chair', endsDebate: false },
    ]);
  });

  it('does not leak hidden fields anywhere in the serialised view', () => {
    const json = JSON.stringify(fixture());
    for (const hidden of [
      'groundTruth',
      'simpleLabel',
      'backend',
      'should never be shown',
      'unverified quote',
      'secret-unit',
      'score',
      'judgeId',
      'worker-7',
      'debateId',
      '"hidden"',
    ]) {
      expect(json).not.toContain(hidden);
    }
  });
});

describe('judgeDebateView in a simultaneous round', () => {
  // nyuLikeSpec with two seats: a prior, the simultaneous openings (turns 0 and 1), feedback, then sequential speeches (2, 3, …).
  const spec = nyuLikeSpec(2, false);
  const seats: DebaterSeat[] = [
    { seat: 'A', answer: 0, backend: 'builtin' },
    { seat: 'B', answer: 1, backend: 'openai' },
  ];
  const turn = (index: number, seat: string, at: string) => ({
    id: `t-${index}`,
    index,
    round: 1,
    seat,
    text: `speech ${index}`,
    createdAt: new Date(at),
  });
  const view = (turns: ReturnType<typeof turn>[], drafts: { index: number; seat: string; text: string }[] = []) =>
    judgeDebateView({
      debate: { id: 'd', status: 'running', seats },
      spec,
      item: { question: 'q', answers: ['a', 'b'], context: {} },
      turns,
      citations: [],
      drafts,
      awaiting: null,
      myVerdicts: [],
    });

  it('shows judges none of the round, nor a draft of it, until every speech of it is given', () => {
    const v = view([turn(1, 'B', '2024-01-01T10:00:05.000Z')], [{ index: 0, seat: 'A', text: 'half of a' }]);
    expect(v.turns).toEqual([]);
    expect(v.drafts).toEqual([]);
  });

  it('shows the round in seat order, every speech bearing the moment the last was given, whichever came first', () => {
    const v = view([turn(1, 'B', '2024-01-01T10:00:05.000Z'), turn(0, 'A', '2024-01-01T10:00:09.000Z')]);
    expect(v.turns.map((t) => [t.index, t.seat, t.createdAt])).toEqual([
      [0, 'A', '2024-01-01T10:00:09.000Z'],
      [1, 'B', '2024-01-01T10:00:09.000Z'],
    ]);
  });

  it('shows a sequential speech as it was given, and its draft while it is written', () => {
    const round = [turn(0, 'A', '2024-01-01T10:00:01.000Z'), turn(1, 'B', '2024-01-01T10:00:02.000Z')];
    const v = view([...round, turn(2, 'A', '2024-01-01T10:01:00.000Z')], [{ index: 3, seat: 'B', text: 'so far' }]);
    expect(v.turns.map((t) => [t.index, t.createdAt])).toEqual([
      [0, '2024-01-01T10:00:02.000Z'],
      [1, '2024-01-01T10:00:02.000Z'],
      [2, '2024-01-01T10:01:00.000Z'],
    ]);
    expect(v.drafts).toEqual([{ index: 3, seat: 'B', text: 'so far' }]);
  });
});

describe('protocolView', () => {
  it('lists an NYU-like protocol round by round, with its quote limit', () => {
    const spec = nyuLikeSpec(1, true);
    spec.limits.quoteChars = 250;
    spec.description = undefined;
    expect(protocolView(spec, 2)).toMatchObject({
      description: null,
      rounds: [
        { position: 0, type: 'judge', stage: 'judge-0' },
        { position: 1, type: 'simultaneous', stage: null },
        { position: 2, type: 'judge', stage: 'judge-2' },
        { position: 3, type: 'sequential', stage: null },
        { position: 4, type: 'judge', stage: 'final' },
      ],
      judgeMayEnd: true,
      limits: { chars: 1200, citations: 3, quoteChars: 250 },
    });
  });

  it('shows only the final judge round for a direct protocol', () => {
    expect(protocolView(PRESETS['direct']!, 0).rounds).toEqual([{ position: 0, type: 'judge', stage: 'final' }]);
  });
});

describe('awaitingView', () => {
  const spec = nyuLikeSpec(2, true);

  it('lets judges end the debate at a judge round before the final one, when the protocol allows', () => {
    expect(awaitingView(spec, judgeStep(spec, 2, 'judge-0'))).toEqual({
      stage: 'judge-0',
      mayEnd: true,
      noteVisibleToDebaters: true,
      noteLimit: null,
    });
    expect(awaitingView(spec, judgeStep(spec, 2, 'judge-4'))).toEqual({
      stage: 'judge-4',
      mayEnd: true,
      noteVisibleToDebaters: true,
      noteLimit: 300,
    });
  });

  it('never offers to end at the final round, nor where the protocol does not allow it', () => {
    expect(awaitingView(spec, judgeStep(spec, 2, 'final'))).toEqual({
      stage: 'final',
      mayEnd: false,
      noteVisibleToDebaters: true,
      noteLimit: 300,
    });
    const strict = nyuLikeSpec(2, false);
    expect(awaitingView(strict, judgeStep(strict, 2, 'judge-2')).mayEnd).toBe(false);
  });
});

describe('citationView and turnView', () => {
  const row = { kind: 'evidence' as const, evidenceId: 'x', verified: false, excerpt: 'text', atStart: 3, atEnd: 8 };

  it('drops the excerpt of an unverified citation', () => {
    expect(citationView(row)).toEqual({ kind: 'evidence', evidenceId: 'x', verified: false, excerpt: null, at: [3, 8] });
    expect(citationView({ ...row, verified: true })).toEqual({
      kind: 'evidence',
      evidenceId: 'x',
      verified: true,
      excerpt: 'text',
      at: [3, 8],
    });
  });

  it('shows a verified quotation, but not which unit it came from', () => {
    expect(citationView({ ...row, kind: 'quote', verified: true, excerpt: 'the chair' })).toEqual({
      kind: 'quote',
      evidenceId: null,
      verified: true,
      excerpt: 'the chair',
      at: [3, 8],
    });
  });

  it('has no position unless both ends are known', () => {
    expect(citationView({ ...row, atStart: null }).at).toBeNull();
    expect(citationView({ ...row, atEnd: null }).at).toBeNull();
    expect(citationView({ ...row, atStart: 0, atEnd: 0 }).at).toEqual([0, 0]);
  });

  it('dates a turn in ISO form', () => {
    const turn = { id: 't', index: 4, round: 2, seat: 'B', text: 'hi', createdAt: new Date(Date.UTC(2025, 0, 31, 23, 59, 59, 5)) };
    expect(turnView(turn, [row])).toEqual({
      index: 4,
      round: 2,
      seat: 'B',
      text: 'hi',
      citations: [{ kind: 'evidence', evidenceId: 'x', verified: false, excerpt: null, at: [3, 8] }],
      createdAt: '2025-01-31T23:59:59.005Z',
    });
  });
});

describe('judgeText', () => {
  const evidence: EvidenceUnit[] = [
    { id: 'p-1', kind: 'passage', text: 'The Chair stood by the old window.' },
    { id: 'p-2', kind: 'passage', text: 'Nobody sat in it.' },
  ];
  const annotate = (text: string): string => judgeText(text, verifyCitations(parseCitations(text), evidence));

  it('tags quotations verified or not, and follows evidence citations with the evidence or a warning', () => {
    const text = 'Look: <quote>the chair  stood</quote>, see [[p-2]] and [[p-9]], not <quote>a new window</quote>.';
    expect(annotate(text)).toBe(
      'Look: <v_quote>the chair  stood</v_quote>, see [[p-2]] (verified: Nobody sat in it.) and [[p-9]] (unverified), not <u_quote>a new window</u_quote>.',
    );
  });

  it('leaves text without citations as it is', () => {
    expect(annotate('Nothing cited here.')).toBe('Nothing cited here.');
    expect(judgeText('', [])).toBe('');
  });

  it('annotates a repeated evidence id once, where it first stands', () => {
    expect(annotate('[[p-2]] and [[p-2]]')).toBe('[[p-2]] (verified: Nobody sat in it.) and [[p-2]]');
  });

  it('works from stored citations in any order, skipping those without a position or inside another', () => {
    const text = 'A <quote>see [[p-2]] here</quote> B [[p-1]] C';
    expect(text.slice(2, 33)).toBe('<quote>see [[p-2]] here</quote>');
    expect(text.slice(36, 43)).toBe('[[p-1]]');
    const citations = [
      { kind: 'evidence', at: [36, 43] as [number, number], verified: false, excerpt: null },
      { kind: 'evidence', at: [13, 20] as [number, number], verified: true, excerpt: 'Nobody sat in it.' },
      { kind: 'quote', at: [2, 33] as [number, number], verified: true, excerpt: 'see [[p-2]] here' },
      { kind: 'quote', at: null, verified: true, excerpt: 'ghost' },
    ];
    expect(judgeText(text, citations)).toBe('A <v_quote>see [[p-2]] here</v_quote> B [[p-1]] (unverified) C');
  });

  it('never tags a quotation verified that the server did not verify', () => {
    const text = '<quote>The Chair stood by the old window</quote>';
    const [c] = verifyCitations(parseCitations(text), evidence);
    expect(judgeText(text, [{ ...c!, verified: false }])).toBe('<u_quote>The Chair stood by the old window</u_quote>');
    expect(annotate(text)).toBe('<v_quote>The Chair stood by the old window</v_quote>');
  });
});
