import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSocket, eventually, http, startTestApp, userKey, type TestApp } from '../support/app.js';
import { protocol, startDebate, worldDisputes } from '../support/factories.js';

/** The value of one sample line of a Prometheus text exposition, or undefined. */
function sample(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

describe('operations: liveness, readiness and Prometheus metrics', () => {
  let app: TestApp;
  let db: pg.Client;

  const METRICS_TOKEN = 'scraper-token-0123456789abcdef';

  beforeAll(async () => {
    app = await startTestApp({ TRIBUNAL_METRICS_TOKEN: METRICS_TOKEN });
    db = new pg.Client({ connectionString: app.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
  });

  it('is live and ready without a key, and says what is not ready', async () => {
    expect((await http(app, 'GET', '/health')).body).toEqual({ status: 'ok' });
    const ready = await http(app, 'GET', '/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', checks: { database: 'ok', migrations: 'ok', queue: 'ok' } });
    // A database behind the code: its last migration undone in the record.
    const { rows } = await db.query(`DELETE FROM migrations WHERE id = (SELECT max(id) FROM migrations) RETURNING *`);
    try {
      const behind = await http(app, 'GET', '/ready');
      expect(behind.status).toBe(503);
      expect(behind.body).toEqual({
        status: 'not ready',
        checks: { database: 'ok', migrations: 'failed: migrations are pending', queue: 'ok' },
      });
    } finally {
      await db.query(`INSERT INTO migrations (id, timestamp, name) VALUES ($1, $2, $3)`, [rows[0].id, rows[0].timestamp, rows[0].name]);
    }
    expect((await http(app, 'GET', '/ready')).status).toBe(200);
  });

  it('counts debates, labels, speeches, turn deliveries, queued jobs and sockets', async () => {
    const researcher = (await userKey(app, 'researcher')).key;
    const { disputes } = await worldDisputes(app, researcher, { name: 'metered', seed: 5, size: 6 });
    const protocolId = await protocol(app, researcher, 'metered');
    const debateId = await startDebate(app, researcher, { disputeId: disputes[0]!.id, protocolId });
    await eventually(
      'the debate to end',
      async () => (await http(app, 'GET', `/debates/${debateId}`, researcher)).body.status === 'completed',
    );
    const socket = connectSocket(app, researcher);
    await eventually('the socket to connect', async () => socket.connected);
    const response = await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${app.adminKey}` } });
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    socket.close();
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM labels`);
    expect(sample(text, 'tribunal_debates{status="completed"}')).toBe(1);
    expect(sample(text, 'tribunal_labels')).toBe(rows[0].n);
    expect(sample(text, 'tribunal_speech_seconds_count{backend="builtin"}')).toBe(4);
    expect(sample(text, 'tribunal_turn_delivery_seconds_count')).toBe(4);
    expect(sample(text, 'tribunal_socket_connections')).toBe(1);
    expect(sample(text, 'tribunal_queue_jobs{queue="debate.advance",state="active"}')).toBeGreaterThanOrEqual(0);
    expect(text).toContain('# TYPE tribunal_training_progress gauge');
    expect(sample(text, 'tribunal_process_resident_memory_bytes')).toBeGreaterThan(0);
  });
});
