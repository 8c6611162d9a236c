import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/index.js';

/** Every environment variable `loadConfig` reads, found by handing it an environment that records each read. */
function settingsRead(): string[] {
  const read = new Set<string>();
  const env = new Proxy({} as Record<string, string | undefined>, {
    get: (_, name) => {
      if (typeof name === 'string') read.add(name);
      return undefined;
    },
  });
  loadConfig(env, '/');
  return [...read].sort();
}

/** The variables named in the first column of the README's configuration table. */
function settingsDocumented(): string[] {
  const readme = readFileSync(join(import.meta.dirname, '../../../README.md'), 'utf8');
  const section = readme.split(/^## Configuration$/m)[1]!.split(/^## /m)[0]!;
  const rows = section.split('\n').filter((line) => /^\| `/.test(line));
  return rows.flatMap((row) => [...row.split('|')[1]!.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]!)).sort();
}

describe("the README's configuration table", () => {
  it('names exactly the settings the configuration reads', () => {
    const read = settingsRead();
    expect(read.length).toBeGreaterThan(15);
    expect(settingsDocumented()).toEqual(read);
  });
});
