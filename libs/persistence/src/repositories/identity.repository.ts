import { IsNull, type DataSource } from 'typeorm';
import type { Role } from '#tribunal/contracts';
import { ApiKeyEntity, UserEntity } from '../entities/index.js';

export interface KeyRecord {
  hash: string;
  prefix: string;
}

export class IdentityRepository {
  constructor(private readonly dataSource: DataSource) {}

  countUsers(): Promise<number> {
    return this.dataSource.getRepository(UserEntity).count();
  }

  findUserByName(name: string): Promise<UserEntity | null> {
    return this.dataSource.getRepository(UserEntity).findOneBy({ name });
  }

  userById(id: string): Promise<UserEntity | null> {
    return this.dataSource.getRepository(UserEntity).findOneBy({ id });
  }

  listUsers(): Promise<UserEntity[]> {
    return this.dataSource.getRepository(UserEntity).find({ order: { createdAt: 'ASC' } });
  }

  usersWithRole(role: Role): Promise<UserEntity[]> {
    return this.dataSource.getRepository(UserEntity).find({ where: { role }, order: { createdAt: 'ASC' } });
  }

  /** Creates a user and its first key together; `onlyIfNoUsers` makes the first admin race-free. */
  async createUserWithKey(name: string, role: Role, key: KeyRecord, onlyIfNoUsers = false): Promise<UserEntity | null> {
    return this.dataSource.transaction(async (manager) => {
      if (onlyIfNoUsers) {
        await manager.query('LOCK TABLE users IN EXCLUSIVE MODE');
        if ((await manager.getRepository(UserEntity).count()) > 0) return null;
      }
      const user = await manager.getRepository(UserEntity).save(manager.getRepository(UserEntity).create({ name, role }));
      await manager.getRepository(ApiKeyEntity).insert({ userId: user.id, keyHash: key.hash, prefix: key.prefix });
      return user;
    });
  }

  /** The user holding an unrevoked key with this hash: one statement, as it runs with every request and every socket message. */
  async userByKeyHash(hash: string): Promise<UserEntity | null> {
    const key = await this.dataSource
      .getRepository(ApiKeyEntity)
      .createQueryBuilder('k')
      .innerJoinAndSelect('k.user', 'user')
      .where('k.key_hash = :hash AND k.revoked_at IS NULL', { hash })
      .getOne();
    return key?.user ?? null;
  }

  /**
   * Revokes every key of a user, unless the user is an admin and no other admin holds a key: then
   * nothing changes and the answer is `last-admin`. Admins are locked first, so that two admins
   * revoking each other at once cannot both succeed.
   */
  async revokeKeysOf(userId: string): Promise<number | 'last-admin'> {
    return this.dataSource.transaction(async (manager) => {
      const admins = (await manager.query(`SELECT id FROM users WHERE role = 'admin' ORDER BY id FOR UPDATE`)) as { id: string }[];
      if (admins.some((a) => a.id === userId)) {
        const [{ others }] = (await manager.query(
          `SELECT count(*)::int AS others FROM api_keys k JOIN users u ON u.id = k.user_id
           WHERE u.role = 'admin' AND k.revoked_at IS NULL AND k.user_id <> $1`,
          [userId],
        )) as { others: number }[];
        if (others === 0) return 'last-admin';
      }
      const result = await manager.getRepository(ApiKeyEntity).update({ userId, revokedAt: IsNull() }, { revokedAt: new Date() });
      return result.affected ?? 0;
    });
  }
}
