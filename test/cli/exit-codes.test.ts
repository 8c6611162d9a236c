import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startTestApp, userKey, type TestApp } from '../support/app.js';
import { tribunal } from '../support/cli.js';

/**
 * The exit code of a command that talks to the API says what kind of refusal the API answered, as
 * it would for the same refusal of a command run on the database (README, "Command line").
 */
describe('the command line exits with the code of the kind of refusal the API answered', () => {
  let app: TestApp;
  let cli: Record<string, string>;

  beforeAll(async () => {
    app = await startTestApp();
    const researcher = (await userKey(app, 'researcher')).key;
    cli = { TRIBUNAL_URL: app.url, TRIBUNAL_KEY: researcher };
    const loaded = await http(app, 'POST', '/datasets/world', researcher, { name: 'exit-codes', seed: 2, size: 12 });
    expect(loaded.status, loaded.text).toBe(201);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('a refused value (400) exits 3', async () => {
    const refused = await tribunal(['model', 'policy', 'exit-codes', '--set', '{"heldOutFraction": 2}'], cli);
    expect(refused.stderr).toContain('HTTP 400');
    expect(refused.stderr).toContain('heldOutFraction must be a number');
    expect(refused.code).toBe(3);
  });

  it('a conflict with the state of things (409) exits 5', async () => {
    const refused = await tribunal(['model', 'score', 'exit-codes'], cli);
    expect(refused.stderr).toContain('HTTP 409');
    expect(refused.stderr).toContain('has no active model version');
    expect(refused.code).toBe(5);
  });

  it('a name the API does not know exits 4, as its 404 does', async () => {
    const missing = await tribunal(['model', 'train', 'no-such-dataset'], cli);
    expect(missing.stderr).toContain('no dataset "no-such-dataset"');
    expect(missing.code).toBe(4);
  });

  it('a wrong key (401, no kind of its own) still exits 2, as it did', async () => {
    const wrong = await tribunal(['model', 'list'], { ...cli, TRIBUNAL_KEY: 'trb_wrong' });
    expect(wrong.stderr).toContain('401');
    expect(wrong.code).toBe(2);
  });
});

describe('the command line maps each status the API answers to its kind', () => {
  let server: Server;
  let url: string;
  /** The status and message every request is answered with. */
  let answer: { status: number; message: string };

  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ statusCode: answer.status, message: answer.message }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  for (const [status, code] of [
    [400, 3],
    [404, 4],
    [409, 5],
    [403, 6],
  ] as const) {
    it(`HTTP ${status} exits ${code}`, async () => {
      answer = { status, message: `refused with ${status}` };
      const run = await tribunal(['model', 'list'], { TRIBUNAL_URL: url, TRIBUNAL_KEY: 'k' });
      expect(run.stderr).toContain(`GET /models: HTTP ${status}: refused with ${status}`);
      expect(run.code).toBe(code);
    });
  }
});
