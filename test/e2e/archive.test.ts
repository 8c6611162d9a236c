import { execFileSync } from 'node:child_process';
import { copyFileSync, linkSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DebateSourcesView, JudgeDebateView } from '#tribunal/contracts';
import { http, startTestApp, userKey, type TestApp } from '../support/app.js';
import { tribunal } from '../support/cli.js';

const ARCHIVE = join(import.meta.dirname, '../../../shared/data/nyu-debate/nyu-debate-2023.tgz');
const SECRET = 'SECRET-CONTENT-4711';
const META = JSON.stringify({ name: 'r1', setting: { isHuman: true, isDebate: true }, status: { Complete: {} } });

/** The import directory the API may read: a copy of the archive, and archives that must be refused. */
function importDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tribunal-import-test-'));
  copyFileSync(ARCHIVE, join(dir, 'nyu-debate-2023.tgz'));
  const layout = (name: string, files: Record<string, string | ((path: string) => void)>, pack: boolean) => {
    const root = join(dir, pack ? `.${name}` : name);
    mkdirSync(join(root, 'debates', 'official'), { recursive: true });
    for (const [path, content] of Object.entries(files)) {
      if (typeof content === 'string') writeFileSync(join(root, path), content);
      else content(join(root, path));
    }
    if (pack) {
      execFileSync('tar', ['czf', join(dir, `${name}.tgz`), '-C', root, '.']);
      rmSync(root, { recursive: true });
    }
  };
  layout('passwd-link', { 'debates-metadata.jsonl': (p) => symlinkSync('/etc/passwd', p) }, true);
  layout('passwd-link-dir', { 'debates-metadata.jsonl': (p) => symlinkSync('/etc/passwd', p) }, false);
  layout(
    'hard-link',
    {
      'debates-metadata.jsonl': META,
      'debates/official/r1.json': '{}',
      'debates/official/r2.json': (p) => linkSync(join(p, '../r1.json'), p),
    },
    true,
  );
  layout('malformed', { 'debates-metadata.jsonl': META, 'debates/official/r1.json': `{"setup": ${SECRET}}` }, true);
  writeFileSync(join(dir, 'corrupt.tgz'), SECRET);
  symlinkSync(dirname(ARCHIVE), join(dir, 'escape'));
  return dir;
}

const unpacked = () => readdirSync(tmpdir()).filter((name) => name.startsWith('tribunal-archive-')).length;

interface Row {
  protocol: { name: string };
  stats: { debates: number; judged: number; accuracy: number; meanReward: number; meanContinues: number; meanSpeechRounds: number };
}

