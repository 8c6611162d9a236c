import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '#tribunal/persistence';
import { MIGRATIONS } from '../../migrations/index.js';
import { createTestDatabase } from '../support/postgres.js';

describe('migrations on PostgreSQL', () => {
  let database: Database;
  let url: string;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const created = await createTestDatabase();
    ({ url, drop } = created);
    database = await Database.open({ kind: 'postgres', url, poolSize: 3 });
  });
  afterAll(async () => {
    await database?.close();
    await drop?.();
  });

  it('leave no difference between the schema and the entities', async () => {
    expect(await database.pendingSchemaChanges()).toEqual([]);
  });

  it('revert completely and apply again to the same schema', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) await database.dataSource.undoLastMigration({ transaction: 'each' });
    const tables = await database.dataSource.query(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations'`,
    );
    expect(tables).toEqual([]);
    const applied = await database.migrate();
    expect(applied).toHaveLength(MIGRATIONS.length);
    expect(await database.pendingSchemaChanges()).toEqual([]);
  });

  it('run once when several processes start together on an empty database', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) await database.dataSource.undoLastMigration({ transaction: 'each' });
    // Each process has its own pool, as separate API and worker processes would.
    const processes = await Promise.all([1, 2, 3].map(() => Database.open({ kind: 'postgres', url, poolSize: 2 })));
    try {
      const results = await Promise.all(processes.map((p) => p.migrate()));
      expect(results.flat()).toHaveLength(MIGRATIONS.length);
      expect(await database.pendingSchemaChanges()).toEqual([]);
    } finally {
      await Promise.all(processes.map((p) => p.close()));
    }
  });
});
