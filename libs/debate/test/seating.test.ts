import { describe, expect, it } from 'vitest';
import type { DebaterSpec } from '#tribunal/contracts';
import { assignSeats, neighbouringAnswer, unitHash, type SeatingInput } from '../src/index.js';
import { specWith } from './factories.js';

const keys = Array.from({ length: 400 }, (_, i) => `dispute-${i}:protocol-${i % 7}`);
const builtins = (n: number): DebaterSpec[] => Array.from({ length: n }, () => ({ backend: 'builtin' }));
const input: Omit<SeatingInput, 'key'> = { answers: 5, simpleLabel: 1, modelAnswer: 3, topTwo: [2, 4] };
/** Whether the key puts the pair's second answer on seat A. */
const swapped = (key: string): boolean => unitHash(key) < 0.5;

describe('unitHash', () => {
  it('is 32-bit FNV-1a scaled to [0, 1)', () => {
    expect(unitHash('')).toBe(0x811c9dc5 / 2 ** 32);
    expect(unitHash('a')).toBe(0xe40c292c / 2 ** 32);
    expect(unitHash('foobar')).toBe(0xbf9cf968 / 2 ** 32);
  });

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

describe('assignSeats: simple-vs-model', () => {
  const spec = specWith({ assignment: 'simple-vs-model' });

  it('puts the simple label and the model answer on the two seats, in the order the key draws', () => {
    for (const key of keys.slice(0, 50)) {
      const seats = assignSeats(spec, { ...input, key });
      expect(seats).toEqual([
        { seat: 'A', answer: swapped(key) ? 3 : 1, backend: 'builtin' },
        { seat: 'B', answer: swapped(key) ? 1 : 3, backend: 'builtin' },
      ]);
    }
  });

  it('puts the simple label on seat A about half the time', () => {
    const onA = keys.filter((key) => assignSeats(spec, { ...input, key })[0]!.answer === input.simpleLabel).length;
    expect(onA).toBeGreaterThan(keys.length * 0.4);
    expect(onA).toBeLessThan(keys.length * 0.6);
  });

  it('is deterministic for a key', () => {
    for (const key of keys.slice(0, 20)) expect(assignSeats(spec, { ...input, key })).toEqual(assignSeats(spec, { ...input, key }));
  });

  it('keeps each debater backend on its own seat', () => {
    const mixed = specWith({ debaters: [{ backend: 'manual' }, { backend: 'openai', endpoint: 'local', model: 'm' }] });
    expect(assignSeats(mixed, { ...input, key: 'k' }).map((s) => [s.seat, s.backend])).toEqual([
      ['A', 'manual'],
      ['B', 'openai'],
    ]);
  });

  it('argues a neighbouring answer when the model agrees with the simple label, up or down as the key draws', () => {
    const last = { ...input, simpleLabel: 4, modelAnswer: 4 };
    for (const key of keys.slice(0, 20)) {
      expect(assignSeats(spec, { ...last, key }).map((s) => s.answer)).toEqual(swapped(key) ? [3, 4] : [4, 3]);
    }
    const middle = { ...input, simpleLabel: 2, modelAnswer: 2 };
    const others = keys.map((key) => assignSeats(spec, { ...middle, key }).find((s) => s.answer !== 2)!.answer);
    expect(new Set(others)).toEqual(new Set([1, 3]));
    expect(others.filter((a) => a === 1).length).toBeGreaterThan(keys.length * 0.4);
    expect(others.filter((a) => a === 1).length).toBeLessThan(keys.length * 0.6);
    for (const key of keys.slice(0, 20)) {
      expect(neighbouringAnswer(0, 5, key)).toBe(1);
      expect(neighbouringAnswer(4, 5, key)).toBe(3);
    }
    expect(() => neighbouringAnswer(0, 1, 'k')).toThrow('at least two answers');
  });

  it('gives seats beyond two the remaining answers in order', () => {
    const four = specWith({ debaters: builtins(4) });
    const key = keys.find((k) => !swapped(k))!;
    expect(assignSeats(four, { ...input, key }).map((s) => `${s.seat}${s.answer}`)).toEqual(['A1', 'B3', 'C0', 'D2']);
    const eight = assignSeats(specWith({ debaters: builtins(8) }), { ...input, answers: 8, key });
    expect(eight.map((s) => s.seat)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H']);
    expect(eight.map((s) => s.answer)).toEqual([1, 3, 0, 2, 4, 5, 6, 7]);
  });

  it('gives no seats to a protocol with no debaters', () => {
    expect(assignSeats(specWith({ kind: 'direct', debaters: [] }), { ...input, key: 'k' })).toEqual([]);
  });
});

describe('assignSeats: top-two', () => {
  const spec = specWith({ assignment: 'top-two' });

  it("argues the model's two most likely answers, not the simple label", () => {
    for (const key of keys.slice(0, 50)) {
      expect(assignSeats(spec, { ...input, key }).map((s) => s.answer)).toEqual(swapped(key) ? [4, 2] : [2, 4]);
    }
  });

  it('uses both orders across keys', () => {
    expect(new Set(keys.map((key) => assignSeats(spec, { ...input, key })[0]!.answer))).toEqual(new Set([2, 4]));
  });
});

describe('assignSeats: random (a lone consultant)', () => {
  const spec = specWith({ kind: 'consultancy', assignment: 'random', debaters: builtins(1) });

  it('gives the consultant one of the simple label and the model answer, as the key draws', () => {
    for (const key of keys.slice(0, 50)) {
      expect(assignSeats(spec, { ...input, key })).toEqual([{ seat: 'A', answer: swapped(key) ? 3 : 1, backend: 'builtin' }]);
    }
  });

  it('argues each side for some keys', () => {
    expect(new Set(keys.map((key) => assignSeats(spec, { ...input, key })[0]!.answer))).toEqual(new Set([1, 3]));
  });
});

describe('assignSeats: explicit', () => {
  const spec = specWith({ assignment: 'explicit', debaters: builtins(3) });

  it('gives each seat the answer given for it, in order, whatever the key', () => {
    for (const key of keys.slice(0, 20)) {
      expect(assignSeats(spec, { ...input, explicit: [4, 0, 2], key }).map((s) => `${s.seat}${s.answer}`)).toEqual(['A4', 'B0', 'C2']);
    }
  });

  it('refuses missing answers or a count other than the debaters', () => {
    expect(() => assignSeats(spec, { ...input, key: 'k' })).toThrow('answers must give one answer per debater (3)');
    expect(() => assignSeats(spec, { ...input, explicit: [0, 1], key: 'k' })).toThrow('answers must give one answer per debater (3)');
    expect(() => assignSeats(spec, { ...input, explicit: [0, 1, 2, 3], key: 'k' })).toThrow('answers must give one answer per debater (3)');
  });
});
