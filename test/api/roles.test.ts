import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '#tribunal/contracts';
import {
  connectSocket,
  eventually,
  http,
  sql,
  startTestApp,
  TEST_DATABASES,
  userKey,
  type AnyTestApp,
  type TribunalClient,
} from '../support/app.js';

import { MANUAL_DEBATERS, protocol, startDebate, worldDisputes } from '../support/factories.js';
interface Operation {
  method: string;
  path: string;
  roles: Role[];
}

/** Replies as the client sees them, outside the typed contract. */
type Reply = { ok: boolean; status?: number; error?: string };

const MB = 1024 * 1024;
const NOBODY = '6f1c2b8e-3d4a-4e5f-8a9b-0c1d2e3f4a5b';
const METRICS_TOKEN = 'roles-scraper-token-0123456789abcdef';
/** The routes that take uploads (`@BodyLimit(UPLOAD_BODY_LIMIT)`): every other route reads at most 1 MB. */
const UPLOADS = ['POST /datasets', 'PUT /datasets/{id}/features', 'POST /experiments'];

/** A body as it goes on the wire, with the answer's status and message. */
async function send(app: AnyTestApp, method: string, path: string, key: string | undefined, body: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  const response = await fetch(app.url + path, { method, headers, body });
  const text = await response.text();
  let message = text;
  try {
    const parsed = JSON.parse(text) as { message?: string | string[] };
    message = Array.isArray(parsed.message) ? parsed.message.join('; ') : (parsed.message ?? text);
  } catch {
    // not JSON
  }
  return { status: response.status, message };
}

/** Resolves with the socket's connection error, or fails if it connects. */
function connectError(socket: TribunalClient): Promise<Error> {
  return new Promise((resolve, reject) => {
    socket.on('connect_error', resolve);
    socket.on('connect', () => reject(new Error('the socket connected')));
  });
}

