import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProcess, type RunningProcess } from '../../apps/bootstrap/src/start-process.js';
import { connectSocket, eventually, http, startTestApp, userKey, type TestApp, type TribunalClient } from '../support/app.js';
import { MANUAL_DEBATERS, protocol, startDebate, worldDisputes } from '../support/factories.js';

/** Replies as the client sees them, outside the typed contract. */
type Reply = { ok: boolean; status?: number; error?: string };

/** `depth` nested arrays: `[[[…]]]`. */
const nestedArrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
/** `depth` nested objects: `{"a":{"a":…null}}`. */
const nestedObjects = (depth: number) => '{"a":'.repeat(depth) + 'null' + '}'.repeat(depth);

let rawAcks = 900_000;
/**
 * Sends `payload`, a JSON text, as the message's argument, written straight to the connection: the
 * client's encoder (recursive) could not serialise what a hostile client can send. Resolves with the reply.
 */
function emitRaw(socket: TribunalClient, event: string, payload: string): Promise<Reply> {
  const id = rawAcks++;
  const prefix = `3${id}[`; // an acknowledgement, as socket.io writes it inside an engine.io message
  return new Promise<Reply>((resolve, reject) => {
    const engine = socket.io.engine;
    const timer = setTimeout(() => reject(new Error(`no reply to ${event} within 30 s`)), 30_000);
    const onMessage = (data: unknown) => {
      if (typeof data !== 'string' || !data.startsWith(prefix)) return;
      clearTimeout(timer);
      engine.off('message', onMessage);
      resolve((JSON.parse(data.slice(prefix.length - 1)) as Reply[])[0]!);
    };
    engine.on('message', onMessage);
    engine.send(`2${id}[${JSON.stringify(event)},${payload}]`);
  });
}

