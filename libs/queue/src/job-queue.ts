import { PgBoss, fromPglite, type Db as IDatabase } from 'pg-boss';
import { JOB_NAMES, type JobName, type JobPayloads } from '#tribunal/contracts';
import type { QueueConfig } from '#tribunal/config';
import { queryIn, type Database, type Transaction } from '#tribunal/persistence';

export interface SendOptions {
  /**
   * At most one queued or running job per name and key. Keys name the state a job reacts to, so the
   * same state is never worked twice at once while a new state always gets its job.
   */
  singletonKey: string;
  startAfterSeconds?: number;
}

/** `attempt` counts from 0; `lastAttempt` is true when a failure now is final. */
export type JobHandler<N extends JobName> = (
  payload: JobPayloads[N],
  meta: { id: string; attempt: number; lastAttempt: boolean },
) => Promise<void>;

const DEFAULT_POLICY: QueueConfig = { retries: 4, retryDelaySeconds: 2, heartbeatSeconds: 20, superviseSeconds: 10 };

/** pg-boss's view of a service's transaction, so a job is queued atomically with the rows it concerns. */
function inTransaction(tx: Transaction): IDatabase {
  return { executeSql: async (text, values) => ({ rows: await queryIn(tx, text, values as unknown[]) }) };
}

/** One of a queue's workers in this process: a pg-boss worker of its own (`id`), so it can be woken alone. */
interface Slot {
  id: string | null;
  /** Running a job. */
  busy: boolean;
  /** When it was last woken for a notification, until it takes a job (0: not woken). */
  wokenAt: number;
}

/** A woken worker's fetch is over by then: if it took no job, it found none, and may be woken again. */
const FETCH_SECONDS = 1;

/**
 * Wakes one idle worker per job notified, where pg-boss wakes every worker of the queue (each of which
 * then runs a fetch that all but one come back from empty: 15 fetches a debate at 16 workers). A job
 * notified while no worker is free to fetch is owed a fetch: the next worker to finish a job fetches
 * again at once. Notifications for queues this process does not work go to pg-boss as they came; a
 * reconnected listener still wakes every worker, and every worker still polls, for jobs that raise no
 * notification (retries, deadlines).
 */
class Wakeup {
  readonly slots = new Map<string, Slot[]>();
  /** Fetches owed, per queue: jobs notified while no worker was free to fetch. */
  private readonly owed = new Map<string, number>();
  boss: PgBoss | null = null;

  /** Wraps a pg-boss `listen`, so that notifications pass through `notified`. */
  listen(listen: NonNullable<IDatabase['listen']>): NonNullable<IDatabase['listen']> {
    return (channel, onNotification, onReconnect) =>
      listen(channel, (payload) => (this.slots.has(payload) ? this.notified(payload) : onNotification(payload)), onReconnect);
  }

  private notified(name: string): void {
    const slots = this.slots.get(name)!;
    const now = Date.now();
    // An idle worker not woken, else one whose fetch since it was woken is surely over.
    const slot =
      slots.find((s) => s.id !== null && !s.busy && s.wokenAt === 0) ??
      slots.find((s) => s.id !== null && !s.busy && now - s.wokenAt > FETCH_SECONDS * 1000);
    if (!slot) {
      this.owed.set(name, (this.owed.get(name) ?? 0) + 1);
      return;
    }
    slot.wokenAt = now;
    this.boss?.notifyWorker(slot.id!);
  }

  /** Runs `work` as `slot`'s job. A job found without a notification (polled) may have company: another worker is woken. */
  async run(name: string, slot: Slot, work: () => Promise<void>): Promise<void> {
    const polled = slot.wokenAt === 0;
    slot.busy = true;
    slot.wokenAt = 0;
    if (polled) this.notified(name);
    try {
      await work();
    } finally {
      slot.busy = false;
      const owed = this.owed.get(name) ?? 0;
      if (owed > 0 && slot.id) {
        this.owed.set(name, owed - 1);
        slot.wokenAt = Date.now();
        // Set while its handler runs, so the worker fetches again as soon as it returns.
        this.boss?.notifyWorker(slot.id);
      }
    }
  }
}

/**
 * The PostgreSQL-backed job queue the domain uses: pg-boss on the same database as everything else
 * (PostgreSQL, or the embedded session, whose lock it shares).
 */
export class JobQueue {
  private constructor(
    private readonly boss: PgBoss,
    readonly policy: QueueConfig,
    private readonly wakeup: Wakeup,
  ) {}

