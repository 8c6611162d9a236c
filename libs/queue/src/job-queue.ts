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

/**
 * The PostgreSQL-backed job queue the domain uses: pg-boss on the same database as everything else
 * (PostgreSQL, or the embedded session, whose lock it shares).
 */
export class JobQueue {
  private constructor(
    private readonly boss: PgBoss,
    readonly policy: QueueConfig,
  ) {}

  static async start(database: Database, options: { schema?: string; policy?: QueueConfig } = {}): Promise<JobQueue> {
    const schema = options.schema ?? 'pgboss';
    const policy = options.policy ?? DEFAULT_POLICY;
    let boss: PgBoss;
    if (database.session) {
      const session = database.session;
      const direct = fromPglite(session.db);
      const db: IDatabase = {
        executeSql: (text, values) => session.run(text, values),
        listen: direct.listen
          ? async (channel, onNotification, onReconnect) => {
              const release = await session.acquire();
              try {
                return await direct.listen!(channel, onNotification, onReconnect);
              } finally {
                release();
              }
            }
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
    } else {
      throw new Error('unreachable: embedded database without a session');
    }
    boss.on('error', (error: Error) => console.error(`[queue] ${error.message}`));
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
    return new JobQueue(boss, policy);
  }

  /** Queues a job; inside `tx` when given, so that it is queued if and only if the transaction commits. */
  async send<N extends JobName>(name: N, payload: JobPayloads[N], options: SendOptions, tx?: Transaction): Promise<void> {
    await this.boss.send(name, payload, {
      singletonKey: options.singletonKey,
      startAfter: options.startAfterSeconds,
      db: tx ? inTransaction(tx) : undefined,
    });
  }

  async work<N extends JobName>(name: N, concurrency: number, handler: JobHandler<N>): Promise<void> {
    // Deferred jobs (retries, deadlines) raise no notification when they fall due: poll for them often.
    await this.boss.work<JobPayloads[N]>(
      name,
      { localConcurrency: concurrency, pollingIntervalSeconds: 0.5, notifyPollingIntervalSeconds: 1 },
      async (jobs) => {
        for (const job of jobs)
          await handler(job.data, { id: job.id, attempt: job.retryCount, lastAttempt: job.retryCount >= this.policy.retries });
      },
    );
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
