import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JudgeDebateView } from '../../libs/contracts/src/index.js';
import { http, startTestApp, userKey, type TestApp } from '../support/app.js';
import { tribunal } from '../support/cli.js';

const ARCHIVE = join(import.meta.dirname, '../../../shared/data/nyu-debate/nyu-debate-2023.tgz');

interface Row {
  protocol: { name: string };
  stats: { debates: number; judged: number; accuracy: number; meanReward: number };
}

describe('the NYU 2023 archive, imported into PostgreSQL', () => {
  let app: TestApp;
  let researcher: string;
  let report: { datasetId: string; imported: number; skipped: { room: string; reason: string }[] };

  beforeAll(async () => {
    app = await startTestApp();
    researcher = (await userKey(app, 'researcher')).key;
    const imported = await http(app, 'POST', '/datasets/import/nyu', app.adminKey, { path: ARCHIVE, name: 'nyu-2023' });
    expect(imported.status, imported.text).toBe(201);
    report = imported.body;
  }, 300_000);
  afterAll(async () => {
    await app?.close();
  });

  it('imports every complete room, says why it skipped the rest, and imports nothing twice', async () => {
    expect(report.imported).toBeGreaterThan(500);
    expect(report.imported + report.skipped.length).toBe(631);
    expect(report.skipped.every((s) => /status is \w+, not Complete|no judge feedback|no story/.test(s.reason))).toBe(true);
    const again = await http(app, 'POST', '/datasets/import/nyu', app.adminKey, { path: ARCHIVE, name: 'nyu-2023' });
    expect(again.body.imported).toBe(0);
    expect(again.body.skipped.filter((s: { reason: string }) => s.reason === 'already imported')).toHaveLength(report.imported);
    const datasets = (await http(app, 'GET', '/datasets', researcher)).body as { name: string; items: number }[];
    expect(datasets.find((d) => d.name === 'nyu-2023')?.items).toBe(report.imported);
  });

  it('makes imported debates browsable, with their quotations verified and every judge answer kept', async () => {
    const debates = (await http(app, 'GET', '/debates?limit=5', researcher)).body as { id: string; status: string }[];
    expect(debates.every((d) => d.status === 'completed')).toBe(true);
    const view = (await http<JudgeDebateView>(app, 'GET', `/debates/${debates[0]!.id}`, researcher)).body;
    expect(view.answers).toHaveLength(2);
    expect(view.turns.length).toBeGreaterThan(0);
    const quotes = view.turns.flatMap((t) => t.citations.filter((c) => c.kind === 'quote'));
    for (const q of quotes) expect(q.verified).toBe(true);
  });

  it('compares the four settings on the rooms of the paper, over HTTP and from the command line', async () => {
    const rows = (await http<Row[]>(app, 'GET', `/analytics/protocols?datasetId=${report.datasetId}&by=setting&paper=true`, researcher))
      .body;
    expect(rows.map((r) => r.protocol.name)).toEqual(['ai-consultancy', 'ai-debate', 'human-consultancy', 'human-debate']);
    // Every room the paper analysed, and the paper's headline numbers: 84% after human debate, 74% after human consultancy.
    expect(rows.reduce((sum, r) => sum + r.stats.debates, 0)).toBe(413);
    const accuracy = Object.fromEntries(rows.map((r) => [r.protocol.name, r.stats.accuracy]));
    expect(accuracy['human-debate']).toBeCloseTo(0.84, 2);
    expect(accuracy['human-consultancy']).toBeCloseTo(0.74, 2);
    const cli = await tribunal(['analytics', '--dataset', 'nyu-2023', '--by', 'setting', '--paper'], { DATABASE_URL: app.databaseUrl });
    expect(cli.stderr).toBe('');
    expect(cli.stdout).toMatch(/^group\s+debates\s+judged\s+accuracy/);
    for (const row of rows) expect(cli.stdout).toContain(row.protocol.name);
    expect(cli.stdout).toContain(`${(100 * accuracy['human-debate']!).toFixed(1)}%`);
  });

  it("rates the archive's debaters and judges", async () => {
    const debaters = (
      await http<{ debater: string; debates: number; winRate: number; strength: { strength: number; low: number; high: number } | null }[]>(
        app,
        'GET',
        `/analytics/debaters?datasetId=${report.datasetId}&paper=true`,
        researcher,
      )
    ).body;
    const gpt4 = debaters.find((d) => d.debater === 'GPT-4');
    expect(gpt4?.debates).toBeGreaterThan(100);
    expect(gpt4!.winRate).toBeGreaterThan(0);
    expect(
      debaters.filter((d) => d.strength).every((d) => d.strength!.low <= d.strength!.strength && d.strength!.strength <= d.strength!.high),
    ).toBe(true);
    const judges = (
      await http<{ judge: string; debates: number }[]>(app, 'GET', `/analytics/judges?datasetId=${report.datasetId}&paper=true`, researcher)
    ).body;
    expect(judges.length).toBeGreaterThan(5);
    expect(judges.reduce((sum, j) => sum + j.debates, 0)).toBe(413);
    const cli = await tribunal(['analytics', '--of', 'debaters', '--dataset', 'nyu-2023', '--paper'], { DATABASE_URL: app.databaseUrl });
    expect(cli.stdout).toMatch(/^debater\s+debates\s+wins\s+win rate/);
    expect(cli.stdout).toContain('GPT-4');
  });
});
