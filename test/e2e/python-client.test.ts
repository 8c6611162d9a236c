import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGNATURE_HEADER, signWebhook, verifyWebhook, type LabelRecord } from '#tribunal/contracts';
import { startProcess, type RunningProcess } from '../../apps/bootstrap/src/start-process.js';
import { eventually, http, sql, userKey, type TestApp } from '../support/app.js';
import { debateOpenDisputes, protocol, worldDisputes } from '../support/factories.js';
import { createTestDatabase } from '../support/postgres.js';
import { freePort, spawnRole, type SpawnedProcess } from '../support/processes.js';

/** The Python client (clients/python), run with the machine's python3 and no installation: its sources on PYTHONPATH. */
const CLIENT = resolve('clients/python');

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function python(args: string[], env: Record<string, string> = {}): Promise<Ran> {
  return new Promise((done, fail) => {
    const child = spawn('python3', args, {
      cwd: CLIENT,
      env: { ...process.env, PYTHONPATH: join(CLIENT, 'src'), PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** What a run printed, for a failed assertion's message. */
const output = (ran: Ran) => `exit ${ran.code}\n--- stdout\n${ran.stdout}\n--- stderr\n${ran.stderr}`;

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A pipeline's webhook receiver on loopback: answers 200 and keeps each delivery as it came. */
async function receiver(): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received, server };
}

/** Debates every open dispute of a new world dataset under a new protocol, to their labels. */
async function labelledDataset(app: TestApp, key: string, name: string, seed: number, size: number): Promise<void> {
  const { datasetId } = await worldDisputes(app, key, { name, seed, size });
  const protocolId = await protocol(app, key, name);
  await debateOpenDisputes(app, key, { datasetId, protocolId, name });
}

describe('the Python client against a running Tribunal', () => {
  let database: { url: string; drop: () => Promise<void> };
  let env: Record<string, string>;
  let api: SpawnedProcess;
  let worker: RunningProcess;
  let app: TestApp;
  let hooks: Awaited<ReturnType<typeof receiver>>;
  const dir = mkdtempSync(join(tmpdir(), 'tribunal-python-'));
  const keys = { researcher: '', pipeline: '', judge: '' };
  let secret = '';

  beforeAll(async () => {
    database = await createTestDatabase();
    env = {
      DATABASE_URL: database.url,
      LOG_LEVEL: 'warn',
      TRIBUNAL_DEMO: 'false',
      PORT: String(await freePort()),
      // The receiver is on loopback, which the default target policy (public addresses only) refuses.
      TRIBUNAL_WEBHOOK_TARGETS: 'any',
      // Low, so that the client meets the limiter's 429 after two wrong keys.
      TRIBUNAL_AUTH_FAILURES_PER_MINUTE: '2',
    };
    // The API as an operating-system process of its own, to be killed and started again; the worker makes the labels.
    api = await spawnRole('api', env, { logFile: join(dir, 'api.log'), fresh: true });
    worker = await startProcess(['worker'], env);
    app = { running: worker, url: api.url!, adminKey: api.adminKey!, databaseUrl: database.url, close: async () => undefined };
    keys.researcher = (await userKey(app, 'researcher')).key;
    keys.pipeline = (await userKey(app, 'pipeline')).key;
    keys.judge = (await userKey(app, 'judge')).key;
    hooks = await receiver();
    const hook = await http(app, 'POST', '/webhooks', keys.pipeline, { url: hooks.url, events: ['label.created'] });
    expect(hook.status, hook.text).toBe(201);
    secret = hook.body.secret;
  });
  afterAll(async () => {
    hooks?.server.close();
    await worker?.app.close();
    await api?.kill();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes its own unit tests, with no server (python3 -m unittest discover clients/python/tests)', async () => {
    const ran = await python(['-m', 'unittest', 'discover', '-s', 'tests']);
    expect(ran.code, output(ran)).toBe(0);
    expect(ran.stderr).toMatch(/Ran \d+ tests/);
  });

  it('pulls every label exactly once, resuming from its cursor file after a crash and a restart of the API', async () => {
    const cursor = join(dir, 'labels.cursor');
    const out = join(dir, 'labels.ndjson');
    const pull = (extra: string[] = []) =>
      python(['live/pipeline.py', '--cursor', cursor, '--out', out, '--size', '4', ...extra], {
        TRIBUNAL_URL: app.url,
        TRIBUNAL_KEY: keys.pipeline,
      });
    await labelledDataset(app, keys.researcher, 'python-alpha', 5, 14);
    const first = (await sql<{ seq: string }>(app, 'SELECT l.seq::text AS seq FROM labels l ORDER BY l.seq')).map((r) => r.seq);
    expect(first.length).toBeGreaterThan(8);

    // The pipeline dies on receiving its third batch: two batches are stored, and the cursor says so.
    const crashed = await pull(['--crash-in-batch', '3']);
    expect(crashed.code, output(crashed)).toBe(1);
    expect(crashed.stderr).toContain('RuntimeError: simulated crash in batch 3');
    expect(crashed.stdout.trim().split('\n')).toEqual([
      `batch 1: labels ${first[0]} to ${first[3]}`,
      `batch 2: labels ${first[4]} to ${first[7]}`,
    ]);
    expect(readFileSync(cursor, 'utf8')).toBe(`${first[7]}\n`);

    await api.kill('SIGKILL');
    api = await spawnRole('api', env, { logFile: join(dir, 'api.log') });
    await labelledDataset(app, keys.researcher, 'python-beta', 6, 12);
    const all = (await sql<{ seq: string }>(app, 'SELECT l.seq::text AS seq FROM labels l ORDER BY l.seq')).map((r) => r.seq);
    expect(all.length).toBeGreaterThan(first.length);

    // The next run starts from the cursor: the batch it died in, then the rest, the new dataset's labels too.
    const resumed = await pull();
    expect(resumed.code, output(resumed)).toBe(0);
    expect(resumed.stdout.split('\n')[0]).toBe(`batch 1: labels ${first[8]} to ${all[11]}`);
    const stored = readFileSync(out, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as LabelRecord);
    expect(stored.map((label) => label.seq)).toEqual(all);
    const served = (await http(app, 'GET', '/labels?after=0', keys.pipeline)).text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as LabelRecord);
    expect(stored).toEqual(served);
    expect(readFileSync(cursor, 'utf8')).toBe(`${all.at(-1)}\n`);

    // Nothing new: a run that finds nothing leaves the file and the cursor as they are.
    const idle = await pull();
    expect(idle.code, output(idle)).toBe(0);
    expect(idle.stdout).toBe('');
    expect(readFileSync(cursor, 'utf8')).toBe(`${all.at(-1)}\n`);
  }, 180_000);

  it("filters as the API does, and raises the server's refusals with its messages", async () => {
    const ran = await python(['-m', 'unittest', '-v', 'live.test_labels'], {
      TRIBUNAL_URL: app.url,
      TRIBUNAL_KEY: keys.pipeline,
      TRIBUNAL_JUDGE_KEY: keys.judge,
      TRIBUNAL_RECEIVER_URL: hooks.url,
    });
    expect(ran.code, output(ran)).toBe(0);
    expect(ran.stderr).toMatch(/Ran 1\d tests/);
  });

  it('accepts the deliveries the server signed, refuses them tampered, and judges every signature as verifyWebhook does', async () => {
    const labels = (await sql<{ n: number }>(app, 'SELECT count(*)::int AS n FROM labels'))[0]!.n;
    await eventually('every label to be delivered', async () => hooks.received.length >= labels, 60_000);
    const deliveries = hooks.received.map(({ headers, body }) => ({ headers, body }));
    expect(new Set(deliveries.map((d) => d.headers['tribunal-delivery'])).size).toBe(labels);

    // A table of signatures, genuine and not, each with the verdict of the server's own verifyWebhook.
    const { headers, body } = deliveries[0]!;
    const header = headers[SIGNATURE_HEADER] as string;
    const t = Number(/t=(\d+)/.exec(header)![1]);
    const mac = header.split('v1=')[1]!;
    const accented = `${body.slice(0, -1)},"note":"café ✓"}`;
    const variants: [string, string | null, string, number?][] = [
      ['as delivered', header, body],
      ['at the tolerance', header, body, t + 300],
      ['past the tolerance', header, body, t + 301],
      ['before the tolerance', header, body, t - 301],
      ['a body tampered', header, body.replace(/"answer":(\d)/, (_, a: string) => `"answer":${Number(a) + 1}`)],
      ['no header', null, body],
      ['empty', '', body],
      ['a space after the comma', `t=${t}, v1=${mac}`, body],
      ['fields swapped', `v1=${mac},t=${t}`, body],
      ['a field repeated', `t=1,t=${t},v1=${mac}`, body],
      ['a signature repeated', `t=${t},v1=00,v1=${mac}`, body],
      ['spaces and tabs around pairs', ` t=${t}\t, v1=${mac} `, body],
      ['another scheme beside v1', `t=${t},v0=old,v1=${mac}`, body],
      ['an empty pair', `t=${t},,v1=${mac}`, body],
      ['upper-case hex', `t=${t},v1=${mac.toUpperCase()}`, body],
      ['hex then garbage', `t=${t},v1=${mac}zz`, body],
      ['an equals sign in a value', `t=${t},v1=${mac}=x`, body],
      ['hex cut short', `t=${t},v1=${mac.slice(0, -1)}`, body],
      ['no signature', `t=${t},v1=`, body],
      ['no time', `v1=${mac}`, body],
      ['an empty time', `t=,v1=${mac}`, body],
      ['the time in hex', `t=0x${t.toString(16)},v1=${mac}`, body],
      ['the time with a decimal point', `t=${t}.0,v1=${mac}`, body],
      ['the time with an exponent', `t=${t}e0,v1=${mac}`, body],
      ['the time in spaces', `t= ${t}\t,v1=${mac}`, body],
      ['the time with a sign', `t=+${t},v1=${mac}`, body],
      ['the time in words', `t=soon,v1=${mac}`, body],
      ['a fraction of a second', `t=${t}.25,v1=${mac}`, body],
      ['another body, not ASCII', signWebhook(secret, accented, t), accented],
      ['another body, signature of the first', header, accented],
      ['a later time, the signature of the first', `t=${t + 1},v1=${mac}`, body],
    ];
    const now = t;
    const table = variants.map(([name, signature, text, at]) => ({
      name,
      secret,
      header: signature,
      body: text,
      tolerance: 300,
      now: at ?? now,
      expected: verifyWebhook(secret, signature ?? undefined, text, 300, at ?? now),
    }));
    const other = 'whsec_someone-else';
    table.push({
      name: 'another secret',
      secret: other,
      header,
      body,
      tolerance: 300,
      now,
      expected: verifyWebhook(other, header, body, 300, now),
    });
    expect(new Set(table.map((c) => c.expected))).toEqual(new Set([true, false]));
    const file = join(dir, 'webhooks.json');
    writeFileSync(file, JSON.stringify({ secret, deliveries, table }));

    const ran = await python(['-m', 'unittest', '-v', 'live.test_webhooks'], { TRIBUNAL_WEBHOOKS: file });
    expect(ran.code, output(ran)).toBe(0);
    expect(ran.stderr).toMatch(/Ran 3 tests/);
  });
});
