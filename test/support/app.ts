import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsoleLogger } from '@nestjs/common';
import { io, type Socket } from 'socket.io-client';
import type { Role, ServerEvents, ClientEvents } from '#tribunal/contracts';
import { Database } from '#tribunal/persistence';
import { startProcess, type RunningProcess } from '../../apps/bootstrap/src/start-process.js';
import { createTestDatabase } from './postgres.js';

/** The two databases the platform runs on: a PostgreSQL server, or the embedded PGlite in a data directory. */
export type TestDatabase = 'postgres' | 'embedded';
export const TEST_DATABASES: readonly TestDatabase[] = ['postgres', 'embedded'];

/** The platform started for a test, on either database: all the helpers below need. */
export interface AnyTestApp {
  running: RunningProcess;
  url: string;
  adminKey: string;
  /** The PostgreSQL database's address; absent on the embedded database, which only this process can open. */
  databaseUrl?: string;
  close: () => Promise<void>;
}

/** The platform on a PostgreSQL database of its own, which the test may also reach from outside. */
export interface TestApp extends AnyTestApp {
  databaseUrl: string;
}

/** Boots the real platform (API, worker and trainer roles) on a fresh PostgreSQL database, on a free port. */
export function startTestApp(env?: Record<string, string>): Promise<TestApp>;
/** Boots it on the given database: a fresh PostgreSQL database, or the embedded one in a fresh data directory. */
export function startTestApp(env: Record<string, string>, options: { database: TestDatabase }): Promise<AnyTestApp>;
export async function startTestApp(
  env: Record<string, string> = {},
  options: { database: TestDatabase } = { database: 'postgres' },
): Promise<AnyTestApp> {
  if (options.database === 'embedded') return startEmbeddedTestApp(env);
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

/** Boots the real platform (API, worker and trainer roles) on the embedded database, in a data directory removed on close. */
export async function startEmbeddedTestApp(env: Record<string, string> = {}): Promise<AnyTestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'tribunal-test-'));
  let running: RunningProcess;
  try {
    running = await startProcess(['api', 'worker', 'trainer'], {
      TRIBUNAL_DATA_DIR: dir,
      PORT: '0',
      LOG_LEVEL: 'warn',
      TRIBUNAL_DEMO: 'false',
      ...env,
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    running,
    url: running.url!,
    adminKey: running.adminKey!,
    close: async () => {
      try {
        await running.app.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export interface LogRecord {
  level: 'log' | 'warn' | 'error';
  /** The logger's name (`Debates`, `Jobs`, …). */
  context: string | undefined;
  message: string;
}

/**
 * Records what the app's process logs from now on, whatever its LOG_LEVEL, through Nest's own hook
 * for a process's logger; warnings and errors are still printed.
 */
export function captureLogs(app: AnyTestApp): LogRecord[] {
  const records: LogRecord[] = [];
  const record = (level: LogRecord['level'], message: unknown, rest: unknown[]) =>
    records.push({ level, message: String(message), context: typeof rest.at(-1) === 'string' ? (rest.at(-1) as string) : undefined });
  class Recording extends ConsoleLogger {
    override log(message: unknown, ...rest: unknown[]): void {
      record('log', message, rest);
      super.log(message, ...rest);
    }
    override warn(message: unknown, ...rest: unknown[]): void {
      record('warn', message, rest);
      super.warn(message, ...rest);
    }
    override error(message: unknown, ...rest: unknown[]): void {
      record('error', message, rest);
      super.error(message, ...rest);
    }
  }
  app.running.app.useLogger(new Recording({ logLevels: ['error', 'warn'] }));
  return records;
}

/** Runs SQL on the app's own database, on either kind: through the process's connection, as the platform does. */
export async function sql<T = Record<string, unknown>>(app: AnyTestApp, text: string, parameters: unknown[] = []): Promise<T[]> {
  return (await app.running.app.get(Database).dataSource.query(text, parameters)) as T[];
}

/** The number of rows in every table of the public schema, by table: to show that nothing was written. */
export async function tableRows(app: AnyTestApp): Promise<Record<string, number>> {
  const tables = await sql<{ name: string }>(app, `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`);
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    counts[name] = (await sql<{ n: number }>(app, `SELECT count(*)::int AS n FROM "${name.replaceAll('"', '""')}"`))[0]!.n;
  }
  return counts;
}

export interface HttpResult<T = unknown> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

/** One HTTP call; `body` may be an object (sent as JSON) or a raw string (sent as is, for malformed input). */
export async function http<T = any>(app: AnyTestApp, method: string, path: string, key?: string, body?: unknown): Promise<HttpResult<T>> {
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
  app: AnyTestApp,
  role: Role,
  name = `${role}-${Math.random().toString(36).slice(2, 8)}`,
): Promise<{ key: string; id: string }> {
  const created = await http<{ user: { id: string }; key: string }>(app, 'POST', '/users', app.adminKey, { name, role });
  if (created.status !== 201) throw new Error(`could not create ${role}: ${created.text}`);
  return { key: created.body.key, id: created.body.user.id };
}

export type TribunalClient = Socket<ServerEvents, ClientEvents>;

export function connectSocket(app: AnyTestApp, key: string | undefined): TribunalClient {
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
