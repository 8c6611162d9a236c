import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, http, startTestApp, userKey, type TestApp } from '../support/app.js';
import { protocol, startDebate, worldDisputes } from '../support/factories.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A receiver on loopback: answers `status` (with `location`, if given) to every request and keeps what it received. */
async function receiver(status: number, location?: string): Promise<{ url: string; port: number; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(status, location ? { location } : {}).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/hook`, port, received, server };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** One decisive debate, judged by a person: it writes one label, which every interested webhook is sent. */
async function oneLabel(app: TestApp, name: string, seed: number): Promise<void> {
  const researcher = (await userKey(app, 'researcher')).key;
  const judge = await userKey(app, 'judge');
  const { disputes } = await worldDisputes(app, researcher, { name, seed, size: 5 });
  const protocolId = await protocol(app, researcher, name, { judges: { count: 1, kind: 'human' } });
  const debateId = await startDebate(app, researcher, { disputeId: disputes[0]!.id, protocolId, judgeIds: [judge.id] });
  for (const stage of ['judge-1', 'final']) {
    await eventually(
      `stage ${stage}`,
      async () => (await http(app, 'GET', `/debates/${debateId}`, judge.key)).body.awaiting?.stage === stage,
    );
    const verdict = await http(app, 'POST', `/debates/${debateId}/verdicts`, judge.key, { stage, probabilities: [0, 0, 1, 0, 0] });
    expect(verdict.status, verdict.text).toBeLessThan(300);
  }
}

/** The delivery log of a webhook once its one delivery has been given up on. */
async function failedDelivery(app: TestApp, key: string, webhookId: string) {
  return eventually(`webhook ${webhookId}'s delivery to fail`, async () => {
    const log = await http(app, 'GET', `/webhooks/${webhookId}/deliveries`, key);
    expect(log.status, log.text).toBe(200);
    return log.body[0]?.status === 'failed' ? log.body[0] : undefined;
  });
}

