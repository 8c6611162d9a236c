import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProcess, type RunningProcess } from '../../apps/cli/src/run-process.js';
import type { TurnView } from '../../libs/contracts/src/index.js';
import { connectSocket, eventually, http, userKey, type TestApp } from '../support/app.js';
import { protocol, startDebate, worldDisputes } from '../support/factories.js';
import { createTestDatabase } from '../support/postgres.js';

describe('an API process and a separate worker process on one PostgreSQL', () => {
  let api: RunningProcess;
  let worker: RunningProcess;
  let app: TestApp;

  beforeAll(async () => {
    const database = await createTestDatabase();
    const env = { DATABASE_URL: database.url, PORT: '0', LOG_LEVEL: 'warn', TRIBUNAL_DEMO: 'false' };
    api = await startProcess(['api'], env);
    worker = await startProcess(['worker'], env);
    app = {
      running: api,
      url: api.url!,
      adminKey: api.adminKey!,
      databaseUrl: database.url,
      close: async () => {
        await worker.app.close();
        await api.app.close();
        await database.drop();
      },
    };
  });
  afterAll(async () => {
    await app?.close();
  });

  it("delivers a worker's events to sockets held by the API process", async () => {
    const researcher = await userKey(app, 'researcher');
    const judge = await userKey(app, 'judge');
    const { disputes } = await worldDisputes(app, researcher.key, { name: 'split', seed: 2, size: 10 });
    const protocolId = await protocol(app, researcher.key, 'split', { judges: { count: 1, kind: 'human' } });
    const debateId = await startDebate(app, researcher.key, { disputeId: disputes[0]!.id, protocolId });

    // The worker process speaks round 0, then the debate waits for the judge.
    await eventually('round 0', async () => (await http(app, 'GET', `/debates/${debateId}`, judge.key)).body.awaiting?.stage === 'judge-1');
    const observer = connectSocket(app, researcher.key);
    const live: TurnView[] = [];
    observer.on('turn.created', ({ turn }) => live.push(turn));
    const joined = await observer.timeout(5000).emitWithAck('debate.join', { debateId });
    expect(joined.ok && joined.data.turns.map((t: TurnView) => t.index)).toEqual([0, 1]);

    const verdict = await http(app, 'POST', `/debates/${debateId}/verdicts`, judge.key, {
      stage: 'judge-1',
      probabilities: [0.2, 0.2, 0.2, 0.2, 0.2],
    });
    expect(verdict.status, verdict.text).toBe(200);
    // Round 1 is spoken in the worker process; its events cross to the API process through PostgreSQL.
    await eventually('round 1 to stream in', async () => live.length >= 2);
    expect(live.map((t) => [t.index, t.seat])).toEqual([
      [2, 'A'],
      [3, 'B'],
    ]);
    observer.close();
  });

  it('carries a speech too long for one notification by reference', async () => {
    const researcher = await userKey(app, 'researcher');
    const judge = await userKey(app, 'judge');
    const { disputes } = await worldDisputes(app, researcher.key, { name: 'long', seed: 5, size: 5 });
    const protocolId = await protocol(app, researcher.key, 'long-speeches', {
      limits: { chars: 20_000, citations: 3, overLimit: 'truncate' },
      debaters: [{ backend: 'manual' }, { backend: 'builtin' }],
      judges: { count: 1, kind: 'human' },
    });
    const debateId = await startDebate(app, researcher.key, { disputeId: disputes[0]!.id, protocolId, judgeIds: [judge.id] });
    const follower = connectSocket(app, judge.key);
    const live: TurnView[] = [];
    follower.on('turn.created', ({ turn }) => live.push(turn));
    expect(await follower.timeout(5000).emitWithAck('debate.join', { debateId })).toMatchObject({ ok: true });
    const text = `Consider [[s-0-0]]. ${'The room holds what the sensors say. '.repeat(400)}`;
    expect(Buffer.byteLength(text)).toBeGreaterThan(8000);
    const spoken = await http(app, 'POST', `/debates/${debateId}/speeches`, researcher.key, { seat: 'A', text });
    expect(spoken.status, spoken.text).toBe(201);
    await eventually('both speeches of round 0', async () => live.length >= 2);
    expect(live[0]).toMatchObject({ index: 0, seat: 'A', text, citations: [{ evidenceId: 's-0-0', verified: true }] });
    expect(live[1]).toMatchObject({ index: 1, seat: 'B' });
    follower.close();
  });
});
