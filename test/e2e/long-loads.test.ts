import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openArchive } from '#tribunal/archive';
import { http, sql, startTestApp, TEST_DATABASES, type AnyTestApp } from '../support/app.js';

const ARCHIVE = join(import.meta.dirname, '../../../shared/data/nyu-debate/nyu-debate-2023.tgz');
/** Rooms of the archive the import test brings in: enough for many polls, few enough to be quick. */
const ROOMS = 120;

/** The first rooms of the NYU archive, unpacked into a directory archive of their own. */
async function smallArchive(dir: string): Promise<void> {
  const files = await openArchive(ARCHIVE);
  const lines = files.read('debates-metadata.jsonl')!.split('\n').filter(Boolean).slice(0, ROOMS);
  mkdirSync(join(dir, 'debates/official'), { recursive: true });
  writeFileSync(join(dir, 'debates-metadata.jsonl'), lines.join('\n') + '\n');
  for (const name of files.list('debates/official')) {
    if (lines.some((line) => line.includes(`"${name.replace(/\.json$/, '')}"`)))
      writeFileSync(join(dir, 'debates/official', name), files.read(`debates/official/${name}`)!);
  }
}

interface Listed {
  id: string;
  name: string;
  status: 'loading' | 'ready';
  items: number;
  loading?: { done: number; total: number };
}

/**
 * Polls the dataset list while `work` runs: what other users are answered during a long load. On
 * the embedded database (one session, one event loop) a load written as one block answers nobody
 * until it is done.
 */
async function listedDuring(app: AnyTestApp, work: Promise<unknown>): Promise<Listed[][]> {
  let finished = false;
  void work.finally(() => (finished = true));
  const seen: Listed[][] = [];
  while (!finished) {
    const listed = await http<Listed[]>(app, 'GET', '/datasets', app.adminKey);
    expect(listed.status, listed.text).toBe(200);
    if (!finished) seen.push(listed.body);
  }
  await work;
  return seen;
}

describe.each(TEST_DATABASES)('long loads on the %s database: others are served meanwhile, and nothing half-loaded is used', (database) => {
  let app: AnyTestApp;
  const imports = mkdtempSync(join(tmpdir(), 'tribunal-imports-'));

  beforeAll(async () => {
    await smallArchive(join(imports, 'nyu-small'));
    app = await startTestApp({ TRIBUNAL_IMPORT_DIR: imports }, { database });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(imports, { recursive: true, force: true });
  });

  it('lists an upload as loading, with its progress, while it is written, and answers others meanwhile', async () => {
    const total = 6000;
    const items = Array.from({ length: total }, (_, i) => ({
      externalId: `item-${i}`,
      question: `Which is it, ${i}? ${'Some context. '.repeat(20)}`,
      answers: ['yes', 'no'],
      simpleLabel: i % 2,
    }));
    const upload = http<{ id: string; status: string; items: number }>(app, 'POST', '/datasets', app.adminKey, {
      name: 'big-upload',
      items,
    });
    const seen = await listedDuring(app, upload);
    const loading = seen.flatMap((list) => list.filter((d) => d.name === 'big-upload' && d.status === 'loading'));
    expect(loading.length, 'polls answered while the upload was being written').toBeGreaterThan(0);
    for (const d of loading) expect(d.loading).toEqual({ total, done: d.items });
    expect(loading.some((d) => d.items < total)).toBe(true);
    const done = await upload;
    expect(done.status, done.text).toBe(201);
    expect(done.body).toMatchObject({ status: 'ready', items: total });
    const listed = (await http<Listed[]>(app, 'GET', '/datasets', app.adminKey)).body.find((d) => d.name === 'big-upload')!;
    expect(listed).toMatchObject({ status: 'ready', items: total });
    expect(listed.loading).toBeUndefined();
    expect((await http(app, 'POST', '/datasets', app.adminKey, { name: 'big-upload', items: items.slice(0, 2) })).status).toBe(409);
  }, 120_000);

  it('keeps a dataset that is still loading from every operation, and removes one whose load was abandoned', async () => {
    // A load in progress in another process (its lease runs), and one whose process died (its lease ran out).
    const [live] = await sql<{ id: string }>(
      app,
      `INSERT INTO datasets (name, source, status, loading_total, loading_until) VALUES ('live-load', 'upload', 'loading', 10, now() + interval '1 minute') RETURNING id`,
    );
    const [dead] = await sql<{ id: string }>(
      app,
      `INSERT INTO datasets (name, source, status, loading_total, loading_until) VALUES ('dead-load', 'upload', 'loading', 10, now() - interval '1 second') RETURNING id`,
    );
    for (const { id } of [live, dead]) {
      await sql(
        app,
        `INSERT INTO items (dataset_id, external_id, context, evidence, question, answers, simple_label) VALUES ($1, 'x', '{}', '[]', 'q?', '["a","b"]', 0)`,
        [id],
      );
      const refused = await http(app, 'POST', `/datasets/${id}/disputes`, app.adminKey, { auditFraction: 1 });
      expect(refused.status, refused.text).toBe(404);
      expect((await http(app, 'GET', `/datasets/${id}/items`, app.adminKey)).status).toBe(404);
    }
    const names = (await http<Listed[]>(app, 'GET', '/datasets', app.adminKey)).body.map((d) => [d.name, d.status]);
    expect(names).toContainEqual(['live-load', 'loading']);
    expect(names.map(([name]) => name)).not.toContain('dead-load');
    // The live load keeps its name; the abandoned one gives it up, and the next load removes it, items and all.
    const one = [{ externalId: 'y', question: 'q?', answers: ['a', 'b'] }];
    expect((await http(app, 'POST', '/datasets', app.adminKey, { name: 'live-load', items: one })).status).toBe(409);
    const reused = await http(app, 'POST', '/datasets', app.adminKey, { name: 'dead-load', items: one });
    expect(reused.status, reused.text).toBe(201);
    expect(await sql(app, `SELECT count(*)::int AS n FROM items WHERE dataset_id = $1`, [dead.id])).toEqual([{ n: 0 }]);
    expect(await sql(app, `SELECT count(*)::int AS n FROM datasets WHERE id = $1`, [dead.id])).toEqual([{ n: 0 }]);
  });

  it('answers others between the rooms of an archive import', async () => {
    const importing = http<{ imported: number }>(app, 'POST', '/datasets/import/nyu', app.adminKey, {
      path: 'nyu-small',
      name: 'nyu-import',
    });
    const seen = await listedDuring(app, importing);
    const counts = seen.flatMap((list) => list.filter((d) => d.name === 'nyu-import').map((d) => d.items));
    // Polls answered while rooms were still being written: fewer items than the import ends with.
    const done = await importing;
    expect(done.status, done.text).toBe(201);
    expect(done.body.imported).toBeGreaterThan(ROOMS / 2);
    expect(counts.some((n) => n < done.body.imported)).toBe(true);
  }, 180_000);
});