describe('sockets: revocation, closed rooms, per-socket limits, stage changes only', () => {
  let app: TestApp;
  let db: pg.Client;
  let researcher: string;
  let disputes: { id: string }[];
  let protocolId: string;
  let nextDispute = 0;
  const sockets: TribunalClient[] = [];

  function connect(key: string, target: TestApp = app): TribunalClient {
    const socket = connectSocket(target, key);
    sockets.push(socket);
    return socket;
  }

  /** A debate with two manual debaters (the test speaks for them) and the given human judges. */
  async function debate(judgeIds: string[]): Promise<string> {
    return startDebate(app, researcher, { disputeId: disputes[nextDispute++]!.id, protocolId, judgeIds });
  }

  async function speak(debateId: string, seat: 'A' | 'B'): Promise<void> {
    await eventually(`seat ${seat} to be awaited`, async () => {
      const spoken = await http(app, 'POST', `/debates/${debateId}/speeches`, researcher, {
        seat,
        text: `Seat ${seat}: look at [[s-0-0]].`,
      });
      return spoken.status === 201;
    });
  }

  /** Waits until no `debate.advance` job is waiting or running: every status the debate will announce has been. */
  async function advanced(): Promise<void> {
    await eventually('advance jobs to finish', async () => {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'debate.advance' AND state IN ('created', 'retry', 'active')`,
      );
      return rows[0]!.n === 0;
    });
  }

  beforeAll(async () => {
    app = await startTestApp();
    db = new pg.Client({ connectionString: app.databaseUrl });
    await db.connect();
    researcher = (await userKey(app, 'researcher')).key;
    disputes = (await worldDisputes(app, researcher, { name: 'socket-hardening', seed: 5, size: 20 })).disputes;
    protocolId = await protocol(app, researcher, 'manual-two-judges', { ...MANUAL_DEBATERS, judges: { count: 2, kind: 'human' } });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await db?.end();
    await app?.close();
  });

  it('disconnects the sockets of a user whose keys are revoked, and refuses their messages', async () => {
    const judge = await userKey(app, 'judge');
    const other = await userKey(app, 'judge');
    const debateId = await debate([judge.id, other.id]);
    const socket = connect(judge.key);
    expect(await socket.timeout(10_000).emitWithAck('debate.join', { debateId })).toMatchObject({ ok: true });
    const disconnected = new Promise((resolve) => socket.on('disconnect', resolve));

    expect((await http(app, 'DELETE', `/users/${judge.id}/keys`, app.adminKey)).status).toBe(200);
    await disconnected;
    const again = connect(judge.key);
    const refused = await new Promise<Error>((resolve) => again.on('connect_error', resolve));
    expect(refused.message).toContain('revoked');

    // A key revoked behind the API's back (no notification to disconnect): the next message is refused.
    const quiet = connect(other.key);
    expect(await quiet.timeout(10_000).emitWithAck('debate.join', { debateId })).toMatchObject({ ok: true });
    await db.query('UPDATE api_keys SET revoked_at = now() WHERE user_id = $1', [other.id]);
    const reply = (await quiet.timeout(10_000).emitWithAck('debate.join', { debateId })) as Reply;
    expect(reply).toMatchObject({ ok: false, status: 401 });
    expect(reply.error).toContain('revoked');
    await eventually('the revoked socket to be disconnected', async () => !quiet.connected);
  });

  it('disconnects a revoked user on another API process', async () => {
    let second: RunningProcess | undefined;
    try {
      second = await startProcess(['api'], { DATABASE_URL: app.databaseUrl, PORT: '0', LOG_LEVEL: 'error', TRIBUNAL_DEMO: 'false' });
      const judge = await userKey(app, 'judge');
      const socket = connect(judge.key, { ...app, url: second.url! });
      await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
      const disconnected = new Promise((resolve) => socket.on('disconnect', resolve));
      expect((await http(app, 'DELETE', `/users/${judge.id}/keys`, app.adminKey)).status).toBe(200);
      await disconnected;
    } finally {
      await second?.app.close();
    }
  });

  it('never lets an unassigned judge or a pipeline key into a room, however often they ask', async () => {
    const judges = [await userKey(app, 'judge'), await userKey(app, 'judge')];
    const debateId = await debate(judges.map((j) => j.id));
    const observer = connect(researcher);
    const seen: string[] = [];
    observer.onAny((event: string) => seen.push(event));
    expect(await observer.timeout(10_000).emitWithAck('debate.join', { debateId })).toMatchObject({ ok: true });

    const intruders = [connect((await userKey(app, 'judge')).key), connect((await userKey(app, 'pipeline')).key)];
    const leaked: string[] = [];
    const replies: Reply[] = [];
    for (const intruder of intruders) intruder.onAny((event: string) => leaked.push(event));
    let streaming = true;
    // Each intruder keeps eight joins in flight while the speeches stream, within the per-socket burst.
    const spam = intruders.flatMap((intruder) =>
      Array.from({ length: 8 }, async () => {
        for (let i = 0; streaming && i < 20; i++) {
          replies.push((await intruder.timeout(10_000).emitWithAck('debate.join', { debateId })) as Reply);
        }
      }),
    );
    await speak(debateId, 'A');
    await speak(debateId, 'B');
    await eventually(
      'the observer to see both speeches and the wait for judges',
      async () => seen.filter((e) => e === 'turn.created').length === 2 && seen.includes('debate.status'),
    );
    streaming = false;
    await Promise.all(spam);
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.filter((r) => r.ok || r.status !== 403)).toEqual([]);
    expect(leaked).toEqual([]);
  });

  it('refuses a flooding socket, disconnects it, and still answers everyone else', async () => {
    const judge = await userKey(app, 'judge');
    const debateId = await debate([judge.id, (await userKey(app, 'judge')).id]);
    const flooder = connect((await userKey(app, 'judge')).key);
    await new Promise<void>((resolve) => flooder.on('connect', () => resolve()));
    const disconnected = new Promise((resolve) => flooder.on('disconnect', resolve));
    const replies: Reply[] = [];
    for (let i = 0; i < 3000; i++) flooder.emit('debate.join', { debateId }, (reply: Reply) => replies.push(reply));

    const bystander = connect(judge.key);
    const answer = await bystander.timeout(30_000).emitWithAck('debate.join', { debateId });
    expect(answer).toMatchObject({ ok: true });
    await disconnected;
    const limited = replies.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]!.error).toMatch(/too many messages/);
    expect(replies.filter((r) => r.status === 403).length).toBeLessThanOrEqual(16);
    expect(replies.length).toBeLessThan(3000);
  });

  it('refuses a message nested 10 thousand to 400 thousand deep with a 400 naming the problem, and keeps the socket', async () => {
    const judge = await userKey(app, 'judge');
    const debateId = await debate([judge.id, (await userKey(app, 'judge')).id]);
    const socket = connect(judge.key);
    await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
    const uuid = JSON.stringify(debateId);
    // Within socket.io's 1 MB a message: 400 thousand arrays deep, or 150 thousand objects.
    const payloads = [
      nestedArrays(10_000),
      nestedArrays(400_000),
      nestedObjects(10_000),
      nestedObjects(150_000),
      `{"debateId":${nestedArrays(10_000)}}`,
      `{"debateId":${uuid},"stage":"judge-1","probabilities":${nestedArrays(400_000)}}`,
      `{"debateId":${uuid},"stage":${nestedObjects(150_000)},"probabilities":[]}`,
    ];
    for (const event of ['debate.join', 'verdict.submit']) {
      for (const payload of payloads) {
        const reply = await emitRaw(socket, event, payload);
        expect(reply, `${event} ${payload.slice(0, 40)}`).toEqual({
          ok: false,
          status: 400,
          error: 'message nested too deeply: at most 100 levels of arrays and objects',
        });
      }
    }
    // Ordinary nesting is validated as usual, and the socket still works.
    const shallow = await emitRaw(socket, 'debate.join', `{"debateId":${nestedObjects(50)}}`);
    expect(shallow).toMatchObject({ ok: false, status: 400 });
    expect(shallow.error).not.toContain('nested too deeply');
    expect(socket.connected).toBe(true);
    expect(await socket.timeout(10_000).emitWithAck('debate.join', { debateId })).toMatchObject({ ok: true });
  });

  it('tells a judge of stage changes only, not when a co-judge answers', async () => {
    const [first, second] = [await userKey(app, 'judge'), await userKey(app, 'judge')];
    const debateId = await debate([first.id, second.id]);
    const [a, b] = [connect(first.key), connect(second.key)];
    const statuses: string[] = [];
    b.on('debate.status', ({ status, awaiting }) => statuses.push(`${status}:${awaiting}`));
    let answers = 0;
    for (const socket of [a, b]) {
      const joined = await socket.timeout(10_000).emitWithAck('debate.join', { debateId });
      if (!joined.ok) throw new Error(joined.error);
      answers = joined.data.answers.length;
    }
    const probabilities = Array.from({ length: answers }, () => 1 / answers);
    await speak(debateId, 'A');
    await speak(debateId, 'B');
    await eventually('judge B to be told the debate awaits judges', async () => statuses.length > 0);

    const submitted = await a.timeout(10_000).emitWithAck('verdict.submit', { debateId, stage: 'judge-1', probabilities });
    expect(submitted, JSON.stringify(submitted)).toMatchObject({ ok: true });
    await advanced();
    expect(statuses).toEqual(['awaiting_judges:judge-1']);

    // Both answered: the debate moves on to the next round of speeches, then the next stage.
    expect(await b.timeout(10_000).emitWithAck('verdict.submit', { debateId, stage: 'judge-1', probabilities })).toMatchObject({
      ok: true,
    });
    await speak(debateId, 'A');
    await speak(debateId, 'B');
    await eventually('the next stage', async () => statuses.length > 1);
    expect(statuses).toEqual(['awaiting_judges:judge-1', 'judging:final']);
  });
});