describe('the NYU 2023 archive, imported into PostgreSQL', () => {
  let app: TestApp;
  let researcher: string;
  let report: {
    datasetId: string;
    imported: number;
    skipped: { room: string; reason: string }[];
    correctSeat: { rooms: number; A: number; B: number };
    protocols: Record<string, string[]>;
  };
  let dir: string;

  beforeAll(async () => {
    dir = importDir();
    app = await startTestApp({ TRIBUNAL_IMPORT_DIR: dir });
    researcher = (await userKey(app, 'researcher')).key;
    const imported = await http(app, 'POST', '/datasets/import/nyu', app.adminKey, {
      path: join(dir, 'nyu-debate-2023.tgz'),
      name: 'nyu-2023',
    });
    expect(imported.status, imported.text).toBe(201);
    report = imported.body;
  }, 300_000);
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports every complete room, says why it skipped the rest, and imports nothing twice', async () => {
    expect(report.imported).toBeGreaterThan(500);
    expect(report.imported + report.skipped.length).toBe(631);
    expect(report.skipped.every((s) => /status is \w+, not Complete|no judge feedback|no story/.test(s.reason))).toBe(true);
    const again = await http(app, 'POST', '/datasets/import/nyu', app.adminKey, {
      path: 'nyu-debate-2023.tgz',
      name: 'nyu-2023',
    });
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

  it("places an imported debate's quotations in its story for observers, and keeps the story from its judges' view", async () => {
    const debates = (await http(app, 'GET', '/debates?limit=20', researcher)).body as { id: string }[];
    const views = await Promise.all(
      debates.map(async (d) => (await http<JudgeDebateView>(app, 'GET', `/debates/${d.id}`, researcher)).body),
    );
    const view = views.find((v) => v.turns.some((t) => t.citations.length > 0))!;
    const sources = (await http<DebateSourcesView>(app, 'GET', `/debates/${view.id}/sources`, researcher)).body;
    const story = sources.evidence.find((unit) => unit.id === 'story')!.text;
    const quotes = view.turns
      .flatMap((t) => t.citations.map((c) => ({ turn: t.index, at: c.at, excerpt: c.excerpt })))
      .sort((a, b) => a.turn - b.turn || a.at![0] - b.at![0]);
    expect(sources.quotes.map((q) => ({ turn: q.turn, at: q.at }))).toEqual(quotes.map((q) => ({ turn: q.turn, at: q.at })));
    sources.quotes.forEach((q, i) => expect(story.slice(q.span[0], q.span[1])).toBe(quotes[i]!.excerpt));
    expect(view.context).toEqual({ kind: 'passage-hidden', title: expect.any(String) });
    expect(JSON.stringify(view)).not.toContain(story.slice(0, 80));
  });

  it('compares the four settings on the rooms of the paper, over HTTP and from the command line', async () => {
    const rows = (await http<Row[]>(app, 'GET', `/analytics/protocols?datasetId=${report.datasetId}&by=setting&paper=true`, researcher))
      .body;
    expect(rows.map((r) => r.protocol.name)).toEqual(['ai-consultancy', 'ai-debate', 'human-consultancy', 'human-debate']);
    // Every room the paper analysed, and the paper's headline numbers: 84% after human debate, 74% after human consultancy.
    expect(rows.reduce((sum, r) => sum + r.stats.debates, 0)).toBe(413);
    const stats = Object.fromEntries(rows.map((r) => [r.protocol.name, r.stats]));
    // 130 of 154 human debates end on the truth; of 96 human consultancies 71 do, and one ends in a
    // 0.5/0.5 tie, counted half right as the paper counts ties: 71.5 / 96 = 74.5% (74.0% were the tie
    // counted wrong); both are the paper's 74%.
    expect(stats['human-debate']!.accuracy).toBeCloseTo(130 / 154, 12);
    expect(stats['human-consultancy']!.accuracy).toBeCloseTo(71.5 / 96, 12);
    expect(stats['human-debate']!.accuracy).toBeCloseTo(0.84, 2);
    expect(stats['human-consultancy']!.accuracy).toBeCloseTo(0.74, 2);
    // Judge continues, the paper's "rounds", as the archive records them (each room's numContinues):
    // 2.75 per human debate against 4.02 per human consultancy, the paper's "68% of the length".
    expect(stats['human-debate']!.meanContinues).toBeCloseTo(423 / 154, 12);
    expect(stats['human-consultancy']!.meanContinues).toBeCloseTo(386 / 96, 12);
    expect(stats['human-debate']!.meanContinues / stats['human-consultancy']!.meanContinues).toBeCloseTo(0.68, 2);
    const cli = await tribunal(['analytics', '--dataset', 'nyu-2023', '--by', 'setting', '--paper'], { DATABASE_URL: app.databaseUrl });
    expect(cli.stderr).toBe('');
    expect(cli.stdout).toMatch(/^group\s+debates\s+judged\s+accuracy\s+ECE\s+Brier\s+reward\s+info gain\s+alpha\s+speeches\s+continues/);
    for (const row of rows) expect(cli.stdout).toContain(row.protocol.name);
    expect(cli.stdout).toMatch(/^human-debate\s+154\s+154\s+84\.4%.*\s2\.75\s+\d+$/m);
    expect(cli.stdout).toMatch(/^human-consultancy\s+96\s+96\s+74\.5%.*\s4\.02\s+\d+$/m);
    // --json: the rows GET /analytics/protocols answers, figure for figure, and nothing else on standard output.
    const json = await tribunal(['analytics', '--dataset', 'nyu-2023', '--by', 'setting', '--paper', '--json'], {
      DATABASE_URL: app.databaseUrl,
    });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(rows);
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
    const env = { DATABASE_URL: app.databaseUrl };
    const debatersJson = await tribunal(['analytics', '--of', 'debaters', '--dataset', 'nyu-2023', '--paper', '--json'], env);
    expect(JSON.parse(debatersJson.stdout)).toEqual(debaters);
    const judgesJson = await tribunal(['analytics', '--of', 'judges', '--dataset', 'nyu-2023', '--paper', '--json'], env);
    expect(JSON.parse(judgesJson.stdout)).toEqual(judges);
  });

  it('reports an import on the command line as JSON with --json, the shape the API answers', async () => {
    const cli = await tribunal(['import', 'nyu', join(dir, 'nyu-debate-2023.tgz'), '--name', 'nyu-2023', '--json'], {
      DATABASE_URL: app.databaseUrl,
    });
    expect(cli.code).toBe(0);
    const again = JSON.parse(cli.stdout) as typeof report;
    expect(again.datasetId).toBe(report.datasetId);
    expect(again.imported).toBe(0);
    expect(again.skipped.filter((s) => s.reason === 'already imported')).toHaveLength(report.imported);
    expect(again.correctSeat).toEqual(report.correctSeat);
  });

  it("reports the archive's own balance of seats: the correct answer is in seat B in 290 of 517 rooms", () => {
    expect(report.correctSeat).toEqual({ rooms: 517, A: 227, B: 290 });
  });

  it("seats a new debate on an archive item by the item's hash, not by the archive's seats", async () => {
    const judge = await userKey(app, 'judge');
    const protocolId = report.protocols['human-debate']![0]!;
    const disputes = (await http<{ id: string; itemId: string }[]>(app, 'GET', `/datasets/${report.datasetId}/disputes`, researcher)).body;
    const items = (
      await http<{ id: string; groundTruth: number }[]>(app, 'GET', `/datasets/${report.datasetId}/items?limit=1000`, researcher)
    ).body;
    const truth = new Map(items.map((i) => [i.id, i.groundTruth]));
    // Rooms where the archive had the correct answer in seat B: re-judged, it lands in either seat.
    const chosen = disputes.filter((d) => truth.get(d.itemId) === 1).slice(0, 40);
    expect(chosen).toHaveLength(40);
    const correctSeats: string[] = [];
    for (const dispute of chosen) {
      const started = await http<{ seats: { seat: string; answer: number }[] }>(app, 'POST', '/debates', researcher, {
        disputeId: dispute.id,
        protocolId,
        judgeIds: [judge.id],
      });
      expect(started.status, started.text).toBe(201);
      expect(started.body.seats.map((s) => s.answer).sort()).toEqual([0, 1]);
      correctSeats.push(started.body.seats.find((s) => s.answer === 1)!.seat);
    }
    const inB = correctSeats.filter((seat) => seat === 'B').length;
    // Drawn from a hash: about half each way (12 to 28 of 40 holds for a fair coin 99% of the time), never all in B.
    expect(inB).toBeGreaterThanOrEqual(12);
    expect(inB).toBeLessThanOrEqual(28);
  });

  it('refuses an archive holding a link, naming the entry, and reads nothing through it', async () => {
    for (const name of ['passwd-link.tgz', 'passwd-link-dir']) {
      const refused = await http(app, 'POST', '/datasets/import/nyu', app.adminKey, { path: join(dir, name), name: 'links' });
      expect(refused.status, refused.text).toBe(400);
      expect(refused.body.message).toMatch(/entry "debates-metadata\.jsonl" is a symbolic link: archives holding links are refused/);
      expect(refused.text).not.toContain('root:');
    }
    const hard = await http(app, 'POST', '/datasets/import/nyu', app.adminKey, { path: join(dir, 'hard-link.tgz'), name: 'links' });
    expect(hard.status, hard.text).toBe(400);
    expect(hard.body.message).toMatch(/entry "debates\/official\/r[12]\.json" is a hard link/);
    const datasets = (await http(app, 'GET', '/datasets', researcher)).body as { name: string }[];
    expect(datasets.map((d) => d.name)).not.toContain('links');
  });

  it('reads only below the import directory, and answers alike for a path outside it and a missing one', async () => {
    const outside = [
      '../x.tgz',
      '/etc/passwd',
      '/etc',
      ARCHIVE,
      'escape/nyu-debate-2023.tgz',
      '/nonexistent/a.tgz',
      'missing.tgz',
      `${dir}/../x`,
    ];
    const answers = [];
    for (const path of outside) {
      const refused = await http(app, 'POST', '/datasets/import/nyu', app.adminKey, { path, name: 'outside' });
      expect(refused.status, `${path}: ${refused.text}`).toBe(400);
      expect(refused.body.message).toBe(
        `no archive at "${path}" in the import directory: give a path inside the server's TRIBUNAL_IMPORT_DIR`,
      );
      answers.push(refused.text.replaceAll(JSON.stringify(path).slice(1, -1), 'PATH'));
    }
    expect(new Set(answers).size).toBe(1);
  });

  it('names a malformed file and where it breaks, without quoting it', async () => {
    const refused = await http(app, 'POST', '/datasets/import/nyu', app.adminKey, { path: join(dir, 'malformed.tgz'), name: 'malformed' });
    expect(refused.status, refused.text).toBe(400);
    expect(refused.body.message).toBe(
      `cannot import the archive at ${join(dir, 'malformed.tgz')}: debates/official/r1.json is not valid JSON: an unexpected character at line 1, column 11 (character 10)`,
    );
    expect(refused.text).not.toContain('SECRET');
  });

  it('leaves nothing unpacked behind when an import fails', async () => {
    const before = unpacked();
    for (const name of ['corrupt.tgz', 'malformed.tgz', 'passwd-link.tgz']) {
      const refused = await http(app, 'POST', '/datasets/import/nyu', app.adminKey, { path: join(dir, name), name: 'failed' });
      expect(refused.status, refused.text).toBe(400);
    }
    expect(unpacked()).toBe(before);
    const corrupt = await http(app, 'POST', '/datasets/import/nyu', app.adminKey, { path: 'corrupt.tgz', name: 'failed' });
    expect(corrupt.body.message).toBe('cannot import the archive at corrupt.tgz: not a gzipped tar archive (Z_DATA_ERROR)');
    expect(corrupt.text).not.toContain('SECRET');
  });
});

describe('the NYU import over HTTP with no import directory configured', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('refuses every server path, saying how an operator allows it', async () => {
    for (const path of [ARCHIVE, '/etc/passwd', 'nyu-debate-2023.tgz']) {
      const refused = await http(app, 'POST', '/datasets/import/nyu', app.adminKey, { path, name: 'nyu-2023' });
      expect(refused.status, refused.text).toBe(403);
      expect(refused.body.message).toMatch(/importing from the server's file system is off: an operator sets TRIBUNAL_IMPORT_DIR/);
    }
  });
});