describe('webhooks with loopback targets allowed (TRIBUNAL_WEBHOOK_TARGETS=any)', () => {
  let app: TestApp;
  const servers: Server[] = [];

  beforeAll(async () => {
    app = await startTestApp({ TRIBUNAL_WEBHOOK_TARGETS: 'any', TRIBUNAL_JOB_RETRIES: '0' });
  });
  afterAll(async () => {
    for (const server of servers) server.close();
    await app?.close();
  });

  it('belong to their creator: another pipeline neither lists, reads the deliveries of, nor deletes them (404, as if absent); admins see all', async () => {
    const alice = await userKey(app, 'pipeline');
    const bob = await userKey(app, 'pipeline');
    const created = await http(app, 'POST', '/webhooks', alice.key, { url: 'http://127.0.0.1:9/alice?token=secret-of-alice' });
    expect(created.status, created.text).toBe(201);
    const aliceHook = created.body.webhook.id as string;
    const bobHook = (await http(app, 'POST', '/webhooks', bob.key, { url: 'http://127.0.0.1:9/bob' })).body.webhook.id as string;

    expect((await http(app, 'GET', '/webhooks', alice.key)).body.map((h: { id: string }) => h.id)).toEqual([aliceHook]);
    const bobsList = await http(app, 'GET', '/webhooks', bob.key);
    expect(bobsList.body.map((h: { id: string }) => h.id)).toEqual([bobHook]);
    expect(bobsList.text).not.toContain('secret-of-alice');

    const nobody = '6f1c2b8e-3d4a-4e5f-8a9b-0c1d2e3f4a5b';
    const readOthers = await http(app, 'GET', `/webhooks/${aliceHook}/deliveries`, bob.key);
    const readNone = await http(app, 'GET', `/webhooks/${nobody}/deliveries`, bob.key);
    expect(readOthers.status).toBe(404);
    expect(readNone.status).toBe(404);
    expect(readOthers.body.message).toBe(`webhook ${aliceHook} does not exist`);
    const deleteOthers = await http(app, 'DELETE', `/webhooks/${aliceHook}`, bob.key);
    expect(deleteOthers.status).toBe(404);
    expect(deleteOthers.body.message).toBe(`webhook ${aliceHook} does not exist or is already disabled`);
    expect((await http(app, 'GET', `/webhooks/${aliceHook}/deliveries`, alice.key)).status).toBe(200);

    const all = await http(app, 'GET', '/webhooks', app.adminKey);
    expect(all.body.map((h: { id: string }) => h.id).sort()).toEqual([aliceHook, bobHook].sort());
    expect(all.body.find((h: { id: string }) => h.id === aliceHook)).toMatchObject({ createdBy: alice.id });
    expect((await http(app, 'GET', `/webhooks/${bobHook}/deliveries`, app.adminKey)).status).toBe(200);

    // A webhook whose creator is not recorded (created before webhooks were owned) is the admins' alone.
    const db = new pg.Client({ connectionString: app.databaseUrl });
    await db.connect();
    let orphan: string;
    try {
      orphan = (
        await db.query(
          `INSERT INTO webhooks (url, secret, events) VALUES ('http://127.0.0.1:9/old', 'whsec_old', '["label.created"]') RETURNING id`,
        )
      ).rows[0].id;
    } finally {
      await db.end();
    }
    expect((await http(app, 'GET', '/webhooks', alice.key)).body.map((h: { id: string }) => h.id)).toEqual([aliceHook]);
    expect((await http(app, 'DELETE', `/webhooks/${orphan}`, alice.key)).status).toBe(404);
    expect((await http(app, 'GET', '/webhooks', app.adminKey)).body.map((h: { id: string }) => h.id)).toContain(orphan);

    expect((await http(app, 'DELETE', `/webhooks/${aliceHook}`, alice.key)).status).toBe(200);
    expect((await http(app, 'DELETE', `/webhooks/${orphan}`, app.adminKey)).status).toBe(200);
    expect((await http(app, 'DELETE', `/webhooks/${bobHook}`, app.adminKey)).status).toBe(200);
  });

  it('refuses a URL that carries credentials, saying so', async () => {
    const pipeline = (await userKey(app, 'pipeline')).key;
    for (const url of ['https://user:password@example.com/hook', 'http://user@127.0.0.1:9/hook', 'http://:pw@127.0.0.1:9/hook']) {
      const refused = await http(app, 'POST', '/webhooks', pipeline, { url });
      expect(refused.status, url).toBe(400);
      expect(refused.body.message).toContain('url must not carry credentials (user:password@host)');
    }
    expect((await http(app, 'GET', '/webhooks', pipeline)).body).toEqual([]);
  });

  it('does not follow a redirect (the body and signature go nowhere else), and logs an unreachable target as "connection failed" only', async () => {
    const pipeline = (await userKey(app, 'pipeline')).key;
    const elsewhere = await receiver(200);
    const redirecting = await receiver(307, elsewhere.url);
    servers.push(elsewhere.server, redirecting.server);
    const redirected = await http(app, 'POST', '/webhooks', pipeline, { url: redirecting.url });
    expect(redirected.status, redirected.text).toBe(201);
    const closed = await http(app, 'POST', '/webhooks', pipeline, { url: `http://127.0.0.1:${await closedPort()}/hook` });
    expect(closed.status, closed.text).toBe(201);

    await oneLabel(app, 'redirects', 4);

    expect(await failedDelivery(app, pipeline, redirected.body.webhook.id)).toMatchObject({
      attempts: 1,
      lastStatus: 307,
      lastError: 'the receiver answered 307, a redirect: redirects are not followed',
    });
    expect(redirecting.received).toHaveLength(1);
    expect(elsewhere.received).toEqual([]);
    expect(await failedDelivery(app, pipeline, closed.body.webhook.id)).toMatchObject({
      attempts: 1,
      lastStatus: null,
      lastError: 'connection failed',
    });
  });
});

