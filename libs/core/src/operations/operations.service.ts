import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { Database } from '#tribunal/persistence';
import { JobQueue } from '#tribunal/queue';

/**
 * What an operator watches: readiness, and Prometheus metrics. Cluster-wide numbers (debates by state, queued jobs, labels, training runs) are
 * read from the database when scraped, so any API process reports them all; per-process ones
 * (sockets, speech time, Node's own) describe the process scraped.
 */
@Injectable()
export class OperationsService {
  readonly registry = new Registry();
  /** Seconds from a debater starting a speech to the turn being persisted, by debater backend. */
  readonly speechSeconds = new Histogram({
    name: 'tribunal_speech_seconds',
    help: 'Seconds from a debater starting a speech to its turn being persisted (this process)',
    labelNames: ['backend'],
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 120],
    registers: [this.registry],
  });
  /** Seconds from a turn being persisted to its event leaving this API process for the debate's room. */
  readonly turnDeliverySeconds = new Histogram({
    name: 'tribunal_turn_delivery_seconds',
    help: "Seconds from a turn being persisted to its event being emitted to this API process's sockets",
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  private sockets: () => number = () => 0;

  constructor(
    private readonly database: Database,
    private readonly queue: JobQueue,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'tribunal_' });
    // collect() runs with the gauge as `this`; these reach the service.
    const query = <T>(sql: string) => this.database.dataSource.query(sql) as Promise<T[]>;
    const sockets = () => this.sockets();
    const depths = () => this.queue.depths();
    new Gauge({
      name: 'tribunal_socket_connections',
      help: 'socket.io connections to this process',
      registers: [this.registry],
      collect() {
        this.set(sockets());
      },
    });
    /** Rows of a table counted by their `status` column. */
    const byStatus = (name: string, help: string, table: string) =>
      new Gauge({
        name,
        help,
        labelNames: ['status'],
        registers: [this.registry],
        async collect() {
          this.reset();
          for (const row of await query<{ status: string; n: string }>(`SELECT status, count(*) AS n FROM ${table} GROUP BY status`)) {
            this.set({ status: row.status }, Number(row.n));
          }
        },
      });
    byStatus('tribunal_debates', 'Debates by status', 'debates');
    new Gauge({
      name: 'tribunal_labels',
      help: 'Complex-process labels written',
      registers: [this.registry],
      async collect() {
        const [row] = await query<{ n: string }>(`SELECT count(*) AS n FROM labels`);
        this.set(Number(row?.n ?? 0));
      },
    });
    new Gauge({
      name: 'tribunal_queue_jobs',
      help: 'Jobs in the queue by job name and state (queued: ready or deferred; active: running)',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const stats of await depths()) {
          this.set({ queue: stats.name, state: 'queued' }, stats.queuedCount);
          this.set({ queue: stats.name, state: 'active' }, stats.activeCount);
        }
      },
    });
    byStatus('tribunal_training_jobs', 'Training jobs by status', 'training_jobs');
    new Gauge({
      name: 'tribunal_training_progress',
      help: 'Fraction of its steps each running training job has taken',
      labelNames: ['training_job'],
      registers: [this.registry],
      async collect() {
        this.reset();
        const rows = await query<{ id: string; step: number | null; steps: number | null }>(
          `SELECT id, (progress -> -1 ->> 'step')::int AS step, (progress -> -1 ->> 'steps')::int AS steps FROM training_jobs WHERE status = 'running'`,
        );
        for (const row of rows) this.set({ training_job: row.id }, row.steps ? (row.step ?? 0) / row.steps : 0);
      },
    });
  }

  /** The API process tells how many sockets it holds. */
  countSockets(count: () => number): void {
    this.sockets = count;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  /** Each dependency a process needs to do its work, `ok` or why not. */
  async readiness(): Promise<{ ready: boolean; checks: Record<string, string> }> {
    const checks: Record<string, string> = {};
    const check = async (name: string, probe: () => Promise<string>) => {
      try {
        checks[name] = await probe();
      } catch (error) {
        checks[name] = `failed: ${error instanceof Error ? error.message : String(error)}`;
      }
    };
    await check('database', async () => (await this.database.dataSource.query('SELECT 1'), 'ok'));
    await check('migrations', async () => ((await this.database.dataSource.showMigrations()) ? 'failed: migrations are pending' : 'ok'));
    await check('queue', async () => (await this.queue.depths(), 'ok'));
    return { ready: Object.values(checks).every((c) => c === 'ok'), checks };
  }
}
