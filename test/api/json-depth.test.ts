import { describe, expect, it } from 'vitest';
import { nestsDeeperThan } from '../../apps/api/src/http/body.js';
import { createRng, type Rng } from '#tribunal/world';

/** The depth of a parsed JSON value, counted the slow, obvious way. */
function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  return 1 + Math.max(0, ...Object.values(value).map(depthOf));
}

/** Strings full of what could fool a scanner: brackets, quotes, runs of backslashes. */
function trickyString(rng: Rng): string {
  const parts = ['[', ']', '{', '}', '"', '\\', '\\\\', '\\"', 'x', '💥', '\n'];
  return Array.from({ length: Math.floor(rng() * 12) }, () => parts[Math.floor(rng() * parts.length)]).join('');
}

function randomJson(rng: Rng, depth = 0): unknown {
  const pick = Math.floor(rng() * (depth > 8 ? 3 : 6));
  if (pick === 0) return trickyString(rng);
  if (pick === 1) return Math.floor(rng() * 100);
  if (pick === 2) return null;
  if (pick === 3) return Array.from({ length: Math.floor(rng() * 4) }, () => randomJson(rng, depth + 1));
  return Object.fromEntries(Array.from({ length: Math.floor(rng() * 4) }, () => [trickyString(rng), randomJson(rng, depth + 1)]));
}

describe('the JSON depth scan that runs before a body is parsed', () => {
  it('agrees with the parsed depth on 3,000 random documents whose strings hold brackets, quotes and backslashes', () => {
    const rng = createRng(7);
    for (let i = 0; i < 3000; i++) {
      const text = JSON.stringify(randomJson(rng));
      const depth = depthOf(JSON.parse(text));
      const bytes = Buffer.from(text);
      expect(nestsDeeperThan(bytes, depth), text).toBe(false);
      if (depth > 0) expect(nestsDeeperThan(bytes, depth - 1), text).toBe(true);
    }
  });

  it('finds nesting a million deep, and none inside a string', () => {
    expect(nestsDeeperThan(Buffer.from('['.repeat(1_000_000) + ']'.repeat(1_000_000)), 100)).toBe(true);
    expect(nestsDeeperThan(Buffer.from(JSON.stringify({ a: '['.repeat(1_000_000) })), 100)).toBe(false);
    expect(nestsDeeperThan(Buffer.from('{"a":"unterminated [[[['), 1)).toBe(false);
  });
});
