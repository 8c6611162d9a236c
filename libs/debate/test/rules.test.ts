import { describe, expect, it } from 'vitest';
import type { DebaterSeat, ProtocolSpec } from '#tribunal/contracts';
import { FINAL_STAGE, PRESETS, nextAction, schedule, speechLimits, type NextAction, type Step } from '../src/index.js';
import { judgeRound, nyuLikeSpec, progress, seatsOf, sequential, simultaneous, specWith } from './factories.js';

/** A step in short: `S0@0` sequential at position 0 from turn 0, `M1@0` simultaneous, `J2:judge-2` a judge round. */
function shape(steps: readonly Step[]): string[] {
  return steps.map((s) => (s.kind === 'judge' ? `J${s.position}:${s.stage}` : `${s.simultaneous ? 'M' : 'S'}${s.position}@${s.firstTurn}`));
}

/**
 * Runs a debate to its end, every speech written and every verdict given as soon as asked for,
 * one judge at a time. `ends` says whether a judge asks to end the debate at a stage.
 */
function walk(spec: ProtocolSpec, seats: readonly DebaterSeat[], judges: number, ends: (stage: string) => boolean = () => false): string[] {
  const turns = new Set<number>();
  const verdicts = new Map<string, { given: number; ending: number }>();
  const log: string[] = [];
  for (let guard = 0; guard < 200; guard++) {
    const action = nextAction(spec, seats, { turns, verdicts, judges });
    if (action.kind === 'adjudicate') {
      log.push(`adjudicate ${action.stage}`);
      return log;
    }
    if (action.kind === 'speak') {
      log.push(`speak ${action.speeches.map((s) => `${s.seat}${s.index}<${s.visibleBefore}`).join(' ')}`);
      for (const s of action.speeches) turns.add(s.index);
    } else {
      log.push(`await ${action.stage}`);
      const v = verdicts.get(action.stage) ?? { given: 0, ending: 0 };
      verdicts.set(action.stage, { given: v.given + 1, ending: v.ending + (ends(action.stage) ? 1 : 0) });
    }
  }
  throw new Error(`the debate did not end: ${log.join(', ')}`);
}

describe('schedule', () => {
  it('names the last judge round final', () => {
    expect(FINAL_STAGE).toBe('final');
  });

  it('flattens the default protocol: two sequential rounds, each judged, the last judgement final', () => {
    const steps = schedule(specWith({}), 2);
    expect(shape(steps)).toEqual(['S0@0', 'J1:judge-1', 'S2@2', 'J3:final']);
    expect(steps[0]).toEqual({ kind: 'speeches', position: 0, round: { type: 'sequential' }, simultaneous: false, firstTurn: 0 });
    expect(steps[3]).toEqual({ kind: 'judge', position: 3, round: { type: 'judge' }, stage: 'final' });
  });

  it('lays out an NYU-like protocol: opening judge, simultaneous, judge, then sequential and judge repeated', () => {
    const steps = schedule(nyuLikeSpec(2, true), 2);
    expect(shape(steps)).toEqual(['J0:judge-0', 'M1@0', 'J2:judge-2', 'S3@2', 'J4:judge-4', 'S5@4', 'J6:final']);
    // The structure already ends with a judge round, which keeps its own settings as the final one.
    expect(steps[6]).toEqual({
      kind: 'judge',
      position: 6,
      round: { type: 'judge', visibleToDebaters: true, noteLimit: 300 },
      stage: 'final',
    });
  });

  it('numbers turns by seat count: three seats take three turn indices per speech round', () => {
    expect(shape(schedule(nyuLikeSpec(2, false), 3))).toEqual([
      'J0:judge-0',
      'M1@0',
      'J2:judge-2',
      'S3@3',
      'J4:judge-4',
      'S5@6',
      'J6:final',
    ]);
  });

  it('adds no extra final round when the closing ends with a judge round', () => {
    const spec = specWith({
      structure: { opening: [], repeating: [simultaneous()], closing: [judgeRound({ visibleToDebaters: false })] },
      end: { maxRepeats: 3, judgeMayEnd: false },
    });
    const steps = schedule(spec, 2);
    expect(shape(steps)).toEqual(['M0@0', 'M1@2', 'M2@4', 'J3:final']);
    expect(steps[3]).toEqual({ kind: 'judge', position: 3, round: { type: 'judge', visibleToDebaters: false }, stage: 'final' });
  });

  it('appends a final judge round when the structure ends with speeches', () => {
    const spec = specWith({
      structure: { opening: [simultaneous()], repeating: [sequential()], closing: [sequential()] },
      end: { maxRepeats: 2, judgeMayEnd: false },
    });
    expect(shape(schedule(spec, 2))).toEqual(['M0@0', 'S1@2', 'S2@4', 'S3@6', 'J4:final']);
  });

  it('runs the repeating rounds maxRepeats times, none at 0', () => {
    const spec = (maxRepeats: number): ProtocolSpec =>
      specWith({
        structure: { opening: [judgeRound()], repeating: [sequential(), judgeRound()], closing: [sequential()] },
        end: { maxRepeats, judgeMayEnd: false },
      });
    expect(shape(schedule(spec(0), 2))).toEqual(['J0:judge-0', 'S1@0', 'J2:final']);
    expect(shape(schedule(spec(1), 2))).toEqual(['J0:judge-0', 'S1@0', 'J2:judge-2', 'S3@2', 'J4:final']);
    expect(schedule(spec(5), 2)).toHaveLength(1 + 2 * 5 + 1 + 1);
  });

  it('is just the final judge round for a direct protocol with no debaters', () => {
    expect(schedule(PRESETS['direct']!, 0)).toEqual([
      { kind: 'judge', position: 0, round: { type: 'judge', visibleToDebaters: false }, stage: 'final' },
    ]);
    const empty = specWith({
      kind: 'direct',
      debaters: [],
      structure: { opening: [], repeating: [], closing: [] },
      end: { maxRepeats: 0, judgeMayEnd: false },
    });
    expect(schedule(empty, 0)).toEqual([{ kind: 'judge', position: 0, round: { type: 'judge' }, stage: 'final' }]);
  });

  it('drops speech rounds when there are no seats', () => {
    const spec = specWith({
      structure: { opening: [simultaneous()], repeating: [sequential()], closing: [] },
      end: { maxRepeats: 3, judgeMayEnd: false },
    });
    expect(shape(schedule(spec, 0))).toEqual(['J0:final']);
  });

  it('ends every preset with the final judge round', () => {
    for (const [name, spec] of Object.entries(PRESETS)) {
      const last = schedule(spec, spec.debaters.length).at(-1);
      expect(last?.kind, name).toBe('judge');
      expect(last?.kind === 'judge' ? last.stage : null, name).toBe('final');
    }
  });
});

