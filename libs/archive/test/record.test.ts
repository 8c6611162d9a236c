import { describe, expect, it } from 'vitest';
import { archivedDebate, type NyuRoom } from '../src/index.js';

const STORY = 'The ship left at dawn. Nobody saw the captain again.';

function room(overrides: Partial<NyuRoom> = {}): NyuRoom {
  return {
    name: 'room-1',
    setting: 'human-debate',
    includedInPaper: true,
    storyId: 'story-9',
    storyTitle: 'The Ship',
    story: STORY,
    question: 'What happened to the captain?',
    answers: ['He left on the ship', 'He stayed ashore'],
    correct: 1,
    debaters: [0, 1],
    names: { debaters: { 0: 'Ada', 1: 'Bo' }, judge: 'Jude' },
    rules: { fixedOpening: null, repeatingStructure: null, fixedClosing: null, scoringFunction: {} },
    rounds: [
      {
        kind: 'speeches',
        position: 0,
        simultaneous: true,
        speeches: [
          { debater: 0, text: 'It says <quote>The ship left at dawn.</quote>', quotes: [{ at: [8, 46], span: [0, 22] }], at: 2_000 },
          { debater: 1, text: 'Nobody saw him board.', quotes: [], at: 0 },
        ],
      },
      { kind: 'judge', position: 1, distribution: [0.4, 0.6], note: 'leaning B', endDebate: false, at: 3_000 },
      {
        kind: 'speeches',
        position: 2,
        simultaneous: false,
        speeches: [
          { debater: 1, text: '<quote>Nobody saw the captain again.</quote>', quotes: [{ at: [0, 44], span: [23, 52] }], at: 4_000 },
        ],
      },
      { kind: 'judge', position: 3, distribution: [0.1, 0.9], note: '', endDebate: true, at: 0 },
    ],
    createdAt: 1_000,
    endedAt: 5_000,
    ...overrides,
  };
}

describe('archivedDebate', () => {
  it('makes the room an item: the story as evidence, no simple label, the correct answer as ground truth, where it came from', () => {
    const record = archivedDebate(room(), 'dataset-1', 'protocol-1');
    expect(record.item).toEqual({
      datasetId: 'dataset-1',
      externalId: 'room-1',
      context: { kind: 'passage-hidden', title: 'The Ship' },
      evidence: [{ id: 'story', kind: 'passage', text: STORY }],
      question: 'What happened to the captain?',
      answers: ['He left on the ship', 'He stayed ashore'],
      simpleLabel: null,
      groundTruth: 1,
      features: null,
      meta: { archive: 'nyu-debate-2023', room: 'room-1', setting: 'human-debate', includedInPaper: true, storyId: 'story-9' },
    });
    expect(record.reasons).toEqual([{ kind: 'imported', detail: 'room room-1 of the NYU 2023 archive (human-debate)' }]);
    expect(record.protocolId).toBe('protocol-1');
    expect(record.judge).toBe('Jude');
    expect(record.createdAt).toEqual(new Date(1_000));
    expect(record.endedAt).toEqual(new Date(5_000));
  });

  it("keeps the archive's seats: both debaters in a debate, the one present in a consultancy, named where the archive names them", () => {
    expect(archivedDebate(room(), 'd', 'p').seats).toEqual([
      { seat: 'A', answer: 0, backend: 'manual', name: 'Ada' },
      { seat: 'B', answer: 1, backend: 'manual', name: 'Bo' },
    ]);
    const consultancy = room({ setting: 'ai-consultancy', debaters: [1], names: { debaters: {}, judge: null } });
    expect(archivedDebate(consultancy, 'd', 'p').seats).toEqual([{ seat: 'B', answer: 1, backend: 'manual' }]);
  });

  it('numbers the speeches across rounds, each quotation a verified citation of the story at its span', () => {
    const { turns } = archivedDebate(room(), 'd', 'p');
    expect(turns.map((t) => [t.index, t.round, t.seat])).toEqual([
      [0, 0, 'A'],
      [1, 0, 'B'],
      [2, 2, 'B'],
    ]);
    // A speech without a time takes the room's.
    expect(turns.map((t) => t.createdAt)).toEqual([new Date(2_000), new Date(1_000), new Date(4_000)]);
    expect(turns[0]!.citations).toEqual([
      {
        kind: 'quote',
        evidenceId: 'story',
        quote: 'The ship left at dawn.',
        verified: true,
        score: 1,
        excerpt: 'The ship left at dawn.',
        spanStart: 0,
        spanEnd: 22,
        atStart: 8,
        atEnd: 46,
      },
    ]);
    expect(turns[1]!.citations).toEqual([]);
    expect(turns[2]!.citations[0]!.quote).toBe('Nobody saw the captain again.');
  });

  it('makes every answer of the judge a verdict, the last one final', () => {
    expect(archivedDebate(room(), 'd', 'p').verdicts).toEqual([
      { stage: 'judge-1', probabilities: [0.4, 0.6], note: 'leaning B', endsDebate: false, createdAt: new Date(3_000) },
      // Without a time of its own: the room's, one millisecond per verdict on.
      { stage: 'final', probabilities: [0.1, 0.9], note: null, endsDebate: true, createdAt: new Date(1_001) },
    ]);
  });
});
