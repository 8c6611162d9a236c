import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProcess, type RunningProcess } from '../../apps/bootstrap/src/start-process.js';
import { CLI, tribunal } from '../support/cli.js';

describe('the tribunal command', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tribunal-cli-'));
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does)`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stops at start-up on a bad setting, naming it', async () => {
    const result = await tribunal(['start'], { PORT: 'eighty', TRIBUNAL_DATA_DIR: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('PORT must be an integer between 0 and 65535, got "eighty"');
    const url = await tribunal(['migrate'], { DATABASE_URL: 'mysql://localhost/x' });
    expect(url.code).toBe(2);
    expect(url.stderr).toContain('DATABASE_URL must start with postgres://');
  });

  it('explains its usage, and refuses unknown roles and bad arguments', async () => {
    expect((await tribunal(['help'], {})).stdout).toContain('tribunal <command>');
    const roles = await tribunal(['start', '--roles', 'api,judge'], { TRIBUNAL_DATA_DIR: dir });
    expect(roles.code).toBe(2);
    expect(roles.stderr).toContain('unknown role "judge"');
    const size = await tribunal(['world', 'load', '--name', 'x', '--size', 'many'], { TRIBUNAL_DATA_DIR: dir });
    expect(size.stderr).toContain('--size must be a positive integer, got "many"');
  });

  it('loads a world dataset and creates users on the embedded database', async () => {
    const env = { TRIBUNAL_DATA_DIR: dir };
    const loaded = await tribunal(['world', 'load', '--name', 'cli-rooms', '--seed', '3', '--size', '25'], env);
    expect(loaded.stderr).toBe('');
    expect(loaded.stdout).toMatch(/loaded dataset "cli-rooms" \([0-9a-f-]{36}\) with 25 items/);
    const again = await tribunal(['world', 'load', '--name', 'cli-rooms'], env);
    // A conflict (README, "Command line").
    expect(again.code).toBe(5);
    expect(again.stderr).toContain('a dataset named "cli-rooms" already exists');
    const user = await tribunal(['users', 'create', 'carol', 'judge'], env);
    expect(user.stdout).toMatch(/created judge "carol" .*\ntrb_[A-Za-z0-9_-]{43}/);
  });

  it('lists the presets and adds protocols from YAML, naming the field of a bad one', async () => {
    const env = { TRIBUNAL_DATA_DIR: dir };
    const presets = await tribunal(['protocols', 'presets'], env);
    for (const name of [
      'nyu-2023-debate',
      'nyu-2023-consultancy',
      'khan-2024-debate',
      'khan-2024-interactive',
      'khan-2024-consultancy',
      'direct',
    ]) {
      expect(presets.stdout).toContain(name);
    }
    const nyu = JSON.parse((await tribunal(['protocols', 'presets', 'nyu-2023-debate'], env)).stdout) as Record<string, unknown>;
    expect(nyu).toMatchObject({ kind: 'debate', scoring: { kind: 'log', base: 2, perTurnPenalty: 0.05 } });
    const yaml = join(dir, 'consultancy.yaml');
    writeFileSync(
      yaml,
      [
        'kind: consultancy',
        'structure:',
        '  opening: []',
        '  repeating: [{ type: sequential }, { type: judge, visibleToDebaters: true }]',
        '  closing: []',
        'end: { maxRepeats: 2, judgeMayEnd: true }',
        'limits: { chars: 800, citations: 2, overLimit: truncate }',
        'assignment: random',
        'debaters: [{ backend: builtin }]',
        'judges: { count: 1, kind: simulated }',
        'scoring: { kind: log, base: 2, perTurnPenalty: 0.05 }',
        'adjudication: { method: mean, threshold: 0.8 }',
      ].join('\n'),
    );
    const created = await tribunal(['protocols', 'create', 'my-consultancy', '--file', yaml], env);
    expect(created.stderr).toBe('');
    expect(created.stdout).toMatch(/added protocol "my-consultancy" version 1 \([0-9a-f-]{36}\)/);
    expect((await tribunal(['protocols', 'create', 'my-consultancy', '--file', yaml], env)).stdout).toContain('version 2');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace('chars: 800', 'chars: 5'));
    const refused = await tribunal(['protocols', 'create', 'broken', '--file', yaml], env);
    // Invalid input (README, "Command line").
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('spec.limits.chars must not be less than 20');
    writeFileSync(yaml, 'kind: [unclosed');
    expect((await tribunal(['protocols', 'create', 'broken', '--file', yaml], env)).stderr).toContain('is neither JSON nor YAML');
  });

  it('prints JSON on standard output with --json: the shapes the API answers, nothing else', async () => {
    const env = { TRIBUNAL_DATA_DIR: dir };
    const presets = await tribunal(['protocols', 'presets', '--json'], env);
    expect(presets.code).toBe(0);
    const specs = JSON.parse(presets.stdout) as Record<string, { kind: string; scoring: { kind: string } }>;
    expect(specs['nyu-2023-consultancy']).toMatchObject({ kind: 'consultancy', scoring: { kind: 'log' } });
    expect(Object.keys(specs)).toContain('direct');

    const file = join(dir, 'direct.json');
    writeFileSync(file, JSON.stringify(specs['direct']));
    const created = await tribunal(['protocols', 'create', 'json-direct', '--file', file, '--json'], env);
    expect(created.stderr).toBe('');
    const version = JSON.parse(created.stdout) as {
      id: string;
      name: string;
      version: number;
      kind: string;
      spec: unknown;
      lockedAt: null;
    };
    expect(version).toMatchObject({ name: 'json-direct', version: 1, kind: 'direct', spec: specs['direct'], lockedAt: null });

    const listed = JSON.parse((await tribunal(['protocols', 'list', '--json'], env)).stdout) as { id: string; name: string }[];
    expect(listed.find((p) => p.name === 'json-direct')).toEqual(version);

    // Nothing has been debated here: every analytics view is an empty list, not a sentence.
    for (const view of ['protocols', 'debaters']) {
      const analytics = await tribunal(['analytics', '--of', view, '--json'], env);
      expect(analytics.code).toBe(0);
      expect(JSON.parse(analytics.stdout)).toEqual([]);
    }
    expect((await tribunal(['analytics'], env)).stdout).toBe('no finished debates\n');
  });

  it('refuses to open an embedded database another process holds', async () => {
    let running: RunningProcess | undefined;
    try {
      running = await startProcess(['worker'], { TRIBUNAL_DATA_DIR: dir, LOG_LEVEL: 'error' });
      const second = await tribunal(['migrate'], { TRIBUNAL_DATA_DIR: dir });
      expect(second.code).toBe(2);
      expect(second.stderr).toContain(`is in use by process ${process.pid}`);
    } finally {
      await running?.app.close();
    }
  });
});
