import { describe, expect, it } from 'vitest';
import { FINAL_STAGE, nextAction, roundStage, type DebateProgress } from '../src/index.js';
import { seatsOf, specWith } from './factories.js';

function progress(turns: number, verdicts: Record<string, number>, judges: number): DebateProgress {
  return { turns, verdictsByStage: new Map(Object.entries(verdicts)), judges };
}

describe('stage names', () => {
  it('names rounds by number and the end as final', () => {
    expect(roundStage(0)).toBe('round-0');
    expect(roundStage(3)).toBe('round-3');
    expect(FINAL_STAGE).toBe('final');
  });
});

describe('nextAction: two seats, two rounds, judged each round', () => {
  const spec = specWith({ rounds: 2, judgeEachRound: true });
  const seats = seatsOf('A', 'B');
  const judges = 2;

  it('opens with seat A, then seat B, in round 0', () => {
    expect(nextAction(spec, seats, progress(0, {}, judges))).toEqual({ kind: 'speak', seat: 'A', round: 0, index: 0 });
    expect(nextAction(spec, seats, progress(1, {}, judges))).toEqual({ kind: 'speak', seat: 'B', round: 0, index: 1 });
  });

  it('waits for every judge on round 0 before round 1 starts', () => {
    expect(nextAction(spec, seats, progress(2, {}, judges))).toEqual({ kind: 'await-judges', stage: 'round-0' });
    expect(nextAction(spec, seats, progress(2, { 'round-0': 1 }, judges))).toEqual({
      kind: 'await-judges',
      stage: 'round-0',
    });
  });

  it('runs round 1 once all judges gave round 0', () => {
    const done = { 'round-0': 2 };
    expect(nextAction(spec, seats, progress(2, done, judges))).toEqual({ kind: 'speak', seat: 'A', round: 1, index: 2 });
    expect(nextAction(spec, seats, progress(3, done, judges))).toEqual({ kind: 'speak', seat: 'B', round: 1, index: 3 });
  });

  it('asks for the final verdict after the last round, not a round-1 one', () => {
    expect(nextAction(spec, seats, progress(4, { 'round-0': 2 }, judges))).toEqual({ kind: 'await-judges', stage: 'final' });
    expect(nextAction(spec, seats, progress(4, { 'round-0': 2, final: 1 }, judges))).toEqual({
      kind: 'await-judges',
      stage: 'final',
    });
  });

  it('adjudicates once every judge gave the final verdict', () => {
    expect(nextAction(spec, seats, progress(4, { 'round-0': 2, final: 2 }, judges))).toEqual({ kind: 'adjudicate' });
  });

  it('walks the whole debate in order when verdicts arrive as soon as awaited', () => {
    const verdicts = new Map<string, number>();
    let turns = 0;
    const steps: string[] = [];
    for (let guard = 0; guard < 20; guard++) {
      const action = nextAction(spec, seats, { turns, verdictsByStage: verdicts, judges });
      if (action.kind === 'adjudicate') {
        steps.push('adjudicate');
        break;
      }
      if (action.kind === 'speak') {
        steps.push(`speak ${action.seat}${action.index}`);
        turns++;
      } else {
        steps.push(`await ${action.stage}`);
        verdicts.set(action.stage, (verdicts.get(action.stage) ?? 0) + 1);
      }
    }
    expect(steps).toEqual([
      'speak A0',
      'speak B1',
      'await round-0',
      'await round-0',
      'speak A2',
      'speak B3',
      'await final',
      'await final',
      'adjudicate',
    ]);
  });
});

describe('nextAction: other shapes', () => {
  it('skips round stages when judgeEachRound is off', () => {
    const spec = specWith({ rounds: 2, judgeEachRound: false });
    const seats = seatsOf('A', 'B');
    expect(nextAction(spec, seats, progress(2, {}, 2))).toEqual({ kind: 'speak', seat: 'A', round: 1, index: 2 });
    expect(nextAction(spec, seats, progress(4, {}, 2))).toEqual({ kind: 'await-judges', stage: 'final' });
  });

  it('lets a single consultant speak every round', () => {
    const spec = specWith({ kind: 'consultancy', rounds: 3, judgeEachRound: true, debaters: [{ backend: 'builtin' }] });
    const seats = seatsOf('A');
    expect(nextAction(spec, seats, progress(0, {}, 1))).toEqual({ kind: 'speak', seat: 'A', round: 0, index: 0 });
    expect(nextAction(spec, seats, progress(1, {}, 1))).toEqual({ kind: 'await-judges', stage: 'round-0' });
    expect(nextAction(spec, seats, progress(1, { 'round-0': 1 }, 1))).toEqual({
      kind: 'speak',
      seat: 'A',
      round: 1,
      index: 1,
    });
    expect(nextAction(spec, seats, progress(2, { 'round-0': 1 }, 1))).toEqual({ kind: 'await-judges', stage: 'round-1' });
    expect(nextAction(spec, seats, progress(3, { 'round-0': 1, 'round-1': 1 }, 1))).toEqual({
      kind: 'await-judges',
      stage: 'final',
    });
  });

  it('goes straight to the final verdict with no seats, whatever the rounds', () => {
    const spec = specWith({ kind: 'direct', rounds: 3, judgeEachRound: true, debaters: [] });
    expect(nextAction(spec, [], progress(0, {}, 3))).toEqual({ kind: 'await-judges', stage: 'final' });
    expect(nextAction(spec, [], progress(0, { final: 2 }, 3))).toEqual({ kind: 'await-judges', stage: 'final' });
    expect(nextAction(spec, [], progress(0, { final: 3 }, 3))).toEqual({ kind: 'adjudicate' });
  });

  it('has no speeches when rounds is 0', () => {
    const spec = specWith({ rounds: 0, judgeEachRound: true });
    expect(nextAction(spec, seatsOf('A', 'B'), progress(0, {}, 1))).toEqual({ kind: 'await-judges', stage: 'final' });
  });

  it('names seats by the seat list, not by position letters', () => {
    const spec = specWith({ rounds: 1, judgeEachRound: false });
    const seats = seatsOf('X', 'Y', 'Z');
    expect(nextAction(spec, seats, progress(2, {}, 1))).toEqual({ kind: 'speak', seat: 'Z', round: 0, index: 2 });
  });
});
