import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELIVERY_HEADER, SIGNATURE_HEADER, signWebhook, verifyWebhook } from '#tribunal/contracts';
import { eventually, http, startTestApp, userKey, type TestApp } from '../support/app.js';
import { protocol, startDebate, worldDisputes } from '../support/factories.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A pipeline's endpoint on loopback, answering with the statuses it is given, in turn (the last one repeats). */
async function receiver(statuses: number[]): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(statuses[Math.min(received.length - 1, statuses.length - 1)]!).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received, server };
}

describe('labels pushed to pipelines by signed webhooks', () => {
  let app: TestApp;
  let servers: Server[] = [];

  beforeAll(async () => {
    // The receivers are on loopback, which the default target policy (public addresses only) refuses.
    app = await startTestApp({ TRIBUNAL_JOB_RETRIES: '3', TRIBUNAL_JOB_RETRY_DELAY_SECONDS: '1', TRIBUNAL_WEBHOOK_TARGETS: 'any' });
  });
  afterAll(async () => {
    for (const server of servers) server.close();
    await app?.close();
  });

  it('delivers each label once per webhook, signed, retried with the same idempotency id, and logs every attempt', async () => {
    const pipeline = (await userKey(app, 'pipeline')).key;
    const flaky = await receiver([500, 500, 200]);
    const dead = await receiver([503]);
    servers = [flaky.server, dead.server];
    const hookA = await http(app, 'POST', '/webhooks', pipeline, { url: flaky.url });
    expect(hookA.status, hookA.text).toBe(201);
    expect(hookA.body.secret).toMatch(/^whsec_/);
    expect(hookA.body.webhook.secret).toBeUndefined();
    const hookB = await http(app, 'POST', '/webhooks', pipeline, { url: dead.url, events: ['label.created'] });
    expect((await http(app, 'GET', '/webhooks', pipeline)).body).toHaveLength(2);

    // One decisive debate makes one label.
    const researcher = (await userKey(app, 'researcher')).key;
    const judge = await userKey(app, 'judge');
    const { disputes } = await worldDisputes(app, researcher, { name: 'hooks', seed: 4, size: 5 });
    const protocolId = await protocol(app, researcher, 'hooks', { judges: { count: 1, kind: 'human' } });
    const debateId = await startDebate(app, researcher, { disputeId: disputes[0]!.id, protocolId, judgeIds: [judge.id] });
    for (const stage of ['judge-1', 'final']) {
      await eventually(
        `stage ${stage}`,
        async () => (await http(app, 'GET', `/debates/${debateId}`, judge.key)).body.awaiting?.stage === stage,
      );
      await http(app, 'POST', `/debates/${debateId}/verdicts`, judge.key, { stage, probabilities: [0, 0, 1, 0, 0] });
    }
    const label = await eventually('the label', async () => {
      const text = (await http(app, 'GET', '/labels?after=0', pipeline)).text.trim();
      return text ? (JSON.parse(text.split('\n')[0]!) as { seq: string; id: string }) : undefined;
    });
    await eventually('the flaky receiver to accept', async () => flaky.received.length === 3, 30_000);

    const ids = new Set(flaky.received.map((r) => r.headers[DELIVERY_HEADER]));
    expect(ids.size).toBe(1);
    for (const { headers, body } of flaky.received) {
      expect(verifyWebhook(hookA.body.secret, headers[SIGNATURE_HEADER] as string, body)).toBe(true);
      expect(verifyWebhook(hookA.body.secret, headers[SIGNATURE_HEADER] as string, body.replace('"answer":2', '"answer":3'))).toBe(false);
      expect(verifyWebhook('whsec_someone-else', headers[SIGNATURE_HEADER] as string, body)).toBe(false);
      const payload = JSON.parse(body);
      expect(payload).toMatchObject({ id: [...ids][0], event: 'label.created', label: { seq: label.seq, answer: 2, schemaVersion: 1 } });
    }
    const logA = await eventually('the delivery log', async () => {
      const log = (await http(app, 'GET', `/webhooks/${hookA.body.webhook.id}/deliveries`, pipeline)).body;
      return log[0]?.status === 'delivered' ? log : undefined;
    });
    expect(logA).toEqual([expect.objectContaining({ attempts: 3, lastStatus: 200, lastError: null, labelSeq: label.seq })]);

    const logB = await eventually(
      'the dead receiver to be given up on',
      async () => {
        const log = (await http(app, 'GET', `/webhooks/${hookB.body.webhook.id}/deliveries`, pipeline)).body;
        return log[0]?.status === 'failed' ? log : undefined;
      },
      40_000,
    );
    expect(logB[0]).toMatchObject({ attempts: 4, lastStatus: 503, lastError: 'the receiver answered 503' });
    expect(dead.received).toHaveLength(4);

    // Debating the dispute again revises its label (pooling both debates): the new label names the old, and the event says so.
    // Another judge: the first has seen this item's outcome, and may not be seated on it again.
    const second = await userKey(app, 'judge');
    const again = await startDebate(app, researcher, { disputeId: disputes[0]!.id, protocolId, judgeIds: [second.id] });
    for (const stage of ['judge-1', 'final']) {
      await eventually(
        `stage ${stage} again`,
        async () => (await http(app, 'GET', `/debates/${again}`, second.key)).body.awaiting?.stage === stage,
      );
      await http(app, 'POST', `/debates/${again}/verdicts`, second.key, { stage, probabilities: [0, 0, 1, 0, 0] });
    }
    await eventually('the revision to be delivered', async () => flaky.received.length === 4);
    const revision = JSON.parse(flaky.received[3]!.body);
    expect(revision).toMatchObject({ event: 'label.revised', label: { answer: 2, revises: label.id } });
    expect(revision.label.provenance.debates).toHaveLength(2);
    expect(flaky.received[3]!.headers['tribunal-event']).toBe('label.revised');
  });

  it('refuses a replayed signature and a bad URL', async () => {
    const body = '{"x":1}';
    const old = Math.floor(Date.now() / 1000) - 3600;
    expect(verifyWebhook('s', signWebhook('s', body, old), body)).toBe(false);
    expect(verifyWebhook('s', signWebhook('s', body, Math.floor(Date.now() / 1000)), body)).toBe(true);
    expect(verifyWebhook('s', undefined, body)).toBe(false);
    const pipeline = (await userKey(app, 'pipeline')).key;
    const bad = await http(app, 'POST', '/webhooks', pipeline, { url: 'ftp://example.com/x' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('url must be an http(s) URL');
  });
});
