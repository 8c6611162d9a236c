import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../libs/contracts/src/index.js';
import { connectSocket, http, startTestApp, userKey, type TestApp } from '../support/app.js';

interface Operation {
  method: string;
  path: string;
  roles: Role[];
}

describe('every route × every role', () => {
  let app: TestApp;
  let operations: Operation[];
  const keys = {} as Record<Role, string>;

  beforeAll(async () => {
    app = await startTestApp();
    keys.admin = app.adminKey;
    for (const role of ROLES.filter((r) => r !== 'admin')) keys[role] = (await userKey(app, role)).key;
    const document = await http<{ paths: Record<string, Record<string, { 'x-roles'?: Role[] }>> }>(app, 'GET', '/openapi.json');
    operations = Object.entries(document.body.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ method: method.toUpperCase(), path, roles: operation['x-roles']! })),
    );
  });
  afterAll(async () => {
    await app?.close();
  });

  it('documents the roles of every route', () => {
    expect(operations.length).toBeGreaterThanOrEqual(18);
    for (const op of operations) expect(op.roles, `${op.method} ${op.path} declares no roles`).toBeInstanceOf(Array);
  });

  it('lets in exactly the declared roles, and nobody without a key', async () => {
    const outcomes: string[] = [];
    for (const op of operations) {
      const path = op.path.replace(/\{[^}]+\}/g, '6f1c2b8e-3d4a-4e5f-8a9b-0c1d2e3f4a5b');
      const body = op.method === 'GET' ? undefined : {};
      const anonymous = await http(app, op.method, path, undefined, body);
      if (op.roles.length > 0) expect(anonymous.status, `${op.method} ${op.path} without a key`).toBe(401);
      for (const role of ROLES) {
        const result = await http(app, op.method, path, keys[role], body);
        const allowed = op.roles.length === 0 || op.roles.includes(role);
        outcomes.push(`${op.method} ${op.path} ${role} ${result.status}`);
        if (allowed) {
          expect([401, 403], `${op.method} ${op.path} as ${role}: ${result.text}`).not.toContain(result.status);
          expect(result.status, `${op.method} ${op.path} as ${role}: ${result.text}`).toBeLessThan(500);
        } else {
          expect(result.status, `${op.method} ${op.path} as ${role}`).toBe(403);
          expect(result.body.message).toContain(`role ${role} may not call this route`);
        }
      }
    }
    expect(outcomes.length).toBe(operations.length * ROLES.length);
  });

  it('refuses a key that is malformed, unknown or revoked', async () => {
    expect((await http(app, 'GET', '/me', 'not-a-key')).status).toBe(401);
    expect((await http(app, 'GET', '/me', 'trb_' + 'x'.repeat(43))).status).toBe(401);
    const judge = await userKey(app, 'judge');
    expect((await http(app, 'GET', '/me', judge.key)).status).toBe(200);
    const revoked = await http(app, 'DELETE', `/users/${judge.id}/keys`, app.adminKey);
    expect(revoked.status, revoked.text).toBe(200);
    const after = await http(app, 'GET', '/me', judge.key);
    expect(after.status).toBe(401);
    expect(after.body.message).toBe('invalid or revoked API key');
  });

  it('refuses an address that keeps failing to authenticate, over HTTP and sockets', async () => {
    const limited = await startTestApp({ TRIBUNAL_AUTH_FAILURES_PER_MINUTE: '3' });
    try {
      const researcher = await userKey(limited, 'researcher');
      for (let i = 0; i < 3; i++) expect((await http(limited, 'GET', '/me', `trb_guess${i}`)).status).toBe(401);
      const refused = await http(limited, 'GET', '/me', 'trb_guess4');
      expect(refused.status).toBe(429);
      expect(refused.body.message).toMatch(/^too many failed authentications from this address; retry in \d+ s$/);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(50);
      // While refused, a bad key is turned away on socket connect too; a valid key is still let in (test/api/limits.test.ts).
      expect((await http(limited, 'GET', '/me', researcher.key)).status).toBe(200);
      const socket = connectSocket(limited, 'trb_guess5');
      const error = await new Promise<Error>((resolve) => socket.on('connect_error', resolve));
      socket.close();
      expect(error.message).toMatch(/too many failed authentications/);
      // Public routes stay open.
      expect((await http(limited, 'GET', '/health')).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('counts failures per client behind a trusted proxy', async () => {
    const proxied = await startTestApp({ TRIBUNAL_AUTH_FAILURES_PER_MINUTE: '2', TRIBUNAL_TRUST_PROXY: 'true' });
    const from = (client: string) =>
      fetch(`${proxied.url}/me`, { headers: { authorization: 'Bearer trb_guess', 'x-forwarded-for': client } }).then((r) => r.status);
    try {
      expect([await from('203.0.113.7'), await from('203.0.113.7'), await from('203.0.113.7')]).toEqual([401, 401, 429]);
      expect(await from('198.51.100.2')).toBe(401);
    } finally {
      await proxied.close();
    }
  });
});
