import { IsOptional } from 'class-validator';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '#tribunal/config';
import { ContractViolation, parseContract } from '#tribunal/contracts';
import { connectSocket, http, startTestApp, userKey, type TestApp } from '../support/app.js';

const MB = 1024 * 1024;

/** `depth` nested arrays: `[[[…]]]`. */
const nestedArrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
/** `depth` nested objects: `{"a":{"a":…null}}`. */
const nestedObjects = (depth: number) => '{"a":'.repeat(depth) + 'null' + '}'.repeat(depth);

/**
 * Connects a socket with `key` and an X-Forwarded-For header, as a proxy would forward it; resolves
 * with "connected" or the refusal's message.
 */
async function connectThrough(app: TestApp, key: string, forwardedFor: string): Promise<string> {
  const socket = io(app.url, {
    auth: { token: key },
    extraHeaders: { 'x-forwarded-for': forwardedFor },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  try {
    return await new Promise<string>((resolve) => {
      socket.on('connect', () => resolve('connected'));
      socket.on('connect_error', (error) => resolve(error.message));
    });
  } finally {
    socket.close();
  }
}

const UNAUTHORIZED = 'unauthorized: missing, invalid or revoked API key';
const TOO_MANY = /^too many failed authentications from this address; retry in \d+ s$/;

async function send(app: TestApp, method: string, path: string, key: string | undefined, body: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  const response = await fetch(app.url + path, { method, headers, body });
  const text = await response.text();
  let parsed: { message?: string | string[] } = {};
  try {
    parsed = JSON.parse(text) as { message?: string | string[] };
  } catch {
    // not JSON
  }
  const message = Array.isArray(parsed.message) ? parsed.message.join('; ') : (parsed.message ?? text);
  return { status: response.status, message };
}

describe('request bodies: read only once the caller is let in, within the route’s limit, not nested too deeply', () => {
  let app: TestApp;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    app = await startTestApp({ TRIBUNAL_AUTH_FAILURES_PER_MINUTE: '0' });
    for (const role of ['researcher', 'judge', 'pipeline'] as const) keys[role] = (await userKey(app, role)).key;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('refuses a 20 MB body without a valid key, or from a role that may not upload, without parsing it', async () => {
    // Malformed JSON: had the server parsed it before authenticating, the answer would be a 400 about the JSON.
    const malformed = '{"name": "big", "items": [' + 'x'.repeat(20 * MB);
    const anonymous = await send(app, 'POST', '/datasets', undefined, malformed);
    expect(anonymous).toEqual({ status: 401, message: 'missing API key: send "Authorization: Bearer <key>"' });
    const bogus = await send(app, 'POST', '/datasets', 'trb_' + 'x'.repeat(43), malformed);
    expect(bogus).toEqual({ status: 401, message: 'invalid or revoked API key' });
    const judge = await send(app, 'POST', '/datasets', keys.judge, malformed);
    expect(judge.status).toBe(403);
    expect(judge.message).toContain('role judge may not call this route');
    // Several at once: each refused, and the server keeps answering.
    const parallel = await Promise.all(Array.from({ length: 8 }, () => send(app, 'POST', '/protocols', undefined, malformed)));
    expect(parallel.map((r) => r.status)).toEqual(Array(8).fill(401));
    expect((await http(app, 'GET', '/health')).status).toBe(200);
    // Once let in, the same body is read and named malformed.
    const researcher = await send(app, 'POST', '/datasets', keys.researcher, malformed);
    expect(researcher.status).toBe(400);
    expect(researcher.message).toMatch(/^malformed JSON body: /);
  }, 60_000);

  it('keeps a 1 MB limit everywhere but uploads, which take large bodies from the roles that may upload', async () => {
    const padding = 'x'.repeat(2 * MB);
    const protocol = await send(app, 'POST', '/protocols', keys.researcher, JSON.stringify({ name: 'big', spec: {}, padding }));
    expect(protocol).toEqual({ status: 413, message: 'request body too large: this route accepts at most 1mb' });
    // An upload route reads the same 2 MB and then validates it.
    const upload = await send(app, 'POST', '/datasets', keys.researcher, JSON.stringify({ name: 'big', items: [], padding }));
    expect(upload.status).toBe(400);
    expect(upload.message).toContain('property padding should not exist');
    const features = await send(
      app,
      'PUT',
      '/datasets/6f1c2b8e-3d4a-4e5f-8a9b-0c1d2e3f4a5b/features',
      keys.pipeline,
      JSON.stringify({ items: [], padding }),
    );
    expect(features.status).not.toBe(413);
    expect(features.status).toBeLessThan(500);
    // Beyond the upload limit, 413 names it.
    const huge = await send(
      app,
      'POST',
      '/datasets',
      keys.researcher,
      JSON.stringify({ name: 'huge', items: [], padding: 'x'.repeat(65 * MB) }),
    );
    expect(huge).toEqual({ status: 413, message: 'request body too large: this route accepts at most 64mb' });
  }, 60_000);

  it('refuses JSON nested 10 thousand to a million deep with a 400 naming the problem', async () => {
    const message = 'JSON body nested too deeply: at most 100 levels of arrays and objects';
    for (const body of [nestedArrays(10_000), nestedObjects(10_000), `{"name":"deep","spec":${nestedObjects(5_000)}}`]) {
      expect(await send(app, 'POST', '/protocols', keys.researcher, body)).toEqual({ status: 400, message });
    }
    // A million deep fits an upload's limit: refused all the same.
    expect(await send(app, 'POST', '/datasets', keys.researcher, `{"name":"deep","items":${nestedArrays(1_000_000)}}`)).toEqual({
      status: 400,
      message,
    });
    // Brackets inside strings do not count, and ordinary nesting is validated as usual.
    const quoted = await send(app, 'POST', '/protocols', keys.researcher, JSON.stringify({ name: '['.repeat(5000), spec: {} }));
    expect(quoted.message).not.toBe(message);
    expect(quoted.status).toBe(400);
    const shallow = await send(
      app,
      'POST',
      '/protocols',
      keys.researcher,
      JSON.stringify({ name: 'shallow', spec: JSON.parse(nestedObjects(50)) }),
    );
    expect(shallow.status).toBeGreaterThanOrEqual(400);
    expect(shallow.status).toBeLessThan(500);
    expect(shallow.message).not.toBe(message);
    expect((await http(app, 'GET', '/health')).status).toBe(200);
  }, 60_000);
});

class Loose {
  @IsOptional() a?: unknown;
}

describe('contracts: deep values refused before anything recursive reads them', () => {
  it('refuses a value nested a million deep with a ContractViolation naming the problem, and takes 100 levels', () => {
    for (const text of [`{"a":${nestedArrays(1_000_000)}}`, nestedObjects(200_000), `{"a":${nestedArrays(100)}}`]) {
      const parse = () => parseContract(Loose, JSON.parse(text), 'body');
      expect(parse).toThrow(ContractViolation);
      expect(parse).toThrow('body nested too deeply: at most 100 levels of arrays and objects');
    }
    // The object itself is the first level: 99 arrays inside it make 100.
    expect(parseContract(Loose, JSON.parse(`{"a":${nestedArrays(99)}}`)).a).toBeInstanceOf(Array);
  });
});

describe('the failed-authentication limit: per address, never refusing a valid key, believing only configured proxies', () => {
  it('still lets a valid key in, over HTTP and sockets, from an address that sent 30 bad keys', async () => {
    const app = await startTestApp(); // the default limit: 30 a minute
    try {
      const researcher = await userKey(app, 'researcher');
      const statuses: number[] = [];
      for (let i = 0; i < 35; i++) statuses.push((await http(app, 'GET', '/me', `trb_guess${i}`)).status);
      expect(statuses).toEqual([...Array(30).fill(401), ...Array(5).fill(429)]);
      const refused = await http(app, 'GET', '/me', 'trb_guess-again');
      expect(refused.body.message).toMatch(/^too many failed authentications from this address; retry in \d+ s$/);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      // The valid key, from the same address, is let in.
      const me = await http(app, 'GET', '/me', researcher.key);
      expect(me.status, me.text).toBe(200);
      expect(me.body.id).toBe(researcher.id);
      expect((await http(app, 'GET', '/me', app.adminKey)).status).toBe(200);
      const socket = connectSocket(app, researcher.key);
      try {
        await new Promise<void>((resolve, reject) => {
          socket.on('connect', resolve);
          socket.on('connect_error', reject);
        });
      } finally {
        socket.close();
      }
      // A bad key on a socket from that address is told to wait.
      const bad = connectSocket(app, 'trb_guess-socket');
      const error = await new Promise<Error>((resolve) => bad.on('connect_error', resolve));
      bad.close();
      expect(error.message).toMatch(/too many failed authentications/);
    } finally {
      await app.close();
    }
  }, 60_000);

  it('behind one proxy hop, counts the address the proxy saw, not the forwarded values a client wrote', async () => {
    const app = await startTestApp({ TRIBUNAL_AUTH_FAILURES_PER_MINUTE: '3', TRIBUNAL_TRUST_PROXY: 'true' });
    // As a proxy forwards a client's own X-Forwarded-For: the client's (forged) values, then the address the proxy saw.
    const guess = (forged: string, client: string) =>
      fetch(`${app.url}/me`, { headers: { authorization: 'Bearer trb_guess', 'x-forwarded-for': `${forged}, ${client}` } }).then(
        (r) => r.status,
      );
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push(await guess(`198.51.100.${i}`, '203.0.113.7'));
      expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
      // Another client behind the same proxy is counted on its own.
      expect(await guess('198.51.100.99', '203.0.113.8')).toBe(401);
    } finally {
      await app.close();
    }
  }, 60_000);

  it('counts sockets by the same address: behind one proxy hop, each client on its own, and a valid key still let in', async () => {
    const app = await startTestApp({ TRIBUNAL_AUTH_FAILURES_PER_MINUTE: '3', TRIBUNAL_TRUST_PROXY: 'true' });
    try {
      const researcher = await userKey(app, 'researcher');
      const answers: string[] = [];
      for (let i = 0; i < 5; i++) answers.push(await connectThrough(app, 'trb_guess', `198.51.100.${i}, 203.0.113.7`));
      expect(answers.slice(0, 3)).toEqual(Array(3).fill(UNAUTHORIZED));
      for (const answer of answers.slice(3)) expect(answer).toMatch(TOO_MANY);
      // Another client behind the same proxy is counted on its own, and the guesser's valid key is let in.
      expect(await connectThrough(app, 'trb_guess', '203.0.113.8')).toBe(UNAUTHORIZED);
      expect(await connectThrough(app, researcher.key, '203.0.113.7')).toBe('connected');
      // HTTP and sockets count the same address: the client that guessed on sockets is told to wait over HTTP too.
      const http = await fetch(`${app.url}/me`, { headers: { authorization: 'Bearer trb_guess', 'x-forwarded-for': '203.0.113.7' } });
      expect(http.status).toBe(429);
    } finally {
      await app.close();
    }
  }, 60_000);

  it('does not believe a forged X-Forwarded-For on sockets when no proxy is trusted', async () => {
    const app = await startTestApp({ TRIBUNAL_AUTH_FAILURES_PER_MINUTE: '3' });
    try {
      const answers: string[] = [];
      for (let i = 0; i < 5; i++) answers.push(await connectThrough(app, 'trb_guess', `198.51.100.${i}`));
      expect(answers.slice(0, 3)).toEqual(Array(3).fill(UNAUTHORIZED));
      for (const answer of answers.slice(3)) expect(answer).toMatch(TOO_MANY);
    } finally {
      await app.close();
    }
  }, 60_000);

  it('does not believe X-Forwarded-For from a client that is not a configured proxy', async () => {
    // The only trusted proxy is elsewhere: this test's direct connections are clients.
    const app = await startTestApp({ TRIBUNAL_AUTH_FAILURES_PER_MINUTE: '3', TRIBUNAL_TRUST_PROXY: '10.9.8.7, 192.0.2.0/24' });
    const guess = (forwarded: string) =>
      fetch(`${app.url}/me`, { headers: { authorization: 'Bearer trb_guess', 'x-forwarded-for': forwarded } }).then((r) => r.status);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push(await guess(`198.51.100.${i}`));
      expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
    } finally {
      await app.close();
    }
  }, 60_000);

  it('reads TRIBUNAL_TRUST_PROXY as a hop count or addresses, and refuses anything else naming it', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRIBUNAL_TRUST_PROXY: 'true' }).trustProxy).toBe(1);
    expect(loadConfig({ TRIBUNAL_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRIBUNAL_TRUST_PROXY: 'loopback, 10.0.0.0/8, ::1' }).trustProxy).toEqual(['loopback', '10.0.0.0/8', '::1']);
    for (const bad of ['the-proxy', '10.0.0.0/33', '10.0.0.1/8/1'])
      expect(() => loadConfig({ TRIBUNAL_TRUST_PROXY: bad })).toThrow(
        /^TRIBUNAL_TRUST_PROXY must be false, true \(one hop\), a hop count, or a comma-separated list of proxy addresses/,
      );
  });
});
