import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProcess, type RunningProcess } from '../../apps/bootstrap/src/start-process.js';
import { spawnRole, type SpawnedProcess } from '../support/processes.js';
import type { CampaignProgressView } from '#tribunal/contracts';
import { createRng } from '#tribunal/world';
import { connectSocket, eventually, userKey, type TestApp } from '../support/app.js';
import { campaignEnd, protocol, SPEECHES_JUDGE_SPEECHES, startCampaign, worldDisputes } from '../support/factories.js';
import { assignedAnswer, FakeLlm, type ChatRequest } from '../support/fake-llm.js';
import { createTestDatabase } from '../support/postgres.js';

const DEBATES = 100;
const KILLS = 10;
const END = ' [end of speech]';

/** Speeches long enough to be killed mid-stream: about half a second each. */
function speech(request: ChatRequest): { text: string; chunkSize: number; delayMs: number } {
  const id = /\[\[(s-\d+-\d+)\]\]/.exec(request.messages[0]!.content)?.[1] ?? 's-0-0';
  return {
    text: `I hold that the answer is "${assignedAnswer(request)}". ${'The readings agree. '.repeat(6)}See [[${id}]].${END}`,
    chunkSize: 10,
    delayMs: 30,
  };
}

describe('killing workers at random points', () => {
  let llm: FakeLlm;
  let api: RunningProcess;
  let app: TestApp;
  let db: pg.Client;
  let env: Record<string, string>;
  const workers = new Set<SpawnedProcess>();
  const logs = mkdtempSync(join(tmpdir(), 'tribunal-crash-'));
  let started = 0;

  async function startWorker(): Promise<void> {
    const worker = await spawnRole('worker', env, { logFile: join(logs, `worker-${++started}.log`) });
    workers.add(worker);
    void worker.exited.then(() => workers.delete(worker));
  }

  beforeAll(async () => {
    llm = await new FakeLlm(speech).start();
    const database = await createTestDatabase();
    env = {
      DATABASE_URL: database.url,
      LOG_LEVEL: 'warn',
      TRIBUNAL_DEMO: 'false',
      TRIBUNAL_ENDPOINTS: JSON.stringify({ fake: { baseUrl: llm.url, timeoutSeconds: 30 } }),
      TRIBUNAL_JOB_HEARTBEAT_SECONDS: '10',
      TRIBUNAL_QUEUE_SUPERVISE_SECONDS: '1',
      TRIBUNAL_JOB_RETRIES: '30',
      TRIBUNAL_JOB_RETRY_DELAY_SECONDS: '1',
      TRIBUNAL_WORKER_CONCURRENCY: '10',
    };
    api = await startProcess(['api'], { ...env, PORT: '0' });
    app = { running: api, url: api.url!, adminKey: api.adminKey!, databaseUrl: database.url, close: async () => database.drop() };
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
  });
  afterAll(async () => {
    await Promise.all([...workers].map((w) => w.kill()));
    await db?.end();
    await api?.app.close();
    await app?.close();
    await llm?.stop();
  });

  it('finishes every debate of a campaign with no turn lost or duplicated', async () => {
    const researcher = (await userKey(app, 'researcher')).key;
    const { disputes } = await worldDisputes(app, researcher, { name: 'crash', seed: 8, size: DEBATES });
    const protocolId = await protocol(app, researcher, 'crash', {
      ...SPEECHES_JUDGE_SPEECHES,
      debaters: [
        { backend: 'openai', endpoint: 'fake', model: 'debater' },
        { backend: 'openai', endpoint: 'fake', model: 'debater' },
      ],
    });
    const observer = connectSocket(app, researcher);
    const progress: CampaignProgressView[] = [];
    observer.on('campaign.progress', (p) => progress.push(p));
    const campaignId = await startCampaign(app, researcher, {
      name: 'under fire',
      protocolId,
      disputeIds: disputes.map((d) => d.id),
      concurrency: 16,
    });
    const joined = await observer.timeout(5000).emitWithAck('campaign.join', { campaignId });
    expect(joined).toMatchObject({ ok: true, data: { total: DEBATES } });

    // Two workers share the work; one of them, chosen at random, is killed at a random moment, ten times.
    const seed = Date.now() % 100_000;
    const random = createRng(seed);
    await startWorker();
    await startWorker();
    for (let kill = 0; kill < KILLS; kill++) {
      await new Promise((r) => setTimeout(r, 500 + random() * 2000));
      const victims = [...workers];
      await victims[Math.floor(random() * victims.length)]?.kill('SIGKILL');
      await startWorker();
    }
    const killsEnded = new Date();
    const done = await campaignEnd(app, researcher, campaignId, 240_000).catch((error: Error) => {
      throw new Error(`${error.message} (random seed ${seed}, worker logs in ${logs})`);
    });
    expect(done.debates).toEqual({ completed: DEBATES });
    expect(done.waiting).toBe(0);

    const { rows: debates } = await db.query(`SELECT id, status FROM debates WHERE campaign_id = $1`, [campaignId]);
    expect(debates).toHaveLength(DEBATES);
    for (const { id } of debates) {
      const { rows: turns } = await db.query('SELECT index, text FROM turns WHERE debate_id = $1 ORDER BY index', [id]);
      expect(turns.map((t) => t.index)).toEqual([0, 1, 2, 3]);
      // Only whole speeches were kept: none cut short by a killed stream.
      for (const t of turns) expect(t.text.endsWith(END), `turn ${t.index} of ${id}`).toBe(true);
      const { rows: verdicts } = await db.query('SELECT stage FROM verdicts WHERE debate_id = $1 ORDER BY stage', [id]);
      expect(verdicts.map((v) => v.stage)).toEqual(['final', 'judge-1']);
      const { rows: labels } = await db.query(`SELECT count(*)::int AS n FROM labels WHERE provenance -> 'debates' -> 0 ->> 'id' = $1`, [
        id,
      ]);
      expect(labels[0].n).toBeLessThanOrEqual(1);
    }
    expect((await db.query('SELECT count(*)::int AS n FROM speech_drafts')).rows[0].n).toBe(0);
    expect(started).toBe(2 + KILLS);
    // Some speeches were cut off by a kill and asked for again: the kills landed mid-stream.
    expect(llm.speechRequests.length).toBeGreaterThan(DEBATES * 4);
    // Progress was reported live as debates ended, ending with the completed campaign. The end is
    // announced by the worker that completes the campaign, after its commit: when the campaign ended
    // while workers were still being killed, that worker may have died before its notification left,
    // and a client learns of the end as documented, from the state it gets when it (re)joins.
    expect(progress.length).toBeGreaterThan(DEBATES / 2);
    const { rows: ended } = await db.query('SELECT finished_at FROM campaigns WHERE id = $1', [campaignId]);
    if (ended[0].finished_at > killsEnded) {
      await eventually('the last progress event', async () => progress.at(-1)?.status === 'completed');
    } else {
      const rejoined = await observer.timeout(5000).emitWithAck('campaign.join', { campaignId });
      expect(rejoined).toMatchObject({ ok: true, data: { status: 'completed', total: DEBATES } });
    }
    observer.close();
  }, 300_000);
});
