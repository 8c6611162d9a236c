import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProcess, type RunningProcess } from '../../apps/cli/src/run-process.js';

const CLI = resolve('dist/apps/cli/src/main.js');

/** Runs the built command line with a clean environment plus `env`. */
function tribunal(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

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
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('a dataset named "cli-rooms" already exists');
    const user = await tribunal(['users', 'create', 'carol', 'judge'], env);
    expect(user.stdout).toMatch(/created judge "carol" .*\ntrb_[A-Za-z0-9_-]{43}/);
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
