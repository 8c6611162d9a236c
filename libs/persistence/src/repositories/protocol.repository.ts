import type { DataSource } from 'typeorm';
import { ProtocolEntity } from '../entities/index.js';

/** Debate protocols, by name and immutable version. */
export class ProtocolRepository {
  constructor(private readonly dataSource: DataSource) {}

  byId(id: string): Promise<ProtocolEntity | null> {
    return this.dataSource.getRepository(ProtocolEntity).findOneBy({ id });
  }

  latest(name: string): Promise<ProtocolEntity | null> {
    return this.dataSource.getRepository(ProtocolEntity).findOne({ where: { name }, order: { version: 'DESC' } });
  }

  list(): Promise<ProtocolEntity[]> {
    return this.dataSource.getRepository(ProtocolEntity).find({ order: { name: 'ASC', version: 'ASC' } });
  }

  /** Adds the next version of a protocol; versions are never edited. */
  async addVersion(input: Pick<ProtocolEntity, 'name' | 'kind' | 'spec' | 'createdBy'>): Promise<ProtocolEntity> {
    return this.dataSource.transaction(async (manager) => {
      // Serialises version numbering per name without a table lock.
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`protocol:${input.name}`]);
      const [{ max }] = (await manager.query('SELECT max(version) AS max FROM protocols WHERE name = $1', [input.name])) as {
        max: number | null;
      }[];
      return manager.getRepository(ProtocolEntity).save({ ...input, version: (max ?? 0) + 1, lockedAt: null });
    });
  }
}
