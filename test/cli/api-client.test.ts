import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Api, type ApiOptions } from '../../apps/cli/src/api-client.js';
import { NotFound, TooMany, Unavailable } from '#tribunal/contracts';
import { UsageError } from '../../apps/cli/src/protocols-command.js';

/** Short waits, so that retries cost milliseconds. */
const FAST: ApiOptions = { backoffMs: 1, maxBackoffMs: 5, timeoutMs: 5_000 };

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A loopback server whose handler is told how many requests came before this one (0 for the first). */
async function serve(
  handle: (request: IncomingMessage, response: ServerResponse, seen: number) => void,
): Promise<{ url: string; requests: () => number }> {
  let requests = 0;
  const server = createServer((request, response) => {
    request.resume();
    handle(request, response, requests++);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => requests };
}

const reset = (request: IncomingMessage) => request.socket.resetAndDestroy();

const json = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
};

/** The error a call fails with: a UsageError, or the domain error of the status the server refused it with. */
async function failure(promise: Promise<unknown>, kind: abstract new (...args: never[]) => Error = UsageError): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(kind);
  return error as Error;
}

describe('the API client', () => {
  it('retries a GET whose connection is reset, and gets its answer', async () => {
    const server = await serve((request, response, seen) => (seen < 2 ? reset(request) : json(response, 200, { id: 'c1' })));
    expect(await new Api(server.url, 'k', FAST).call('GET', '/campaigns/c1')).toEqual({ id: 'c1' });
    expect(server.requests()).toBe(3);
  });

  it('gives up on a server that always resets, naming the cause and the attempts', async () => {
    const server = await serve((request) => reset(request));
    const error = await failure(new Api(server.url, 'k', { ...FAST, attempts: 3 }).call('GET', '/campaigns/c1'));
    expect(error.message).toContain(`GET /campaigns/c1 on Tribunal at ${server.url}`);
    expect(error.message).toContain('connection reset (ECONNRESET)');
    expect(error.message).toContain('gave up after 3 attempts');
    expect(server.requests()).toBe(3);
  });

  it('names a refused connection', async () => {
    const server = await serve(() => undefined);
    const closed = servers.pop()!;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(new Api(server.url, 'k', { ...FAST, attempts: 2 }).call('GET', '/datasets'));
    expect(error.message).toContain('connection refused (ECONNREFUSED); gave up after 2 attempts');
  });

  it('retries a 503, and gets its answer', async () => {
    const server = await serve((_, response, seen) =>
      seen < 2 ? json(response, 503, { statusCode: 503, message: 'busy' }) : json(response, 200, [1, 2]),
    );
    expect(await new Api(server.url, 'k', FAST).call('GET', '/datasets')).toEqual([1, 2]);
    expect(server.requests()).toBe(3);
  });

  it('waits as long as Retry-After asks', async () => {
    const server = await serve((_, response, seen) =>
      seen === 0 ? json(response, 503, { message: 'restarting' }, { 'retry-after': '1' }) : json(response, 200, { ok: true }),
    );
    const started = performance.now();
    expect(await new Api(server.url, 'k', FAST).call('GET', '/campaigns/c1')).toEqual({ ok: true });
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.requests()).toBe(2);
  });

  it('gives up at once when Retry-After is longer than it waits, saying so', async () => {
    const server = await serve((_, response) => json(response, 429, { message: 'too many failed keys' }, { 'retry-after': '3600' }));
    const error = await failure(new Api(server.url, 'k', FAST).call('GET', '/datasets'), TooMany);
    expect(error.message).toContain('HTTP 429: too many failed keys; the server asks to retry after 3600 s');
    expect(server.requests()).toBe(1);
  });

  it('says how often it tried when the server stays unavailable', async () => {
    const server = await serve((_, response) => json(response, 503, { message: 'down for maintenance' }));
    const error = await failure(new Api(server.url, 'k', { ...FAST, attempts: 4 }).call('GET', '/datasets'), Unavailable);
    expect(error.message).toBe('GET /datasets: HTTP 503: down for maintenance; gave up after 4 attempts');
    expect(server.requests()).toBe(4);
  });

  it('does not retry a 404, and throws it as NotFound with its message', async () => {
    const server = await serve((_, response) => json(response, 404, { statusCode: 404, message: 'no campaign c9', error: 'Not Found' }));
    const error = await failure(new Api(server.url, 'k', FAST).call('GET', '/campaigns/c9'), NotFound);
    expect(error.message).toBe('GET /campaigns/c9: HTTP 404: no campaign c9');
    expect(server.requests()).toBe(1);
  });

  it('does not retry a POST that may have been applied, and says so', async () => {
    const server = await serve((request) => reset(request));
    const error = await failure(new Api(server.url, 'k', FAST).call('POST', '/campaigns', { datasetId: 'd1' }));
    expect(error.message).toContain('POST /campaigns');
    expect(error.message).toContain('connection reset (ECONNRESET)');
    expect(error.message).toContain('may have been applied');
    expect(server.requests()).toBe(1);
  });

  it('retries a POST marked idempotent', async () => {
    const server = await serve((request, response, seen) => (seen === 0 ? reset(request) : json(response, 201, { id: 'p1' })));
    expect(await new Api(server.url, 'k', FAST).call('POST', '/protocols', { name: 'p' }, { idempotent: true })).toEqual({ id: 'p1' });
    expect(server.requests()).toBe(2);
  });

  it('gives up on a server that does not answer, naming the timeout', async () => {
    const server = await serve(() => undefined);
    const error = await failure(new Api(server.url, 'k', { ...FAST, attempts: 2, timeoutMs: 200 }).call('GET', '/campaigns/c1'));
    expect(error.message).toContain('timed out after 200 ms');
    expect(error.message).toContain('gave up after 2 attempts');
    expect(server.requests()).toBe(2);
  });

  it('times only the wait for the headers, not a body streamed for longer', async () => {
    const server = await serve((_, response) => {
      response.writeHead(200, { 'content-type': 'application/x-ndjson' });
      let line = 0;
      const timer = setInterval(() => {
        response.write(`{"seq":${++line}}\n`);
        if (line === 5) {
          clearInterval(timer);
          response.end();
        }
      }, 100);
    });
    const api = new Api(server.url, 'k', { ...FAST, timeoutMs: 150 });
    const response = await api.response('/labels?after=0');
    expect((await response.text()).trim().split('\n')).toHaveLength(5);
    expect(server.requests()).toBe(1);
  });
});
