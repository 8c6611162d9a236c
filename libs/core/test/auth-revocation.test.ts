import { describe, expect, it } from 'vitest';
import type { IdentityRepository } from '#tribunal/persistence';
import { AuthService } from '../src/identity/auth.service.js';

/** A repository with one user, whose revocation answers `outcome`. */
function repository(outcome: number | 'last-admin'): IdentityRepository {
  return {
    userById: async (id: string) => (id === 'u1' ? { id, name: 'judge', role: 'judge' } : null),
    revokeKeysOf: async () => outcome,
  } as unknown as IdentityRepository;
}

describe('AuthService.revokeKeys', () => {
  it('tells every listener whose keys were revoked, and answers once they are done', async () => {
    const auth = new AuthService(repository(2));
    const told: string[] = [];
    let done = false;
    auth.onKeysRevoked(async (userId) => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      told.push(`sockets:${userId}`);
      done = true;
    });
    auth.onKeysRevoked(async (userId) => told.push(`other:${userId}`));
    expect(await auth.revokeKeys('u1')).toEqual({ revoked: 2 });
    expect(done).toBe(true);
    expect(told.sort()).toEqual(['other:u1', 'sockets:u1']);
  });

  it('revokes without listeners (a command holds no sockets)', async () => {
    expect(await new AuthService(repository(1)).revokeKeys('u1')).toEqual({ revoked: 1 });
  });

  it('tells nobody when nothing was revoked: an unknown user, or the last admin', async () => {
    for (const [auth, userId] of [
      [new AuthService(repository(1)), 'u2'],
      [new AuthService(repository('last-admin')), 'u1'],
    ] as const) {
      const told: string[] = [];
      auth.onKeysRevoked(async (id) => told.push(id));
      await expect(auth.revokeKeys(userId)).rejects.toThrow();
      expect(told).toEqual([]);
    }
  });
});
