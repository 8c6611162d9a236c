import { io, type Socket } from 'socket.io-client';
import type { Role, ServerEvents, ClientEvents } from '../../libs/contracts/src/index.js';
import { startProcess, type RunningProcess } from '../../apps/cli/src/run-process.js';
import { createTestDatabase } from './postgres.js';

export interface TestApp {
  running: RunningProcess;
  url: string;
  adminKey: string;
  databaseUrl: string;
  close: () => Promise<void>;
}

/** Boots the real platform (API, worker and trainer roles) on a fresh PostgreSQL database, on a free port. */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const running = await startProcess(['api', 'worker', 'trainer'], {
    DATABASE_URL: database.url,
    PORT: '0',
    LOG_LEVEL: 'warn',
    TRIBUNAL_DEMO: 'false',
    ...env,
  });
  return {
    running,
    url: running.url!,
    adminKey: running.adminKey!,
    databaseUrl: database.url,
    close: async () => {
      await running.app.close();
      await database.drop();
    },
  };
}

export interface HttpResult<T = unknown> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

/** One HTTP call; `body` may be an object (sent as JSON) or a raw string (sent as is, for malformed input). */
export async function http<T = any>(app: TestApp, method: string, path: string, key?: string, body?: unknown): Promise<HttpResult<T>> {
  const headers: Record<string, string> = {};
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(app.url + path, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: NDJSON or plain text
  }
  return { status: response.status, body: parsed as T, text, headers: response.headers };
}

/** Creates a user with a role through the API and returns its key. */
export async function userKey(
  app: TestApp,
  role: Role,
  name = `${role}-${Math.random().toString(36).slice(2, 8)}`,
): Promise<{ key: string; id: string }> {
  const created = await http<{ user: { id: string }; key: string }>(app, 'POST', '/users', app.adminKey, { name, role });
  if (created.status !== 201) throw new Error(`could not create ${role}: ${created.text}`);
  return { key: created.body.key, id: created.body.user.id };
}

export type TribunalClient = Socket<ServerEvents, ClientEvents>;

export function connectSocket(app: TestApp, key: string | undefined): TribunalClient {
  return io(app.url, { auth: key ? { token: key } : {}, transports: ['websocket'], reconnection: false, forceNew: true });
}

/** Waits until `check` returns a value, polling; fails with `what` after the deadline. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