describe('speechLimits', () => {
  const spec = specWith({ limits: { chars: 900, quoteChars: 300, citations: 4, overLimit: 'truncate' } });

  it('takes the protocol limits when the round sets none', () => {
    expect(speechLimits(spec, sequential())).toEqual({ chars: 900, quoteChars: 300, citations: 4 });
  });

  it('lets a round override characters and quoted characters, not citations', () => {
    expect(speechLimits(spec, simultaneous({ charLimit: 750, quoteLimit: 250 }))).toEqual({ chars: 750, quoteChars: 250, citations: 4 });
    expect(speechLimits(spec, simultaneous({ quoteLimit: 0 }))).toEqual({ chars: 900, quoteChars: 0, citations: 4 });
  });

  it('leaves quoted characters unlimited when neither sets them', () => {
    expect(speechLimits(specWith({}), sequential())).toEqual({ chars: 1200, quoteChars: undefined, citations: 3 });
  });
});

describe('nextAction: the default protocol (two seats, sequential, judged each round)', () => {
  const spec = specWith({});
  const seats = seatsOf('A', 'B');
  const judges = 2;
  const firstJudge = { kind: 'judge', position: 1, round: { type: 'judge' }, stage: 'judge-1' } as const;
  const sequentialStep = (position: number, firstTurn: number) =>
    ({ kind: 'speeches', position, round: { type: 'sequential' }, simultaneous: false, firstTurn }) as const;

  it('opens with seat A alone, then seat B, each seeing every turn before its own', () => {
    expect(nextAction(spec, seats, progress([], {}, judges))).toEqual({
      kind: 'speak',
      speeches: [{ index: 0, seat: 'A', step: sequentialStep(0, 0), visibleBefore: 0 }],
    });
    expect(nextAction(spec, seats, progress([0], {}, judges))).toEqual({
      kind: 'speak',
      speeches: [{ index: 1, seat: 'B', step: sequentialStep(0, 0), visibleBefore: 1 }],
    });
  });

  it('waits for every judge on the first judge round, giving the round', () => {
    const expected: NextAction = { kind: 'await-judges', stage: 'judge-1', step: firstJudge };
    expect(nextAction(spec, seats, progress([0, 1], {}, judges))).toEqual(expected);
    expect(nextAction(spec, seats, progress([0, 1], { 'judge-1': { given: 1 } }, judges))).toEqual(expected);
  });

  it('runs the second round once all judges answered', () => {
    const done = { 'judge-1': { given: 2 } };
    expect(nextAction(spec, seats, progress([0, 1], done, judges))).toEqual({
      kind: 'speak',
      speeches: [{ index: 2, seat: 'A', step: sequentialStep(2, 2), visibleBefore: 2 }],
    });
    expect(nextAction(spec, seats, progress([0, 1, 2], done, judges))).toEqual({
      kind: 'speak',
      speeches: [{ index: 3, seat: 'B', step: sequentialStep(2, 2), visibleBefore: 3 }],
    });
  });

  it('asks for the final verdict after the last round, then adjudicates on it', () => {
    const turns = [0, 1, 2, 3];
    const finalStep = { kind: 'judge', position: 3, round: { type: 'judge' }, stage: 'final' };
    expect(nextAction(spec, seats, progress(turns, { 'judge-1': { given: 2 } }, judges))).toEqual({
      kind: 'await-judges',
      stage: 'final',
      step: finalStep,
    });
    expect(nextAction(spec, seats, progress(turns, { 'judge-1': { given: 2 }, final: { given: 1 } }, judges))).toEqual({
      kind: 'await-judges',
      stage: 'final',
      step: finalStep,
    });
    expect(nextAction(spec, seats, progress(turns, { 'judge-1': { given: 2 }, final: { given: 2 } }, judges))).toEqual({
      kind: 'adjudicate',
      stage: 'final',
    });
  });

  it('walks the whole debate in order', () => {
    expect(walk(spec, seats, judges)).toEqual([
      'speak A0<0',
      'speak B1<1',
      'await judge-1',
      'await judge-1',
      'speak A2<2',
      'speak B3<3',
      'await final',
      'await final',
      'adjudicate final',
    ]);
  });

  it('ignores judges asking to end when the protocol does not let them', () => {
    expect(nextAction(spec, seats, progress([0, 1], { 'judge-1': { given: 2, ending: 2 } }, judges)).kind).toBe('speak');
    expect(walk(spec, seats, 1, () => true).at(-1)).toBe('adjudicate final');
  });
});