describe.each(TEST_DATABASES)('every route × every role, on %s', (database) => {
  let app: AnyTestApp;
  let operations: Operation[];
  const keys = {} as Record<Role, string>;
  let researcher: string;
  let disputes: { id: string }[];
  let protocolId: string;
  let nextDispute = 0;
  const sockets: TribunalClient[] = [];

  function connect(key: string | undefined, target: AnyTestApp = app): TribunalClient {
    const socket = connectSocket(target, key);
    sockets.push(socket);
    return socket;
  }

  /** A debate with two manual debaters (nobody speaks for them: it stays still) and the given human judges. */
  async function debate(judgeIds: string[]): Promise<string> {
    return startDebate(app, researcher, { disputeId: disputes[nextDispute++]!.id, protocolId, judgeIds });
  }

  beforeAll(async () => {
    // Webhooks to the loopback discard port only; none is ever delivered (this suite writes no label).
    app = await startTestApp({ TRIBUNAL_METRICS_TOKEN: METRICS_TOKEN, TRIBUNAL_WEBHOOK_TARGETS: '127.0.0.1' }, { database });
    keys.admin = app.adminKey;
    for (const role of ROLES.filter((r) => r !== 'admin')) keys[role] = (await userKey(app, role)).key;
    researcher = keys.researcher;
    const document = await http<{ paths: Record<string, Record<string, { 'x-roles'?: Role[] }>> }>(app, 'GET', '/openapi.json');
    operations = Object.entries(document.body.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ method: method.toUpperCase(), path, roles: operation['x-roles']! })),
    );
    disputes = (await worldDisputes(app, researcher, { name: 'roles', seed: 7, size: 8 })).disputes;
    protocolId = await protocol(app, researcher, 'manual-one-judge', MANUAL_DEBATERS);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await app?.close();
  });

  it('documents the roles of every route', () => {
    expect(operations.length).toBeGreaterThanOrEqual(18);
    for (const op of operations) expect(op.roles, `${op.method} ${op.path} declares no roles`).toBeInstanceOf(Array);
    for (const upload of UPLOADS) expect(operations.map((op) => `${op.method} ${op.path}`)).toContain(upload);
  });

  it('lets in exactly the declared roles, and nobody without a key', async () => {
    const outcomes: string[] = [];
    for (const op of operations) {
      const path = op.path.replace(/\{[^}]+\}/g, NOBODY);
      const body = op.method === 'GET' ? undefined : {};
      const anonymous = await http(app, op.method, path, undefined, body);
      if (op.roles.length > 0) expect(anonymous.status, `${op.method} ${op.path} without a key`).toBe(401);
      for (const role of ROLES) {
        const result = await http(app, op.method, path, keys[role], body);
        const allowed = op.roles.length === 0 || op.roles.includes(role);
        outcomes.push(`${op.method} ${op.path} ${role} ${result.status}`);
        if (allowed) {
          expect([401, 403], `${op.method} ${op.path} as ${role}: ${result.text}`).not.toContain(result.status);
          expect(result.status, `${op.method} ${op.path} as ${role}: ${result.text}`).toBeLessThan(500);
        } else {
          expect(result.status, `${op.method} ${op.path} as ${role}`).toBe(403);
          expect(result.body.message).toContain(`role ${role} may not call this route`);
        }
      }
    }
    expect(outcomes.length).toBe(operations.length * ROLES.length);
  });

  it('reads a 2 MB body only from a role the route lets in: 413 beyond 1 MB but on uploads, 401 and 403 unread', async () => {
    // Malformed JSON: a body that was read and parsed is answered 400 naming it, one refused unread is not.
    const body = '{"padding": "' + 'x'.repeat(2 * MB);
    const outcomes: string[] = [];
    for (const op of operations.filter((o) => o.method !== 'GET' && o.roles.length > 0)) {
      const path = op.path.replace(/\{[^}]+\}/g, NOBODY);
      const upload = UPLOADS.includes(`${op.method} ${op.path}`);
      const anonymous = await send(app, op.method, path, undefined, body);
      expect(anonymous, `${op.method} ${op.path} without a key`).toEqual({
        status: 401,
        message: 'missing API key: send "Authorization: Bearer <key>"',
      });
      for (const role of ROLES) {
        const result = await send(app, op.method, path, keys[role], body);
        const what = `${op.method} ${op.path} as ${role}: ${result.status} ${result.message}`;
        outcomes.push(what);
        if (!op.roles.includes(role)) {
          expect(result.status, what).toBe(403);
          expect(result.message, what).toContain(`role ${role} may not call this route`);
        } else if (upload) {
          expect(result.status, what).toBe(400);
          expect(result.message, what).toMatch(/^malformed JSON body: /);
        } else {
          expect(result, what).toEqual({ status: 413, message: 'request body too large: this route accepts at most 1mb' });
        }
      }
    }
    expect(outcomes.length).toBeGreaterThan(50);
    // Uploads that some role may not send are among them: that role was refused without its body being read.
    expect(outcomes.filter((o) => /^POST \/(datasets|experiments) as (judge|pipeline): 403 /.test(o))).toHaveLength(4);
    expect((await http(app, 'GET', '/health')).status).toBe(200);
  }, 120_000);

  it('refuses a key that is malformed, unknown or revoked, over HTTP and on the socket it holds open', async () => {
    expect((await http(app, 'GET', '/me', 'not-a-key')).status).toBe(401);
    expect((await http(app, 'GET', '/me', 'trb_' + 'x'.repeat(43))).status).toBe(401);
    const judge = await userKey(app, 'judge');
    const other = await userKey(app, 'judge');
    const debateId = await debate([judge.id]);
    expect((await http(app, 'GET', '/me', judge.key)).status).toBe(200);
    const socket = connect(judge.key);
    expect(await socket.timeout(10_000).emitWithAck('debate.join', { debateId })).toMatchObject({ ok: true });
    const disconnected = new Promise((resolve) => socket.on('disconnect', resolve));

    const revoked = await http(app, 'DELETE', `/users/${judge.id}/keys`, app.adminKey);
    expect(revoked.status, revoked.text).toBe(200);
    const after = await http(app, 'GET', '/me', judge.key);
    expect(after.status).toBe(401);
    expect(after.body.message).toBe('invalid or revoked API key');
    // Its open socket is closed, and it cannot open another.
    await disconnected;
    expect(socket.connected).toBe(false);
    expect((await connectError(connect(judge.key))).message).toContain('revoked');

    // A key revoked behind the API's back (nobody told to disconnect it): its next message is refused, and it is disconnected.
    const quiet = connect(other.key);
    const before = (await quiet.timeout(10_000).emitWithAck('debate.join', { debateId: NOBODY })) as Reply;
    expect(before).toMatchObject({ ok: false, status: 404 });
    await sql(app, 'UPDATE api_keys SET revoked_at = now() WHERE user_id = $1', [other.id]);
    const reply = (await quiet.timeout(10_000).emitWithAck('debate.join', { debateId: NOBODY })) as Reply;
    expect(reply).toMatchObject({ ok: false, status: 401 });
    expect(reply.error).toContain('revoked');
    await eventually('the revoked socket to be disconnected', async () => !quiet.connected, 10_000);
    expect((await http(app, 'GET', '/me', other.key)).status).toBe(401);
  });

  it('lets a judge into the rooms of the debates they judge only; a pipeline key into none', async () => {
    const assigned = await userKey(app, 'judge');
    const unassigned = await userKey(app, 'judge');
    const debateId = await debate([assigned.id]);
    const replies: Record<string, Reply> = {};
    for (const [who, key] of [
      ['assigned', assigned.key],
      ['unassigned', unassigned.key],
      ['pipeline', keys.pipeline],
      ['researcher', keys.researcher],
      ['admin', keys.admin],
    ] as const) {
      replies[who] = (await connect(key).timeout(10_000).emitWithAck('debate.join', { debateId })) as Reply;
    }
    expect(replies.assigned).toMatchObject({ ok: true });
    expect(replies.researcher).toMatchObject({ ok: true });
    expect(replies.admin).toMatchObject({ ok: true });
    expect(replies.unassigned).toEqual({ ok: false, status: 403, error: `you are not a judge of debate ${debateId}` });
    expect(replies.pipeline).toEqual({ ok: false, status: 403, error: 'only judges, researchers and admins follow debates' });
    // Over HTTP too.
    expect((await http(app, 'GET', `/debates/${debateId}`, unassigned.key)).status).toBe(403);
    expect((await http(app, 'GET', `/debates/${debateId}`, assigned.key)).status).toBe(200);
    // No socket without a valid key.
    expect((await connectError(connect(undefined))).message).toMatch(/unauthorized/);
  });

  it("keeps each pipeline's webhooks its own: another pipeline cannot list, read the deliveries of, or delete them; an admin sees all", async () => {
    const alice = await userKey(app, 'pipeline');
    const bob = await userKey(app, 'pipeline');
    const created = await http(app, 'POST', '/webhooks', alice.key, { url: 'http://127.0.0.1:9/alice?token=secret-of-alice' });
    expect(created.status, created.text).toBe(201);
    const aliceHook = created.body.webhook.id as string;
    const bobCreated = await http(app, 'POST', '/webhooks', bob.key, { url: 'http://127.0.0.1:9/bob' });
    expect(bobCreated.status, bobCreated.text).toBe(201);
    const bobHook = bobCreated.body.webhook.id as string;
    const ids = (list: { body: { id: string }[] }) => list.body.map((h) => h.id).sort();

    expect(ids(await http(app, 'GET', '/webhooks', alice.key))).toEqual([aliceHook]);
    const bobsList = await http(app, 'GET', '/webhooks', bob.key);
    expect(ids(bobsList)).toEqual([bobHook]);
    expect(bobsList.text).not.toContain('secret-of-alice');
    const readOthers = await http(app, 'GET', `/webhooks/${aliceHook}/deliveries`, bob.key);
    expect(readOthers.status).toBe(404);
    expect(readOthers.body.message).toBe(`webhook ${aliceHook} does not exist`);
    const deleteOthers = await http(app, 'DELETE', `/webhooks/${aliceHook}`, bob.key);
    expect(deleteOthers.status).toBe(404);
    expect(deleteOthers.body.message).toBe(`webhook ${aliceHook} does not exist or is already disabled`);
    // Still Alice's, and still enabled.
    expect((await http(app, 'GET', `/webhooks/${aliceHook}/deliveries`, alice.key)).status).toBe(200);
    expect(ids(await http(app, 'GET', '/webhooks', alice.key))).toEqual([aliceHook]);

    const all = await http(app, 'GET', '/webhooks', app.adminKey);
    expect(ids(all)).toEqual(expect.arrayContaining([aliceHook, bobHook]));
    expect(all.body.find((h: { id: string }) => h.id === aliceHook)).toMatchObject({ createdBy: alice.id });
    expect((await http(app, 'GET', `/webhooks/${aliceHook}/deliveries`, app.adminKey)).status).toBe(200);
    expect((await http(app, 'DELETE', `/webhooks/${bobHook}`, app.adminKey)).status).toBe(200);
    expect(ids(await http(app, 'GET', '/webhooks', bob.key))).toEqual([]);
    expect((await http(app, 'DELETE', `/webhooks/${aliceHook}`, alice.key)).status).toBe(200);
    expect(ids(await http(app, 'GET', '/webhooks', alice.key))).toEqual([]);
  });

  it("serves /metrics to an admin key or the scraper's token, to no other role and nobody anonymous", async () => {
    const anonymous = await http(app, 'GET', '/metrics');
    expect(anonymous.status).toBe(401);
    expect(anonymous.text).not.toContain('tribunal_');
    for (const role of ROLES.filter((r) => r !== 'admin')) {
      const refused = await http(app, 'GET', '/metrics', keys[role]);
      expect(refused.status, role).toBe(403);
      expect(refused.body.message).toBe(`role ${role} may not call this route; allowed: admin`);
      expect(refused.text).not.toContain('tribunal_');
    }
    const admin = await http(app, 'GET', '/metrics', app.adminKey);
    expect(admin.status).toBe(200);
    expect(admin.text).toContain('# TYPE tribunal_labels gauge');
    const scraper = await http(app, 'GET', '/metrics', METRICS_TOKEN);
    expect(scraper.status).toBe(200);
    expect(scraper.text).toContain('# TYPE tribunal_labels gauge');
    // The token opens nothing else, and a near miss opens nothing.
    expect((await http(app, 'GET', '/me', METRICS_TOKEN)).status).toBe(401);
    expect((await http(app, 'GET', '/debates', METRICS_TOKEN)).status).toBe(401);
    expect((await http(app, 'GET', '/metrics', METRICS_TOKEN.slice(0, -1) + 'X')).status).toBe(401);
  });

  it('refuses to revoke the last admin holding a key, even on their own request', async () => {
    const me = await http<{ id: string }>(app, 'GET', '/me', app.adminKey);
    const alone = await http(app, 'DELETE', `/users/${me.body.id}/keys`, app.adminKey);
    expect(alone.status, alone.text).toBe(409);
    expect(alone.body.message).toMatch(/last admin/);
    const deputy = await userKey(app, 'admin');
    expect((await http(app, 'DELETE', `/users/${deputy.id}/keys`, app.adminKey)).status).toBe(200);
    expect((await http(app, 'GET', '/me', deputy.key)).status).toBe(401);
    const afterwards = await http(app, 'DELETE', `/users/${me.body.id}/keys`, app.adminKey);
    expect(afterwards.status, afterwards.text).toBe(409);
    expect((await http(app, 'GET', '/me', app.adminKey)).status).toBe(200);
  });

  describe('with a limit on failed authentications (3 a minute), behind a trusted proxy', () => {
    let limited: AnyTestApp;
    beforeAll(async () => {
      limited = await startTestApp({ TRIBUNAL_AUTH_FAILURES_PER_MINUTE: '3', TRIBUNAL_TRUST_PROXY: 'true' }, { database });
    });
    afterAll(async () => {
      await limited?.close();
    });

    it('refuses an address that keeps failing to authenticate, over HTTP and sockets', async () => {
      const researcherKey = (await userKey(limited, 'researcher')).key;
      for (let i = 0; i < 3; i++) expect((await http(limited, 'GET', '/me', `trb_guess${i}`)).status).toBe(401);
      const refused = await http(limited, 'GET', '/me', 'trb_guess4');
      expect(refused.status).toBe(429);
      expect(refused.body.message).toMatch(/^too many failed authentications from this address; retry in \d+ s$/);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(50);
      // While refused, a bad key is turned away on socket connect too; a valid key is still let in (test/api/limits.test.ts).
      expect((await http(limited, 'GET', '/me', researcherKey)).status).toBe(200);
      const error = await connectError(connect('trb_guess5', limited));
      expect(error.message).toMatch(/too many failed authentications/);
      // Public routes stay open.
      expect((await http(limited, 'GET', '/health')).status).toBe(200);
    });

    it('counts failures per client behind the proxy', async () => {
      const from = (client: string, key = 'trb_guess') =>
        fetch(`${limited.url}/me`, { headers: { authorization: `Bearer ${key}`, 'x-forwarded-for': client } }).then((r) => r.status);
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push(await from('203.0.113.7'));
      expect(statuses).toEqual([401, 401, 401, 429]);
      expect(await from('198.51.100.2')).toBe(401);
      // A socket handshake is counted by the same client address.
      const socketFrom = (client: string, key: string) => {
        const socket = io(limited.url, {
          auth: { token: key },
          extraHeaders: { 'x-forwarded-for': client },
          transports: ['websocket'],
          reconnection: false,
          forceNew: true,
        }) as TribunalClient;
        sockets.push(socket);
        return socket;
      };
      expect((await connectError(socketFrom('203.0.113.7', 'trb_guess'))).message).toMatch(/too many failed authentications/);
      expect((await connectError(socketFrom('198.51.100.3', 'trb_guess'))).message).toMatch(/^unauthorized/);
      const valid = socketFrom('203.0.113.7', (await userKey(limited, 'judge')).key);
      await new Promise<void>((resolve, reject) => {
        valid.on('connect', resolve);
        valid.on('connect_error', reject);
      });
      // Without TRIBUNAL_METRICS_TOKEN, a would-be scraper's token is just a wrong key.
      const scraper = await fetch(`${limited.url}/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}`, 'x-forwarded-for': '192.0.2.50' },
      });
      expect(scraper.status).toBe(401);
      expect(await scraper.text()).not.toContain('tribunal_');
    });
  });
});
