import { Database } from '#tribunal/persistence';
import { JobQueue } from '#tribunal/queue';
import { admin, databaseUrl, TEMPLATE } from './postgres.js';

/** Builds the template every integration test's database is cloned from: migrated, with the queue's schema. */
export default async function setup(): Promise<() => Promise<void>> {
  await admin(async (c) => {
    const stale = await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'tribunal_test_%'`);
    for (const { datname } of stale.rows) await c.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${TEMPLATE}`);
  });
  const database = await Database.open({ kind: 'postgres', url: databaseUrl(TEMPLATE), poolSize: 2 });
  await database.migrate();
  const queue = await JobQueue.start(database);
  await queue.stop();
  await database.close();
  return async () => {
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${TEMPLATE} WITH (FORCE)`));
  };
}