  static async start(database: Database, options: { schema?: string; policy?: QueueConfig } = {}): Promise<JobQueue> {
    const schema = options.schema ?? 'pgboss';
    const policy = options.policy ?? DEFAULT_POLICY;
    const wakeup = new Wakeup();
    let boss: PgBoss;
    if (database.session) {
      const session = database.session;
      const direct = fromPglite(session.db);
      const db: IDatabase = {
        executeSql: (text, values) => session.run(text, values),
        listen: direct.listen
          ? wakeup.listen(async (channel, onNotification, onReconnect) => {
              const release = await session.acquire();
              try {
                return await direct.listen!(channel, onNotification, onReconnect);
              } finally {
                release();
              }
            })
          : undefined,
      };
      boss = new PgBoss({ db, backend: 'pglite', schema, useListenNotify: true, superviseIntervalSeconds: policy.superviseSeconds });
    } else if (database.target.kind === 'postgres') {
      boss = new PgBoss({
        connectionString: database.target.url,
        schema,
        max: 4,
        useListenNotify: true,
        superviseIntervalSeconds: policy.superviseSeconds,
      });
      // pg-boss's own connection listens; its notifications go through the wakeup.
      const db = boss.getDb();
      if (db.listen) db.listen = wakeup.listen(db.listen.bind(db));
    } else {
      throw new Error('unreachable: embedded database without a session');
    }
    boss.on('error', (error: Error) => console.error(`[queue] ${error.message}`));
    wakeup.boss = boss;
    await boss.start();
    for (const name of JOB_NAMES) {
      const options = {
        retryLimit: policy.retries,
        retryDelay: policy.retryDelaySeconds,
        retryBackoff: true,
        retryDelayMax: 300,
        heartbeatSeconds: policy.heartbeatSeconds,
        // A training run may take hours: it reports by heartbeat, and is only expired after a day.
        expireInSeconds: name === 'model.train' ? 86_400 : 3600,
        notify: true,
      };
      // Settings may change between starts; the queue keeps the newest.
      if (await boss.getQueue(name)) await boss.updateQueue(name, options);
      else await boss.createQueue(name, { ...options, policy: 'exclusive' });
    }
    return new JobQueue(boss, policy, wakeup);
  }

  /** Queues a job; inside `tx` when given, so that it is queued if and only if the transaction commits. */
  async send<N extends JobName>(name: N, payload: JobPayloads[N], options: SendOptions, tx?: Transaction): Promise<void> {
    await this.boss.send(name, payload, {
      singletonKey: options.singletonKey,
      startAfter: options.startAfterSeconds,
      db: tx ? inTransaction(tx) : undefined,
    });
  }

  /** Runs `handler` for the queue's jobs, `concurrency` at a time, each in a worker of its own (see `Wakeup`). */
  async work<N extends JobName>(name: N, concurrency: number, handler: JobHandler<N>): Promise<void> {
    const slots: Slot[] = [];
    this.wakeup.slots.set(name, slots);
    for (let i = 0; i < concurrency; i++) {
      const slot: Slot = { id: null, busy: false, wokenAt: 0 };
      slots.push(slot);
      // Deferred jobs (retries, deadlines) raise no notification when they fall due: poll for them often.
      slot.id = await this.boss.work<JobPayloads[N]>(
        name,
        { localConcurrency: 1, pollingIntervalSeconds: 0.5, notifyPollingIntervalSeconds: 1 },
        (jobs) =>
          this.wakeup.run(name, slot, async () => {
            for (const job of jobs)
              await handler(job.data, { id: job.id, attempt: job.retryCount, lastAttempt: job.retryCount >= this.policy.retries });
          }),
      );
    }
  }

  /**
   * Runs a job's work so that the job ends somewhere: a failure is thrown again for the queue to retry
   * (after `retrying` has said so), except on the job's last attempt, when `giveUp` records the reason
   * ("gave up after N attempts: …") and the job ends.
   */
  async settle(
    lastAttempt: boolean,
    work: () => Promise<unknown>,
    outcome: { retrying?: (reason: string) => void; giveUp: (reason: string) => Promise<unknown> },
  ): Promise<void> {
    try {
      await work();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (!lastAttempt) {
        outcome.retrying?.(reason);
        throw error;
      }
      await outcome.giveUp(`gave up after ${this.policy.retries + 1} attempts: ${reason}`);
    }
  }

  /** Jobs waiting and running, per job name. */
  async depths(): Promise<{ name: string; queuedCount: number; activeCount: number }[]> {
    return this.boss.getQueues([...JOB_NAMES]);
  }

  async stop(): Promise<void> {
    await this.boss.stop({ graceful: true, timeout: 10_000, close: true });
  }
}
