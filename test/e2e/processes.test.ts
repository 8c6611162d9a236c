import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnRole, type SpawnedProcess } from '../support/processes.js';
import type { TurnView } from '#tribunal/contracts';
import { PUBLISHER_NAME } from '#tribunal/core';
import pg from 'pg';
import { connectSocket, eventually, http, userKey, type TestApp } from '../support/app.js';
import { protocol, startDebate, worldDisputes } from '../support/factories.js';
import { createTestDatabase } from '../support/postgres.js';

describe('two API processes and two worker processes on one PostgreSQL', () => {
  const processes: SpawnedProcess[] = [];
  const logs = mkdtempSync(join(tmpdir(), 'tribunal-processes-'));
  let database: { url: string; drop: () => Promise<void> };
  /** The API process judges connect to, and the one researchers talk to. */
  let app: TestApp;
  let other: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { DATABASE_URL: database.url, LOG_LEVEL: 'warn', TRIBUNAL_DEMO: 'false' };
    const first = await spawnRole('api', { ...env, PORT: String(await freePort()) }, { logFile: join(logs, 'api-1.log'), fresh: true });
    const second = await spawnRole('api', { ...env, PORT: String(await freePort()) }, { logFile: join(logs, 'api-2.log') });
    processes.push(first, second);
    for (const n of [1, 2]) processes.push(await spawnRole('worker', env, { logFile: join(logs, `worker-${n}.log`) }));
    const base = { running: undefined as never, adminKey: first.adminKey!, databaseUrl: database.url, close: async () => undefined };
    app = { ...base, url: first.url! };
    other = { ...base, url: second.url! };
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill('SIGTERM')));
    await database?.drop();
  });

  it('delivers to a judge on one API process the events of debates driven through the other', async () => {
    const researcher = await userKey(other, 'researcher');
    const judge = await userKey(other, 'judge');
    const { disputes } = await worldDisputes(other, researcher.key, { name: 'split', seed: 2, size: 10 });
    const protocolId = await protocol(other, researcher.key, 'split', { judges: { count: 1, kind: 'human' } });
    const debateId = await startDebate(other, researcher.key, { disputeId: disputes[0]!.id, protocolId, judgeIds: [judge.id] });

    // A worker speaks round 0, then the debate waits for the judge.
    await eventually(
      'round 0',
      async () => (await http(other, 'GET', `/debates/${debateId}`, judge.key)).body.awaiting?.stage === 'judge-1',
    );
    const follower = connectSocket(app, judge.key);
    const observer = connectSocket(other, researcher.key);
    const live: TurnView[] = [];
    const observed: TurnView[] = [];
    const statuses: string[] = [];
    follower.on('turn.created', ({ turn }) => live.push(turn));
    follower.on('debate.status', ({ status }) => statuses.push(status));
    observer.on('turn.created', ({ turn }) => observed.push(turn));
    const joined = await follower.timeout(5000).emitWithAck('debate.join', { debateId });
    expect(joined.ok && joined.data.turns.map((t: TurnView) => t.index)).toEqual([0, 1]);
    expect(await observer.timeout(5000).emitWithAck('debate.join', { debateId })).toMatchObject({ ok: true });

    // The judge answers through the socket it holds on the first API process.
    const verdict = await follower
      .timeout(5000)
      .emitWithAck('verdict.submit', { debateId, stage: 'judge-1', probabilities: [0.2, 0.2, 0.2, 0.2, 0.2] });
    expect(verdict, JSON.stringify(verdict)).toMatchObject({ ok: true });
    // Round 1 is spoken by a worker; its events reach the sockets of both API processes through PostgreSQL.
    await eventually('round 1 to stream in', async () => live.length >= 2 && observed.length >= 2);
    for (const turns of [live, observed]) {
      expect(turns.map((t) => [t.index, t.seat])).toEqual([
        [2, 'A'],
        [3, 'B'],
      ]);
    }
    expect(live).toEqual(observed);
    await eventually('the debate to wait for the final verdict', async () => statuses.includes('judging'));
    follower.close();
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
    const follower = connectSocket(other, judge.key);
    const live: TurnView[] = [];
    follower.on('turn.created', ({ turn }) => live.push(turn));
    expect(await follower.timeout(5000).emitWithAck('debate.join', { debateId })).toMatchObject({ ok: true });
    const text = `Consider [[s-0-0]]. ${'The room holds what the sensors say. '.repeat(400)}`;
    expect(Buffer.byteLength(text)).toBeGreaterThan(8000);
    const spoken = await http(app, 'POST', `/debates/${debateId}/speeches`, researcher.key, { seat: 'A', text });
    expect(spoken.status, spoken.text).toBe(201);
    await eventually('both speeches of round 0', async () => live.length >= 2);
    // Each turn's event leaves the process that wrote it (the API for the person's, a worker for the
    // machine's), so they may arrive in either order; clients place turns by index.
    const byIndex = (index: number) => live.find((t) => t.index === index);
    expect(byIndex(0)).toMatchObject({ index: 0, seat: 'A', text, citations: [{ evidenceId: 's-0-0', verified: true }] });
    expect(byIndex(1)).toMatchObject({ index: 1, seat: 'B' });
    follower.close();
  });

  it('keeps delivering after the connections that publish live events are cut', async () => {
    const researcher = await userKey(app, 'researcher');
    const judge = await userKey(app, 'judge');
    const { disputes } = await worldDisputes(app, researcher.key, { name: 'cut', seed: 7, size: 5 });
    const protocolId = await protocol(app, researcher.key, 'manual-both', {
      debaters: [{ backend: 'manual' }, { backend: 'manual' }],
      judges: { count: 1, kind: 'human' },
    });
    const debateId = await startDebate(app, researcher.key, { disputeId: disputes[0]!.id, protocolId, judgeIds: [judge.id] });
    const follower = connectSocket(other, judge.key);
    const live: TurnView[] = [];
    follower.on('turn.created', ({ turn }) => live.push(turn));
    expect(await follower.timeout(5000).emitWithAck('debate.join', { debateId })).toMatchObject({ ok: true });
    // A seat is refused with 409 until the debate's worker job has started it.
    const speak = (seat: string) =>
      eventually(`seat ${seat} to take its speech`, async () => {
        const spoken = await http(app, 'POST', `/debates/${debateId}/speeches`, researcher.key, { seat, text: `Seat ${seat} says so.` });
        if (spoken.status !== 409) expect(spoken.status, spoken.text).toBe(201);
        return spoken.status === 201;
      });
    await speak('A');
    // The API process that took the speech has published through its connection: that connection is cut.
    await eventually('the first turn', async () => live.length >= 1);
    const publishers = (sql: string) =>
      new Promise<number>((answered, failed) => {
        const client = new pg.Client({ connectionString: database.url });
        client
          .connect()
          .then(() => client.query(sql, [PUBLISHER_NAME]))
          .then((result) => answered(Number(result.rows[0].n)), failed)
          .finally(() => void client.end());
      });
    const cut = await publishers(
      'SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1',
    );
    expect(cut).toBeGreaterThan(0);
    await speak('B');
    await eventually('the second turn, published on a new connection', async () => live.length >= 2);
    expect(live.map((t) => [t.index, t.seat])).toEqual([
      [0, 'A'],
      [1, 'B'],
    ]);
    const open = await publishers(
      'SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1',
    );
    expect(open).toBeGreaterThan(0);
    follower.close();
  });
});
