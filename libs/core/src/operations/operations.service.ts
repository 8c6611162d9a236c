import { Injectable } from '@nestjs/common';
import { Database } from '#tribunal/persistence';
import { JobQueue } from '#tribunal/queue';

/**
 * What an operator asks of the deployment: whether this process is ready, and the cluster-wide state
 * the metrics report (debates by state, queued jobs, labels, training runs), read from the database.
 */
@Injectable()
export class OperationsService {
  constructor(
    private readonly database: Database,
    private readonly queue: JobQueue,
  ) {}

  private query<T>(sql: string): Promise<T[]> {
    return this.database.dataSource.query(sql) as Promise<T[]>;
  }

  /** Rows of a table counted by their `status` column. */
  async countByStatus(table: 'debates' | 'training_jobs'): Promise<{ status: string; count: number }[]> {
    const rows = await this.query<{ status: string; n: string }>(`SELECT status, count(*) AS n FROM ${table} GROUP BY status`);
    return rows.map((row) => ({ status: row.status, count: Number(row.n) }));
  }

  /** Complex-process labels written. */
  async labelCount(): Promise<number> {
    const [row] = await this.query<{ n: string }>(`SELECT count(*) AS n FROM labels`);
    return Number(row?.n ?? 0);
  }

  /** Jobs in the queue by job name: queued (ready or deferred) and active. */
  queueDepths(): Promise<{ name: string; queuedCount: number; activeCount: number }[]> {
    return this.queue.depths();
  }

  /** The fraction of its steps each running training job has taken. */
  async trainingProgress(): Promise<{ id: string; fraction: number }[]> {
    const rows = await this.query<{ id: string; step: number | null; steps: number | null }>(
      `SELECT id, (progress -> -1 ->> 'step')::int AS step, (progress -> -1 ->> 'steps')::int AS steps FROM training_jobs WHERE status = 'running'`,
    );
    return rows.map((row) => ({ id: row.id, fraction: row.steps ? (row.step ?? 0) / row.steps : 0 }));
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
