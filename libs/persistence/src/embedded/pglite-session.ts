import { EventEmitter } from 'node:events';
import { PGlite, types } from '@electric-sql/pglite';
import { DataDirLock } from './data-dir-lock.js';

export interface QueryResultLike {
  rows: Record<string, unknown>[];
  rowCount: number;
  command: string;
}

/**
 * The single session of an embedded PGlite database, handed to one caller at a time: whoever holds
 * it runs every statement of its transaction before anyone else runs any. This is what gives the
 * embedded database the isolation a pool of real connections gives PostgreSQL.
 */
export class PgliteSession {
  private queue: Promise<void> = Promise.resolve();

  private constructor(
    readonly db: PGlite,
    private readonly lock: DataDirLock | undefined,
  ) {}

  /** Opens `dataDir` (or an in-memory database when it is undefined), claiming it for this process. */
  static async open(dataDir: string | undefined): Promise<PgliteSession> {
    const lock = dataDir === undefined ? undefined : DataDirLock.acquire(dataDir);
    try {
      const db = await PGlite.create(dataDir === undefined ? undefined : `${dataDir}/pgdata`, {
        // Same representations as node-postgres: 64-bit integers and numerics as strings.
        parsers: { [types.INT8]: (v: string) => v, [types.NUMERIC]: (v: string) => v },
      });
      return new PgliteSession(db, lock);
    } catch (error) {
      lock?.release();
      throw error;
    }
  }

  /** Waits for the session, and returns the function that hands it back. */
  async acquire(): Promise<() => void> {
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const previous = this.queue;
    this.queue = previous.then(() => mine);
    await previous;
    // The database runs on this thread: without a turn of the event loop between holders, a queue of
    // transactions runs as one block, and for its length (seconds, under load) no request is read, no
    // timer fires and no socket is answered. A macrotask here lets them in between transactions.
    await new Promise<void>((resolve) => setImmediate(resolve));
    let released = false;
    return () => {
      if (!released) {
        released = true;
        release();
      }
    };
  }

  /** Runs one statement outside any caller's transaction. */
  async run(text: string, values?: unknown[]): Promise<QueryResultLike> {
    const release = await this.acquire();
    try {
      return await this.execute(text, values);
    } finally {
      release();
    }
  }

  /** Runs a statement; the caller must hold the session. */
  async execute(text: string, values?: unknown[]): Promise<QueryResultLike> {
    const command = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? '';
    if (values && values.length > 0) {
      const result = await this.db.query<Record<string, unknown>>(text, values);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length, command };
    }
    // Without parameters a text may hold several statements, which only the simple protocol runs.
    const results = await this.db.exec(text);
    const last = results.at(-1);
    const rows = results.flatMap((r) => r.rows as Record<string, unknown>[]);
    return { rows, rowCount: last?.affectedRows ?? rows.length, command };
  }

  async close(): Promise<void> {
    const release = await this.acquire();
    try {
      if (!this.db.closed) await this.db.close();
    } finally {
      release();
      this.lock?.release();
    }
  }
}

type Callback<T> = (error: Error | null, value?: T) => void;

/** A client of the pg-compatible pool: holds the session from `connect` until `release`. */
class PgliteClient extends EventEmitter {
  constructor(
    private readonly session: PgliteSession,
    readonly release: () => void,
  ) {
    super();
  }

  query(text: string, values?: unknown[]): Promise<QueryResultLike> {
    return this.session.execute(text, values);
  }
}

/**
 * The part of node-postgres's `Pool` that TypeORM's postgres driver uses, over a PGlite session: a
 * pool of size one. Passed to TypeORM as `driver: pgliteDriver(session)`.
 */
export function pgliteDriver(session: PgliteSession): { Pool: new () => EventEmitter } {
  class Pool extends EventEmitter {
    connect(callback?: (error: Error | null, client?: PgliteClient, release?: () => void) => void): Promise<PgliteClient> {
      const pending = session.acquire().then((release) => new PgliteClient(session, release));
      if (callback) {
        pending.then(
          (client) => callback(null, client, client.release),
          (error: Error) => callback(error),
        );
      }
      return pending;
    }

    query(text: string, values?: unknown[]): Promise<QueryResultLike> {
      return session.run(text, values);
    }

    end(callback?: Callback<void>): Promise<void> {
      callback?.(null);
      return Promise.resolve();
    }
  }
  return { Pool };
}