describe('nextAction: simultaneous rounds', () => {
  const spec = nyuLikeSpec(2, false);
  const prior = { 'judge-0': { given: 1 } };
  const openingStep = { kind: 'speeches', position: 1, round: { type: 'simultaneous' }, simultaneous: true, firstTurn: 0 } as const;

  it('asks for the judge prior before anyone speaks', () => {
    expect(nextAction(spec, seatsOf('A', 'B'), progress([], {}, 1))).toEqual({
      kind: 'await-judges',
      stage: 'judge-0',
      step: { kind: 'judge', position: 0, round: { type: 'judge', visibleToDebaters: true }, stage: 'judge-0' },
    });
  });

  it('asks for every speech of the round at once, each seeing only what came before the round', () => {
    expect(nextAction(spec, seatsOf('A', 'B'), progress([], prior, 1))).toEqual({
      kind: 'speak',
      speeches: [
        { index: 0, seat: 'A', step: openingStep, visibleBefore: 0 },
        { index: 1, seat: 'B', step: openingStep, visibleBefore: 0 },
      ],
    });
  });

  it('asks only for the speeches still missing when part of the round is in', () => {
    const seats = seatsOf('A', 'B', 'C');
    expect(nextAction(spec, seats, progress([1], prior, 1))).toEqual({
      kind: 'speak',
      speeches: [
        { index: 0, seat: 'A', step: openingStep, visibleBefore: 0 },
        { index: 2, seat: 'C', step: openingStep, visibleBefore: 0 },
      ],
    });
    expect(nextAction(spec, seats, progress([0, 2], prior, 1))).toEqual({
      kind: 'speak',
      speeches: [{ index: 1, seat: 'B', step: openingStep, visibleBefore: 0 }],
    });
  });

  it('lets a later simultaneous round see everything before its own first turn', () => {
    const khanLike = specWith({
      structure: { opening: [], repeating: [simultaneous()], closing: [judgeRound()] },
      end: { maxRepeats: 3, judgeMayEnd: false },
    });
    const step = { kind: 'speeches', position: 1, round: { type: 'simultaneous' }, simultaneous: true, firstTurn: 2 };
    expect(nextAction(khanLike, seatsOf('A', 'B'), progress([0, 1, 3], {}, 1))).toEqual({
      kind: 'speak',
      speeches: [{ index: 2, seat: 'A', step, visibleBefore: 2 }],
    });
  });

  it('walks an NYU-like debate: prior, simultaneous openings, then alternating speeches and feedback', () => {
    expect(walk(spec, seatsOf('A', 'B'), 1)).toEqual([
      'await judge-0',
      'speak A0<0 B1<0',
      'await judge-2',
      'speak A2<2',
      'speak B3<3',
      'await judge-4',
      'speak A4<4',
      'speak B5<5',
      'await final',
      'adjudicate final',
    ]);
  });
});

