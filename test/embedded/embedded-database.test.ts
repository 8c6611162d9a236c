import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataDirInUseError, Database, DatasetEntity, UnitOfWork, queryIn } from '#tribunal/persistence';
import { JobQueue } from '#tribunal/queue';

describe('embedded database (PGlite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tribunal-embedded-'));
  let database: Database;

  beforeAll(async () => {
    database = await Database.open({ kind: 'embedded', dataDir: dir });
    await database.migrate();
  });
  afterAll(async () => {
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the same migrations, leaving no difference from the entities', async () => {
    expect(await database.pendingSchemaChanges()).toEqual([]);
  });

  it('refuses a second opening of the same directory', async () => {
    await expect(Database.open({ kind: 'embedded', dataDir: dir })).rejects.toThrow(DataDirInUseError);
  });

  it('isolates a rolled-back transaction from a concurrent insert', async () => {
    const repo = database.dataSource.getRepository(DatasetEntity);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const doomed = database.dataSource.transaction(async (manager) => {
      await manager.getRepository(DatasetEntity).insert({ name: 'doomed', source: 'test' });
      await gate;
      throw new Error('roll back');
    });
    const concurrent = repo.insert({ name: 'kept', source: 'test' });
    release();
    await expect(doomed).rejects.toThrow('roll back');
    await concurrent;
    const names = (await repo.find()).map((d) => d.name);
    expect(names).toContain('kept');
    expect(names).not.toContain('doomed');
  });

  it('runs queued jobs through the shared session, including jobs sent inside a transaction', async () => {
    const queue = await JobQueue.start(database);
    try {
      const seen: string[] = [];
      const done = new Promise<void>((resolve) => {
        void queue.work('debate.advance', 1, async ({ debateId }) => {
          seen.push(debateId);
          if (seen.length === 2) resolve();
        });
      });
      await queue.send('debate.advance', { debateId: 'plain' }, { singletonKey: 'plain' });
      const unitOfWork = new UnitOfWork(database.dataSource);
      await unitOfWork.run(async (tx) => {
        await queryIn(tx, `INSERT INTO datasets (name, source) VALUES ('with-job', 'test')`);
        await queue.send('debate.advance', { debateId: 'transactional' }, { singletonKey: 'transactional' }, tx);
      });
      await unitOfWork
        .run(async (tx) => {
          await queue.send('debate.advance', { debateId: 'rolled-back' }, { singletonKey: 'rolled-back' }, tx);
          throw new Error('abandon');
        })
        .catch(() => undefined);
      await done;
      await new Promise((r) => setTimeout(r, 1500));
      expect(seen.sort()).toEqual(['plain', 'transactional']);
    } finally {
      await queue.stop();
    }
  });
});
