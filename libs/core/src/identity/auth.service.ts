import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Conflict, NotFound, type Role } from '#tribunal/contracts';
import { IdentityRepository, type KeyRecord } from '#tribunal/persistence';

export interface Principal {
  id: string;
  name: string;
  role: Role;
}

const KEY_PREFIX = 'trb_';

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** A new API key: 256 random bits, so a fast hash at rest is enough. */
export function newKey(): { key: string } & KeyRecord {
  const key = KEY_PREFIX + randomBytes(32).toString('base64url');
  return { key, hash: hashKey(key), prefix: key.slice(0, 12) };
}

/** Told when a user's keys have been revoked, to end what the keys had opened (the API's sockets); resolves once done. */
export type KeysRevokedListener = (userId: string) => Promise<unknown>;

@Injectable()
export class AuthService {
  /** Whoever holds sessions opened with a key: the API's socket gateway. A command has none. */
  private readonly revocationListeners: KeysRevokedListener[] = [];

  constructor(private readonly identityRepository: IdentityRepository) {}

  /** `listener` is called with the user's id whenever their keys are revoked, before `revokeKeys` answers. */
  onKeysRevoked(listener: KeysRevokedListener): void {
    this.revocationListeners.push(listener);
  }

  async authenticate(key: string | undefined): Promise<Principal | null> {
    if (!key || !key.startsWith(KEY_PREFIX) || key.length > 200) return null;
    const user = await this.identityRepository.userByKeyHash(hashKey(key));
    return user ? { id: user.id, name: user.name, role: user.role } : null;
  }

  /** On an empty database, creates the first admin and returns its key, which is never shown again. */
  async bootstrapAdmin(): Promise<string | null> {
    const fresh = newKey();
    const user = await this.identityRepository.createUserWithKey('admin', 'admin', fresh, true);
    return user ? fresh.key : null;
  }

  async createUser(name: string, role: Role): Promise<{ user: Principal; key: string }> {
    if (await this.identityRepository.findUserByName(name)) throw new Conflict(`a user named "${name}" already exists`);
    const fresh = newKey();
    const user = await this.identityRepository.createUserWithKey(name, role, fresh);
    return { user: { id: user!.id, name: user!.name, role: user!.role }, key: fresh.key };
  }

  /**
   * Revokes every key of a user and tells the listeners (the API's gateway disconnects the user's
   * sockets on every API process). The last admin holding a key keeps it: without it nobody could
   * administer the platform.
   */
  async revokeKeys(userId: string): Promise<{ revoked: number }> {
    if (!(await this.identityRepository.userById(userId))) throw new NotFound(`user ${userId} does not exist`);
    const revoked = await this.identityRepository.revokeKeysOf(userId);
    if (revoked === 'last-admin') {
      throw new Conflict(`user ${userId} is the last admin with a key; revoking it would leave no admin: create another admin first`);
    }
    await Promise.all(this.revocationListeners.map((listener) => listener(userId)));
    return { revoked };
  }

  async listUsers(): Promise<Principal[]> {
    return (await this.identityRepository.listUsers()).map((u) => ({ id: u.id, name: u.name, role: u.role }));
  }
}
