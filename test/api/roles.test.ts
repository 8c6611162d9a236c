import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../libs/contracts/src/index.js';
import { http, startTestApp, userKey, type TestApp } from '../support/app.js';

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
});
