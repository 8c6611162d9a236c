import type pg from 'pg';
import { DataSource, type MigrationInterface } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { MIGRATIONS } from '../../../migrations/index.js';
import { PgliteSession, pgliteDriver } from './embedded/pglite-session.js';
import { ENTITIES } from './entities/index.js';

export type DatabaseTarget =
  { kind: 'postgres'; url: string; poolSize?: number; schema?: string } | { kind: 'embedded'; dataDir: string | undefined };

/** PostgreSQL when a URL is configured, else the embedded database in the data directory. */
export function databaseTarget(settings: { databaseUrl: string | undefined; dataDir: string }): DatabaseTarget {
  return settings.databaseUrl ? { kind: 'postgres', url: settings.databaseUrl } : { kind: 'embedded', dataDir: settings.dataDir };
}

/**
 * node-postgres's pool under a data source that `Database.open` opened on PostgreSQL, for what only a
 * real connection does (COPY); undefined on the embedded database, whose "pool" is the PGlite session.
 */
export function nodePostgresPool(dataSource: DataSource): pg.Pool | undefined {
  // The embedded database is the one given its own driver (`pgliteDriver`); PostgreSQL uses TypeORM's `pg`.
  if ((dataSource.options as { driver?: unknown }).driver !== undefined) return undefined;
  return (dataSource.driver as PostgresDriver).master as pg.Pool | undefined;
}

/** Arbitrary, fixed: the advisory lock that lets one process at a time run migrations. */
const MIGRATION_LOCK = 7_412_093;

/**
 * The project's one database: TypeORM over `pg` on PostgreSQL, or over the embedded PGlite session
 * (a pool of size one) when no server is configured. Both run the very same migrations.
 */
export class Database {
  private constructor(
    readonly dataSource: DataSource,
    readonly target: DatabaseTarget,
    /** The embedded session, when there is one; the job queue goes through it too. */
    readonly session: PgliteSession | undefined,
  ) {}

  static async open(target: DatabaseTarget, migrations: (new () => MigrationInterface)[] = MIGRATIONS): Promise<Database> {
    const common = {
      type: 'postgres' as const,
      entities: ENTITIES,
      migrations,
      migrationsTableName: 'migrations',
      uuidExtension: 'pgcrypto' as const,
      installExtensions: false,
      synchronize: false,
      logging: false,
    };
    if (target.kind === 'postgres') {
      const dataSource = new DataSource({
        ...common,
        url: target.url,
        poolSize: target.poolSize ?? 10,
        schema: target.schema,
        extra: target.schema ? { options: `-c search_path=${target.schema}` } : {},
      });
      await dataSource.initialize();
      return new Database(dataSource, target, undefined);
    }
    const session = await PgliteSession.open(target.dataDir);
    try {
      const dataSource = new DataSource({ ...common, driver: pgliteDriver(session), poolSize: 1 });
      await dataSource.initialize();
      return new Database(dataSource, target, session);
    } catch (error) {
      await session.close();
      throw error;
    }
  }

  get embedded(): boolean {
    return this.session !== undefined;
  }

  /** Applies pending migrations; concurrent callers on one PostgreSQL wait for each other. */
  async migrate(): Promise<string[]> {
    // The embedded directory is already claimed by this process alone, and its single session would
    // deadlock against a lock held on it.
    if (this.embedded) return (await this.dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      const applied = await this.dataSource.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
      await runner.release();
    }
  }

  /** The SQL that would bring the schema in line with the entities: empty when migrations are complete. */
  async pendingSchemaChanges(): Promise<string[]> {
    const sql = await this.dataSource.driver.createSchemaBuilder().log();
    return sql.upQueries.map((q) => q.query);
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.session?.close();
  }
}
