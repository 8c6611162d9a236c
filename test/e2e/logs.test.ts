import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnRole, type SpawnedProcess } from '../support/processes.js';
import { eventually, http, userKey, type TestApp } from '../support/app.js';
import { protocol, startDebate, worldDisputes } from '../support/factories.js';
import { assignedAnswer, FakeLlm } from '../support/fake-llm.js';
import { createTestDatabase } from '../support/postgres.js';

const DATABASE_PASSWORD = 'db-password-7f3a9c';
const ENDPOINT_KEY = 'sk-endpoint-key-41d2e8';

describe('logs', () => {
  const logs = mkdtempSync(join(tmpdir(), 'tribunal-logs-'));
  const processes: SpawnedProcess[] = [];
  let database: { url: string; drop: () => Promise<void> };
  let llm: FakeLlm;
  let app: TestApp;

  beforeAll(async () => {
    // The endpoint fails every first attempt, so that the worker has something to warn about.
    let calls = 0;
    llm = await new FakeLlm((request) =>
      calls++ % 2 === 0 ? { status: 500 } : { text: `I argue for "${assignedAnswer(request)}".` },
    ).start();
    database = await createTestDatabase();
    const url = new URL(database.url);
    url.password = DATABASE_PASSWORD; // the test server trusts loopback connections, so any password is accepted
    const env = {
      DATABASE_URL: url.toString(),
      LOG_LEVEL: 'verbose',
      LOG_FORMAT: 'json',
      TRIBUNAL_DEMO: 'false',
      TRIBUNAL_ENDPOINTS: JSON.stringify({ fake: { baseUrl: llm.url, apiKey: ENDPOINT_KEY, timeoutSeconds: 5 } }),
      TRIBUNAL_JOB_RETRY_DELAY_SECONDS: '1',
    };
    const api = await spawnRole('api', { ...env, PORT: String(await freePort()) }, { logFile: join(logs, 'api.log'), fresh: true });
    processes.push(api, await spawnRole('worker', env, { logFile: join(logs, 'worker.log') }));
    app = { running: undefined as never, url: api.url!, adminKey: api.adminKey!, databaseUrl: database.url, close: async () => undefined };
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill('SIGTERM')));
    await database?.drop();
    await llm?.stop();
  });

  it('are one JSON record per line with LOG_FORMAT=json, and carry no secret but the first admin key, once', async () => {
    const researcher = await userKey(app, 'researcher');
    const judge = await userKey(app, 'judge');
    const bogus = 'trb_' + 'x'.repeat(43);
    expect((await http(app, 'GET', '/debates', bogus)).status).toBe(401);
    const refused = io(app.url, { auth: { token: bogus }, transports: ['websocket'], reconnection: false, forceNew: true });
    await new Promise((done) => refused.once('connect_error', done));
    refused.close();
    const { disputes } = await worldDisputes(app, researcher.key, { name: 'logs', seed: 4, size: 5 });
    const model = { backend: 'openai' as const, endpoint: 'fake', model: 'debater' };
    const protocolId = await protocol(app, researcher.key, 'logs', { debaters: [model, model] });
    const debateId = await startDebate(app, researcher.key, { disputeId: disputes[0]!.id, protocolId });
    await eventually(
      'the debate to complete',
      async () => (await http(app, 'GET', `/debates/${debateId}`, researcher.key)).body.status === 'completed',
      60_000,
    );
    expect((await http(app, 'GET', '/metrics', app.adminKey)).status).toBe(200);
    await Promise.all(processes.map((p) => p.kill('SIGTERM')));

    const text = ['api.log', 'worker.log'].map((f) => readFileSync(join(logs, f), 'utf8')).join('');
    const records = text
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => {
        try {
          return JSON.parse(line) as { level: string; pid: number; message: unknown; context?: string; timestamp: number };
        } catch {
          throw new Error(`a log line that is not JSON: ${line}`);
        }
      });
    for (const record of records) {
      expect(record.level).toMatch(/^(fatal|error|warn|log|debug|verbose)$/);
      expect(record.timestamp).toEqual(expect.any(Number));
      expect(record.pid).toEqual(expect.any(Number));
      expect(record.message).toBeDefined();
    }
    // The worker's warning about the failing endpoint is there, naming the debate.
    expect(records.some((r) => r.level === 'warn' && String(r.message).includes(debateId))).toBe(true);
    for (const secret of [DATABASE_PASSWORD, ENDPOINT_KEY, researcher.key, judge.key, bogus]) expect(text).not.toContain(secret);
    expect(text.split(app.adminKey).length - 1).toBe(1);
  }, 120_000);
});
