import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AssignmentView, CampaignProgressView, JudgeDebateView } from '#tribunal/contracts';
import { eventually, http, type AnyTestApp } from '../support/app.js';
import { freePort, spawnRole, type SpawnedProcess } from '../support/processes.js';

/** `tribunal start` from the build, as `npm start` runs it. */
const START = ['dist/apps/cli/src/main.js', 'start'];

/** Nest's own start-up lines, which stay out of the default log level. */
const FRAMEWORK = /RouterExplorer|RoutesResolver|InstanceLoader|WebSocketsController|NestApplication|Mapped \{/;

/** The contexts of the loop's progress lines: the demo's own, and those of the services taking each step. */
const STAGE_CONTEXTS = /\[(Demo|CampaignsService|Models|Trainer|Scoring)\]/;

const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

describe('the first start of the embedded default', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tribunal-first-start-'));
  const logs = mkdtempSync(join(tmpdir(), 'tribunal-first-start-logs-'));
  const processes: SpawnedProcess[] = [];
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill('SIGKILL')));
    rmSync(dir, { recursive: true, force: true });
    rmSync(logs, { recursive: true, force: true });
  });

  it('prints the banner last, runs the demo loop in the background (resumed after an interruption), and never again', async () => {
    const env = {
      TRIBUNAL_DATA_DIR: dir,
      PORT: String(await freePort()),
      TRIBUNAL_DEMO_SIZE: '120',
      TRIBUNAL_DEMO_DEBATES: '10',
      TRIBUNAL_JOB_HEARTBEAT_SECONDS: '10',
    };
    const log = (name: string) => plain(readFileSync(join(logs, name), 'utf8'));
    const start = async (name: string, fresh: boolean) => {
      const spawned = await spawnRole('api', env, { logFile: join(logs, name), fresh, args: START });
      processes.push(spawned);
      return spawned;
    };

    // The first start: everything Nest wires is logged at debug, and the banner comes after the start-up lines.
    const first = await start('first.log', true);
    const app: AnyTestApp = { running: undefined as never, url: first.url!, adminKey: first.adminKey!, close: async () => undefined };
    const key = app.adminKey;
    const printed = log('first.log');
    const bannerAt = printed.indexOf('First start: an admin was created');
    expect(bannerAt).toBeGreaterThan(0);
    const bannerEnd = printed.indexOf('\n\n', printed.indexOf(`curl -H "Authorization: Bearer ${key}" ${app.url}/debates`)) + 2;
    const [before, banner] = [printed.slice(0, bannerAt), printed.slice(bannerAt, bannerEnd)];
    expect(before).not.toMatch(FRAMEWORK);
    expect(before).toContain(`web app and API on ${app.url}`);
    for (const page of ['models', 'compare', 'labels']) expect(banner).toContain(`${app.url}/#/${page}`);
    expect(banner).toContain('The demo loop runs in the background');
    expect(banner).toContain('10 audit debates');
    const judgeKey = /debate waiting for it\. Its key:\s+(\S+)/.exec(banner)?.[1];
    expect(judgeKey).toMatch(/^trb_/);

    // Interrupted (Ctrl-C) once the audit round is over and the first model is asked for.
    const datasets = (await http<{ id: string; name: string }[]>(app, 'GET', '/datasets', key)).body;
    expect(datasets.map((d) => d.name)).toEqual(['demo-world']);
    const datasetId = datasets[0]!.id;
    await eventually(
      'the first training job',
      async () => (await http<unknown[]>(app, 'GET', `/training-jobs?datasetId=${datasetId}`, key)).body.length > 0,
      180_000,
    );
    const auditLabels = (await http<{ count: number }>(app, 'GET', '/labels/count', key)).body.count;
    expect(auditLabels).toBeGreaterThan(0);
    // After the banner: the loop's progress, a line or two a step; nothing of start-up, no line for each of the 10 debates.
    await eventually('the log to say so', async () => log('first.log').includes('demo loop: the audit round has ended'));
    const after = log('first.log')
      .slice(bannerEnd)
      .split('\n')
      .filter((line) => line.trim());
    await first.kill('SIGINT');
    expect(after.length).toBeGreaterThan(0);
    expect(after.length).toBeLessThanOrEqual(12);
    for (const line of after) expect(line).toMatch(STAGE_CONTEXTS);

    // The next start is not a first start: no keys, no new demo; the loop carries on where it was.
    const second = await start('second.log', false);
    expect(second.adminKey).toBeNull();
    expect(log('second.log')).not.toContain('First start');
    expect(log('second.log')).not.toMatch(FRAMEWORK);

    // Meanwhile the demo judge judges their debate, stage after stage, to its end.
    const judged = await eventually(
      'the demo judge to finish their debate',
      async () => {
        const [assignment] = (await http<AssignmentView[]>(app, 'GET', '/assignments', judgeKey)).body;
        if (!assignment) throw new Error('the demo judge has no debate');
        if (assignment.status === 'completed') return assignment;
        if (assignment.awaiting) {
          const view = (await http<JudgeDebateView>(app, 'GET', `/debates/${assignment.debateId}`, judgeKey)).body;
          const sure = view.answers.map((_, i) => (i === 0 ? 1 : 0));
          const answer = await http(app, 'POST', `/debates/${assignment.debateId}/verdicts`, judgeKey, {
            stage: assignment.awaiting,
            probabilities: assignment.awaiting === 'final' ? sure : view.answers.map(() => 1 / view.answers.length),
          });
          expect([200, 409], answer.text).toContain(answer.status);
        }
        return undefined;
      },
      180_000,
    );
    expect(judged.status).toBe('completed');

    await eventually('the demo loop to end', async () => log('second.log').includes('demo loop: done'), 300_000);
    expect(log('second.log')).not.toContain('demo loop stopped');
    const state = async () => ({
      campaigns: (await http<{ id: string; name: string; status: string }[]>(app, 'GET', '/campaigns', key)).body,
      jobs: (await http<{ status: string; modelVersionId: string }[]>(app, 'GET', `/training-jobs?datasetId=${datasetId}`, key)).body,
      versions: (await http<{ id: string; status: string; evaluation: any }[]>(app, 'GET', `/models?datasetId=${datasetId}`, key)).body,
      runs: (
        await http<{ status: string; scored: number; disputesCreated: number }[]>(app, 'GET', `/scoring-runs?datasetId=${datasetId}`, key)
      ).body,
      labels: (await http<{ count: number }>(app, 'GET', '/labels/count', key)).body.count,
      datasets: (await http<unknown[]>(app, 'GET', '/datasets', key)).body.length,
    });
    const done = await state();
    // A first model: one version, active, with its held-out figures (what the Models page shows).
    expect(done.jobs.map((j) => j.status)).toEqual(['completed']);
    expect(done.versions).toHaveLength(1);
    const [version] = done.versions;
    expect(version!.id).toBe(done.jobs[0]!.modelVersionId);
    expect(version!.status).toBe('active');
    const { heldOut, simpleWrong } = version!.evaluation;
    expect(heldOut.items).toBeGreaterThan(0);
    for (const head of ['intended', 'instrumental', 'baseline']) expect(heldOut[head].accuracy).toEqual(expect.any(Number));
    expect(simpleWrong.items).toBeGreaterThanOrEqual(0);
    // The dataset re-scored with it, and disputes chosen by the model.
    expect(done.runs).toHaveLength(1);
    expect(done.runs[0]).toMatchObject({ status: 'completed', scored: 120 });
    expect(done.runs[0]!.disputesCreated).toBeGreaterThan(0);
    // The second round debated every one of them.
    expect(done.campaigns.map((c) => [c.name, c.status]).sort()).toEqual([
      ['demo-audit', 'completed'],
      ['demo-model-chosen', 'completed'],
    ]);
    const secondRound = done.campaigns.find((c) => c.name === 'demo-model-chosen')!;
    const progress = (await http<CampaignProgressView>(app, 'GET', `/campaigns/${secondRound.id}`, key)).body;
    expect(progress.total).toBe(done.runs[0]!.disputesCreated);
    expect(progress.waiting).toBe(0);
    expect(progress.debates.completed).toBeGreaterThan(0);
    // The labels grew past the audit round's, and the Compare page has numbers.
    expect(done.labels).toBeGreaterThan(auditLabels);
    const compared = (
      await http<{ protocol: { name: string }; stats: { debates: number; accuracy: number | null } }[]>(
        app,
        'GET',
        '/analytics/protocols',
        key,
      )
    ).body;
    const simulated = compared.find((c) => c.protocol.name === 'default-debate');
    expect(simulated?.stats.debates).toBeGreaterThan(10);
    expect(simulated?.stats.accuracy).toEqual(expect.any(Number));
    await second.kill('SIGINT');

    // A third start does nothing of the demo again. (A look of the loop's that the stop interrupted
    // is run again, finds the loop done and takes no step.) Once no demo job is left, the rows are the same.
    const third = await start('third.log', false);
    expect(third.adminKey).toBeNull();
    await eventually(
      'no demo job left in the queue',
      async () => {
        const metrics = (await http(app, 'GET', '/metrics', key)).text;
        return ['queued', 'active'].every((s) => metrics.includes(`tribunal_queue_jobs{queue="demo.advance",state="${s}"} 0`));
      },
      120_000,
    );
    expect(await state()).toEqual(done);
    for (const step of ['training a first model', 'promoting it', 'second round']) expect(log('third.log')).not.toContain(step);
    await third.kill('SIGINT');
  }, 900_000);
});