describe('nextAction: judges ending the debate early', () => {
  const spec = nyuLikeSpec(10, true);
  const seats = seatsOf('A', 'B');

  it('adjudicates at the stage where every judge asked to end', () => {
    const verdicts = { 'judge-0': { given: 2 }, 'judge-2': { given: 2, ending: 2 } };
    expect(nextAction(spec, seats, progress([0, 1], verdicts, 2))).toEqual({ kind: 'adjudicate', stage: 'judge-2' });
  });

  it('goes on when only some judges asked to end', () => {
    const verdicts = { 'judge-0': { given: 2 }, 'judge-2': { given: 2, ending: 1 } };
    expect(nextAction(spec, seats, progress([0, 1], verdicts, 2))).toMatchObject({
      kind: 'speak',
      speeches: [{ index: 2, seat: 'A', visibleBefore: 2 }],
    });
  });

  it('waits for the judges still to answer even when those who answered all asked to end', () => {
    const verdicts = { 'judge-0': { given: 2 }, 'judge-2': { given: 1, ending: 1 } };
    expect(nextAction(spec, seats, progress([0, 1], verdicts, 2))).toMatchObject({ kind: 'await-judges', stage: 'judge-2' });
  });

  it('stops the walk where the judges end it', () => {
    expect(walk(spec, seats, 2, (stage) => stage === 'judge-4')).toEqual([
      'await judge-0',
      'await judge-0',
      'speak A0<0 B1<0',
      'await judge-2',
      'await judge-2',
      'speak A2<2',
      'speak B3<3',
      'await judge-4',
      'await judge-4',
      'adjudicate judge-4',
    ]);
  });

  it('runs all ten repeats when the judges never end it', () => {
    const log = walk(spec, seats, 1);
    expect(log.filter((l) => l.startsWith('await'))).toHaveLength(1 + 1 + 10);
    expect(log.filter((l) => l.startsWith('speak'))).toHaveLength(1 + 2 * 10);
    expect(log.at(-2)).toBe('await final');
    expect(log.at(-1)).toBe('adjudicate final');
  });
});

describe('nextAction: other shapes', () => {
  it('lets a single consultant speak every round', () => {
    const spec = specWith({ kind: 'consultancy', debaters: [{ backend: 'builtin' }], end: { maxRepeats: 3, judgeMayEnd: false } });
    expect(walk(spec, seatsOf('A'), 1)).toEqual([
      'speak A0<0',
      'await judge-1',
      'speak A1<1',
      'await judge-3',
      'speak A2<2',
      'await final',
      'adjudicate final',
    ]);
  });

  it('goes straight to the final verdict with no seats', () => {
    const spec = PRESETS['direct']!;
    const finalStep = { kind: 'judge', position: 0, round: { type: 'judge', visibleToDebaters: false }, stage: 'final' };
    expect(nextAction(spec, [], progress([], {}, 3))).toEqual({ kind: 'await-judges', stage: 'final', step: finalStep });
    expect(nextAction(spec, [], progress([], { final: { given: 2 } }, 3))).toEqual({
      kind: 'await-judges',
      stage: 'final',
      step: finalStep,
    });
    expect(nextAction(spec, [], progress([], { final: { given: 3 } }, 3))).toEqual({ kind: 'adjudicate', stage: 'final' });
  });

  it('has no speeches when maxRepeats is 0 and nothing else speaks', () => {
    const spec = specWith({ end: { maxRepeats: 0, judgeMayEnd: false } });
    expect(nextAction(spec, seatsOf('A', 'B'), progress([], {}, 1))).toMatchObject({ kind: 'await-judges', stage: 'final' });
  });

  it('names seats by the seat list, not by position letters', () => {
    const spec = specWith({
      structure: { opening: [], repeating: [sequential()], closing: [] },
      end: { maxRepeats: 1, judgeMayEnd: false },
    });
    expect(walk(spec, seatsOf('X', 'Y', 'Z'), 1)).toEqual(['speak X0<0', 'speak Y1<1', 'speak Z2<2', 'await final', 'adjudicate final']);
  });

  it('takes the first missing speech of a sequential round, whatever came in after it', () => {
    const spec = specWith({});
    expect(nextAction(spec, seatsOf('A', 'B'), progress([1], {}, 1))).toMatchObject({
      kind: 'speak',
      speeches: [{ index: 0, seat: 'A', visibleBefore: 0 }],
    });
  });
});
