import { describe, expect, it } from 'vitest';
import { assignSeats, unitHash } from '../src/index.js';
import { specWith } from './factories.js';

const keys = Array.from({ length: 400 }, (_, i) => `dispute-${i}:protocol-${i % 7}`);

describe('unitHash', () => {
  it('lies in [0, 1) and is deterministic', () => {
    for (const key of [...keys, '', 'a', '\u{1F600}', 'x'.repeat(1000)]) {
      const h = unitHash(key);
      expect(h).toBeGreaterThanOrEqual(0);
      expect(h).toBeLessThan(1);
      expect(unitHash(key)).toBe(h);
    }
  });

  it('tells different keys apart', () => {
    expect(new Set(keys.map(unitHash)).size).toBe(keys.length);
  });
});

describe('assignSeats: simple-vs-alternative', () => {
  const spec = specWith({ assignment: 'simple-vs-alternative' });
  const input = { answers: 5, simpleLabel: 1, alternative: 3 };

  it('puts the simple label on one seat and the alternative on the other', () => {
    for (const key of keys.slice(0, 50)) {
      const seats = assignSeats(spec, { ...input, key });
      expect(seats.map((s) => s.seat)).toEqual(['A', 'B']);
      expect(seats.map((s) => s.answer).sort()).toEqual([1, 3]);
      expect(seats.every((s) => s.backend === 'builtin')).toBe(true);
    }
  });

  it('puts the simple label on seat A about half the time', () => {
    const onA = keys.filter((key) => assignSeats(spec, { ...input, key })[0]!.answer === input.simpleLabel).length;
    expect(onA).toBeGreaterThan(keys.length * 0.4);
    expect(onA).toBeLessThan(keys.length * 0.6);
  });

  it('is deterministic for a key', () => {
    for (const key of keys.slice(0, 20)) {
      expect(assignSeats(spec, { ...input, key })).toEqual(assignSeats(spec, { ...input, key }));
    }
  });

  it('keeps each debater backend on its own seat', () => {
    const mixed = specWith({ debaters: [{ backend: 'manual' }, { backend: 'builtin' }] });
    const seats = assignSeats(mixed, { ...input, key: 'k' });
    expect(seats.map((s) => [s.seat, s.backend])).toEqual([
      ['A', 'manual'],
      ['B', 'builtin'],
    ]);
  });

  it('gives a single consultant one of the two answers, and no seats to none', () => {
    const one = specWith({ kind: 'consultancy', debaters: [{ backend: 'builtin' }] });
    const answers = new Set(keys.map((key) => assignSeats(one, { ...input, key })[0]!.answer));
    expect(answers).toEqual(new Set([1, 3]));
    expect(assignSeats(specWith({ kind: 'direct', debaters: [] }), { ...input, key: 'k' })).toEqual([]);
  });
});

describe('assignSeats: random', () => {
  const spec = specWith({
    assignment: 'random',
    debaters: [{ backend: 'builtin' }, { backend: 'builtin' }, { backend: 'builtin' }],
  });

  it('gives distinct, valid answers to the seats', () => {
    for (const key of keys) {
      const seats = assignSeats(spec, { answers: 5, simpleLabel: 0, alternative: 1, key });
      expect(seats.map((s) => s.seat)).toEqual(['A', 'B', 'C']);
      const answers = seats.map((s) => s.answer);
      expect(new Set(answers).size).toBe(3);
      for (const a of answers) {
        expect(Number.isInteger(a)).toBe(true);
        expect(a).toBeGreaterThanOrEqual(0);
        expect(a).toBeLessThan(5);
      }
    }
  });

  it('varies the answer on seat A across keys', () => {
    const onA = new Set(keys.map((key) => assignSeats(spec, { answers: 5, simpleLabel: 0, alternative: 1, key })[0]!.answer));
    expect(onA).toEqual(new Set([0, 1, 2, 3, 4]));
  });
});
