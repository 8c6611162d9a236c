import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { correctSeats, jsonProblem, parseArchiveJson, readNyuArchive, tgzFiles } from '../src/index.js';

const ARCHIVE = join(import.meta.dirname, '../../../../shared/data/nyu-debate/nyu-debate-2023.tgz');
const SECRET = 'SECRET-CONTENT-4711';
const META = JSON.stringify({ name: 'r1', setting: { isHuman: true, isDebate: true }, status: { Complete: {} } });

const scratch = mkdtempSync(join(tmpdir(), 'archive-safety-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A directory in the archive's layout, with the given files (text, or a link made by `make`). */
function archiveDir(name: string, files: Record<string, string | ((path: string) => void)>): string {
  const dir = join(scratch, name);
  mkdirSync(join(dir, 'debates', 'official'), { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    if (typeof content === 'string') writeFileSync(join(dir, path), content);
    else content(join(dir, path));
  }
  return dir;
}

function tgz(dir: string): string {
  const file = `${dir}.tgz`;
  execFileSync('tar', ['czf', file, '-C', dir, '.']);
  return file;
}

describe('archives holding links', () => {
  it('refuses a directory whose file is a symbolic link, naming the entry and reading nothing through it', () => {
    const dir = archiveDir('symlink-dir', { 'debates-metadata.jsonl': (p) => symlinkSync('/etc/passwd', p) });
    expect(() => readNyuArchive(dir)).toThrow(/"debates-metadata\.jsonl" is a symbolic link/);
    try {
      readNyuArchive(dir);
    } catch (error) {
      expect((error as Error).message).not.toContain('root:');
    }
  });

  it('refuses a directory holding a hard-linked file', () => {
    const outside = join(scratch, 'outside.json');
    writeFileSync(outside, `{"${SECRET}": 1}`);
    const dir = archiveDir('hardlink-dir', { 'debates-metadata.jsonl': META, 'debates/official/r1.json': (p) => linkSync(outside, p) });
    expect(() => readNyuArchive(dir)).toThrow(/"debates\/official\/r1\.json" is a hard link/);
  });

  it('refuses a .tgz holding a symbolic or a hard link, naming the entry', async () => {
    const symlinked = tgz(archiveDir('symlink-tgz', { 'debates-metadata.jsonl': (p) => symlinkSync('/etc/passwd', p) }));
    const refused = await tgzFiles(symlinked).catch((error: Error) => error);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toMatch(/"debates-metadata\.jsonl" is a symbolic link/);
    expect((refused as Error).message).not.toContain('root:');
    const dir = archiveDir('hardlink-tgz', { 'debates-metadata.jsonl': META, 'debates/official/r1.json': '{}' });
    linkSync(join(dir, 'debates/official/r1.json'), join(dir, 'debates/official/r2.json'));
    await expect(tgzFiles(tgz(dir))).rejects.toThrow(/is a hard link/);
  });

  it('refuses what is not a gzipped tar, without quoting it', async () => {
    const file = join(scratch, 'not-an-archive.tgz');
    writeFileSync(file, SECRET);
    const refused = (await tgzFiles(file).catch((error: Error) => error)) as Error;
    expect(refused.message).toMatch(/not a gzipped tar archive/);
    expect(refused.message).not.toContain(SECRET);
  });
});

describe("an archive's malformed JSON", () => {
  it('is named by file, line and column, and never quoted', () => {
    const dir = archiveDir('malformed', { 'debates-metadata.jsonl': META, 'debates/official/r1.json': `{"setup": ${SECRET}}` });
    let message = '';
    try {
      readNyuArchive(dir);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe('debates/official/r1.json is not valid JSON: an unexpected character at line 1, column 11 (character 10)');
    const metadata = archiveDir('malformed-metadata', { 'debates-metadata.jsonl': `${META}\n${META}\n{"name": ${SECRET}` });
    expect(() => readNyuArchive(metadata)).toThrow(
      /^debates-metadata\.jsonl is not valid JSON: an unexpected character at line 3, column 10/,
    );
  });

  it('locates the problem where the engine does, whenever the engine gives a position', () => {
    for (const text of [
      '{"a": 1',
      '{a:1}',
      '{"a":1}x',
      '"abc',
      '{"a":"b\nc"}',
      '[1,]',
      '[1 2]',
      '{"a" 1}',
      '-',
      '01',
      '1.',
      '1e',
      '-x',
      'tru',
      '',
    ]) {
      const problem = jsonProblem(text);
      expect(problem, text).not.toBeNull();
      let engine = '';
      try {
        JSON.parse(text);
      } catch (error) {
        engine = (error as Error).message;
      }
      const at = /at position (\d+)/.exec(engine)?.[1];
      if (at !== undefined) expect(problem!.at, text).toBe(Number(at));
    }
    expect(jsonProblem('{"a": [1, 2.5e3, true, null, "\\u00e9"]}')).toBeNull();
    expect(parseArchiveJson('{"a": 1}', 'x.json')).toEqual({ a: 1 });
  });
});

describe('the NYU 2023 archive, read from its .tgz in memory', () => {
  it('reads the same rooms as from its unpacked directory, and has the correct answer in seat B in 290 of 517 rooms', async () => {
    const fromTgz = readNyuArchive(await tgzFiles(ARCHIVE));
    const dir = join(scratch, 'unpacked');
    mkdirSync(dir);
    execFileSync('tar', ['xzf', ARCHIVE, '-C', dir]);
    const fromDir = readNyuArchive(dir);
    expect(fromTgz.rooms.length).toBe(fromDir.rooms.length);
    expect(fromTgz.rooms.map((r) => r.name).sort()).toEqual(fromDir.rooms.map((r) => r.name).sort());
    expect(fromTgz.skipped).toEqual(fromDir.skipped);
    expect(correctSeats(fromTgz.rooms)).toEqual({ rooms: 517, A: 227, B: 290 });
  }, 60_000);
});
