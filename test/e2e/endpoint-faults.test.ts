import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '#tribunal/world';
import { startTestApp, userKey, type TestApp } from '../support/app.js';
import { campaignEnd, protocol, SPEECHES_JUDGE_SPEECHES, startCampaign, worldDisputes } from '../support/factories.js';
import { assignedAnswer, FakeLlm, firstEvidenceId, type ChatRequest, type Reply } from '../support/fake-llm.js';

const DEBATES = 40;
const FAULT_RATE = 0.3;
const END = ' [end of speech]';

/** Every kind of failure an endpoint shows, one drawn at random for 30% of requests. */
const FAULTS: Reply[] = [
  { status: 500 },
  { status: 503 },
  { status: 429 },
  { hang: true },
  { malformedAfter: 1, text: 'I hold that the readings settle it.' },
  { closeAfter: 2, text: 'I hold that the readings settle it.' },
];

describe('a debater and judge endpoint failing 30% of requests', () => {
  let llm: FakeLlm;
  let app: TestApp;
  let db: pg.Client;
  const random = createRng(30);
  let faults = 0;

  function reply(request: ChatRequest): Reply {
    if (random() < FAULT_RATE) {
      faults++;
      const fault = FAULTS[Math.floor(random() * FAULTS.length)]!;
      // A judge's non-streamed reply that is not the JSON it was asked for (from a server that ignores the schema).
      return !request.stream && fault.malformedAfter !== undefined ? { text: 'I think it is the kitchen.', unconstrained: true } : fault;
    }
    if (!request.stream) {
      const answers = [...request.messages[0]!.content.matchAll(/^(\d+): "/gm)].length || 5;
      const probabilities = Array.from({ length: answers }, (_, i) => (i === 0 ? 0.6 : 0.4 / (answers - 1)));
      return { text: JSON.stringify({ probabilities, note: 'the first reading settles it' }) };
    }
    return {
      text: `I hold that the answer is "${assignedAnswer(request)}", as [[${firstEvidenceId(request)}]] shows.${END}`,
      chunkSize: 20,
    };
  }

  beforeAll(async () => {
    llm = await new FakeLlm(reply).start();
    app = await startTestApp({
      TRIBUNAL_ENDPOINTS: JSON.stringify({ fake: { baseUrl: llm.url, timeoutSeconds: 3 } }),
      TRIBUNAL_JOB_RETRIES: '2',
      TRIBUNAL_JOB_RETRY_DELAY_SECONDS: '1',
      TRIBUNAL_WORKER_CONCURRENCY: '16',
      // Every fault is logged as a warning; hundreds of them would bury the test's output.
      LOG_LEVEL: 'error',
    });
    db = new pg.Client({ connectionString: app.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
    await llm?.stop();
  });

  it('ends every debate of a campaign: completed in full, or failed with the reason', async () => {
    const researcher = (await userKey(app, 'researcher')).key;
    const { disputes } = await worldDisputes(app, researcher, { name: 'faults', seed: 30, size: DEBATES });
    const model = { backend: 'openai' as const, endpoint: 'fake', model: 'debater' };
    const protocolId = await protocol(app, researcher, 'faults', {
      ...SPEECHES_JUDGE_SPEECHES,
      speechTimeoutSeconds: 2,
      debaters: [model, model],
      judges: { count: 1, kind: 'llm', endpoint: 'fake', model: 'judge' },
    });
    const campaignId = await startCampaign(app, researcher, {
      name: 'faults',
      protocolId,
      disputeIds: disputes.map((d) => d.id),
      concurrency: 16,
    });
    const done = await campaignEnd(app, researcher, campaignId, 240_000);

    const { rows: debates } = await db.query(`SELECT id, status, failure_reason FROM debates WHERE campaign_id = $1`, [campaignId]);
    expect(debates).toHaveLength(DEBATES);
    const completed = debates.filter((d) => d.status === 'completed');
    const failed = debates.filter((d) => d.status === 'failed');
    expect(completed.length + failed.length).toBe(DEBATES);
    expect(done.debates).toEqual({
      ...(completed.length ? { completed: completed.length } : {}),
      ...(failed.length ? { failed: failed.length } : {}),
    });
    for (const debate of failed) expect(debate.failure_reason, debate.id).toMatch(/^gave up after 3 attempts: .+/);
    for (const debate of completed) {
      const { rows: turns } = await db.query('SELECT index, text FROM turns WHERE debate_id = $1 ORDER BY index', [debate.id]);
      expect(turns.map((t) => t.index)).toEqual([0, 1, 2, 3]);
      for (const t of turns) expect(t.text.endsWith(END), `turn ${t.index} of ${debate.id}`).toBe(true);
      const { rows: verdicts } = await db.query('SELECT stage FROM verdicts WHERE debate_id = $1 ORDER BY stage', [debate.id]);
      expect(verdicts.map((v) => v.stage)).toEqual(['final', 'judge-1']);
    }
    // Labels come from completed debates only.
    const { rows: labelled } = await db.query(`SELECT DISTINCT provenance -> 'debates' -> 0 ->> 'id' AS id FROM labels`);
    for (const { id } of labelled) expect(completed.map((d) => d.id)).toContain(id);
    expect(completed.length).toBeGreaterThan(DEBATES / 2);
    // The faults were real: about 30% of the requests the endpoint saw (bounds five standard deviations out).
    expect(faults / llm.requests.length).toBeGreaterThan(0.15);
    expect(faults / llm.requests.length).toBeLessThan(0.45);
  }, 300_000);
});