describe('webhooks under the default target policy (public addresses only)', () => {
  let app: TestApp;
  const servers: Server[] = [];

  beforeAll(async () => {
    app = await startTestApp({ TRIBUNAL_JOB_RETRIES: '0' });
  });
  afterAll(async () => {
    for (const server of servers) server.close();
    await app?.close();
  });

  it('refuses loopback, private, link-local and special-purpose targets at creation, naming the range', async () => {
    const pipeline = (await userKey(app, 'pipeline')).key;
    const cases: [string, string][] = [
      ['http://127.0.0.1:8080/hook', "url's host is a loopback address"],
      ['http://[::1]:8080/hook', "url's host is a loopback address"],
      ['http://[::ffff:127.0.0.1]/hook', "url's host is a loopback address"],
      ['http://localhost:8080/hook', "url's host localhost resolves to a loopback address"],
      ['http://10.1.2.3/hook', "url's host is a private address"],
      ['http://192.168.1.1/hook', "url's host is a private address"],
      ['http://[fd00::1]/hook', "url's host is a private address"],
      ['http://169.254.169.254/latest/meta-data', "url's host is a link-local address"],
      ['http://0.0.0.0:8080/hook', "url's host is a special-purpose address"],
    ];
    for (const [url, message] of cases) {
      const refused = await http(app, 'POST', '/webhooks', pipeline, { url });
      expect(refused.status, url).toBe(400);
      expect(refused.body.message, url).toBe(
        `${message}; this server delivers webhooks to public addresses only (TRIBUNAL_WEBHOOK_TARGETS=public)`,
      );
    }
    expect((await http(app, 'GET', '/webhooks', pipeline)).body).toEqual([]);
    const open = await http(app, 'POST', '/webhooks', pipeline, { url: 'https://93.184.215.14/hook' });
    expect(open.status, open.text).toBe(201);
    expect((await http(app, 'DELETE', `/webhooks/${open.body.webhook.id}`, pipeline)).status).toBe(200);
  });

  it('resolves the host again at delivery and refuses a loopback address (DNS rebinding), logging the refusal, not the network', async () => {
    const pipeline = await userKey(app, 'pipeline');
    const target = await receiver(200);
    servers.push(target.server);
    // As if the name resolved to a public address when the webhook was created and to loopback now.
    const db = new pg.Client({ connectionString: app.databaseUrl });
    await db.connect();
    let hookId: string;
    try {
      hookId = (
        await db.query(
          `INSERT INTO webhooks (url, secret, events, created_by) VALUES ($1, 'whsec_rebound', '["label.created"]', $2) RETURNING id`,
          [`http://localhost:${target.port}/hook`, pipeline.id],
        )
      ).rows[0].id;
    } finally {
      await db.end();
    }

    await oneLabel(app, 'rebinding', 5);

    expect(await failedDelivery(app, pipeline.key, hookId)).toMatchObject({
      attempts: 1,
      lastStatus: null,
      lastError: 'refused: loopback address',
    });
    expect(target.received).toEqual([]);
  });
});

describe('webhooks under an allow-list of hosts', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ TRIBUNAL_WEBHOOK_TARGETS: 'hooks.example.com,*.pipelines.example' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('accepts only the listed hosts and their allowed subdomains', async () => {
    const pipeline = (await userKey(app, 'pipeline')).key;
    for (const url of ['https://hooks.example.com/x', 'https://a.pipelines.example/x', 'https://B.Pipelines.Example/x']) {
      const created = await http(app, 'POST', '/webhooks', pipeline, { url });
      expect(created.status, `${url}: ${created.text}`).toBe(201);
      expect((await http(app, 'DELETE', `/webhooks/${created.body.webhook.id}`, pipeline)).status).toBe(200);
    }
    for (const url of ['https://example.com/x', 'https://pipelines.example/x', 'https://evil-hooks.example.com.attacker.net/x']) {
      const refused = await http(app, 'POST', '/webhooks', pipeline, { url });
      expect(refused.status, url).toBe(400);
      expect(refused.body.message).toBe(
        `url's host ${new URL(url).hostname} is not among the webhook targets this server allows (TRIBUNAL_WEBHOOK_TARGETS)`,
      );
    }
  });
});
