import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../libs/world/src/index.js';
import type { Role } from '../../libs/contracts/src/index.js';
import { connectSocket, http, startTestApp, userKey, type TestApp } from '../support/app.js';
import { protocol, startDebate, worldDisputes } from '../support/factories.js';

const SEED = Number(process.env.TRIBUNAL_FUZZ_SEED ?? Date.now() % 1_000_000);
const CASES_PER_ROUTE = 40;
const BUDGET_MS = 60_000;

interface Operation {
  method: string;
  path: string;
  roles: Role[];
}

/** A random JSON value: wrong types, odd numbers, long and strange strings, deep nesting. */
function junk(rng: Rng, depth = 0): unknown {
  const pick = Math.floor(rng() * (depth > 3 ? 7 : 10));
  switch (pick) {
    case 0:
      return null;
    case 1:
      return rng() < 0.5;
    case 2:
      return [0, -1, 1e308, -1e-308, 2 ** 53 + 1, 0.5, 42][Math.floor(rng() * 7)];
    case 3:
      return [
        '',
        ' ',
        'x'.repeat(Math.floor(rng() * 5000)),
        '\u0000',
        '💥',
        '<script>',
        "'; DROP TABLE labels; --",
        '00000000-0000-4000-8000-000000000000',
        'trb_x',
      ][Math.floor(rng() * 9)];
    case 4:
      return Math.floor(rng() * 10) - 3;
    case 5:
      return 'NaN';
    case 6:
      return {};
    case 7:
      return Array.from({ length: Math.floor(rng() * 5) }, () => junk(rng, depth + 1));
    default: {
      const keys = [
        'name',
        'datasetId',
        'protocolId',
        'disputeIds',
        'items',
        'stage',
        'probabilities',
        'spec',
        'settings',
        'architecture',
        'seed',
        'size',
        '__proto__',
        'constructor',
        'x',
      ];
      return Object.fromEntries(
        Array.from({ length: Math.floor(rng() * 5) }, () => [keys[Math.floor(rng() * keys.length)]!, junk(rng, depth + 1)]),
      );
    }
  }
}

/** A path with its parameters filled: an id of the wrong kind, a UUID of nothing, or junk. */
function fill(rng: Rng, path: string): string {
  return path.replace(/\{[^}]+\}/g, () =>
    encodeURIComponent(String(['not-a-uuid', '00000000-0000-4000-8000-000000000000', '%', '..', '1', "x'y"][Math.floor(rng() * 6)])),
  );
}

describe(`fuzzing every route and socket event with malformed input (seed ${SEED}; TRIBUNAL_FUZZ_SEED to repeat)`, () => {
  let app: TestApp;
  let db: pg.Client;
  let operations: Operation[];
  const keys = {} as Record<Role, string>;
  let debateId: string;

  const counts = async () =>
    (await db.query(`SELECT relname, n_live_tup FROM pg_stat_user_tables WHERE schemaname = 'public' ORDER BY relname`)).rows.map(
      (r) => r.relname,
    );
  const rows = async () => {
    const out: Record<string, number> = {};
    for (const table of await counts()) out[table] = (await db.query(`SELECT count(*)::int AS n FROM "${table}"`)).rows[0].n;
    return out;
  };

  beforeAll(async () => {
    app = await startTestApp({ TRIBUNAL_AUTH_FAILURES_PER_MINUTE: '0' });
    db = new pg.Client({ connectionString: app.databaseUrl });
    await db.connect();
    keys.admin = app.adminKey;
    for (const role of ['researcher', 'judge', 'pipeline'] as const) keys[role] = (await userKey(app, role)).key;
    const { disputes } = await worldDisputes(app, keys.researcher, { name: 'fuzzed', seed: 2, size: 4 });
    debateId = await startDebate(app, keys.researcher, {
      disputeId: disputes[0]!.id,
      protocolId: await protocol(app, keys.researcher, 'fuzzed'),
    });
    const document = await http<{ paths: Record<string, Record<string, { 'x-roles'?: Role[] }>> }>(app, 'GET', '/openapi.json');
    operations = Object.entries(document.body.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ method: method.toUpperCase(), path, roles: operation['x-roles'] ?? [] })),
    );
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
  });

  it('answers every malformed request with a 4xx that says why, and writes nothing', async () => {
    const rng = createRng(SEED);
    // Let the one debate finish first, so its own writes do not count as the fuzzer's.
    await new Promise((r) => setTimeout(r, 3000));
    const before = await rows();
    const problems: string[] = [];
    const started = Date.now();
    let cases = 0;
    for (let round = 0; round < CASES_PER_ROUTE && Date.now() - started < BUDGET_MS; round++) {
      for (const op of operations) {
        if (op.method === 'GET' && rng() < 0.7) continue; // reads are cheap to get right; spend cases on writes
        const role = op.roles[Math.floor(rng() * op.roles.length)] ?? 'admin';
        const path =
          fill(rng, op.path) +
          (rng() < 0.3 ? `?${encodeURIComponent(String(junk(rng)))}=${encodeURIComponent(JSON.stringify(junk(rng)))}` : '');
        // Raw: malformed, or nested far too deep (refused before anything recurses into it).
        const raw = rng() < 0.15;
        const body = raw
          ? [
              '{',
              '{"a":',
              'null',
              '[1,2',
              '\u0000',
              'x'.repeat(100),
              '['.repeat(20_000),
              '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000),
            ][Math.floor(rng() * 8)]!
          : JSON.stringify(junk(rng));
        const response = await fetch(`${app.url}${path}`, {
          method: op.method,
          headers: { authorization: `Bearer ${keys[role]}`, 'content-type': rng() < 0.9 ? 'application/json' : 'text/plain' },
          body: op.method === 'GET' || op.method === 'DELETE' ? undefined : body,
        });
        const text = await response.text();
        cases++;
        if (response.status >= 500) problems.push(`${op.method} ${path} ${body.slice(0, 120)} → ${response.status} ${text.slice(0, 200)}`);
        else if (op.method !== 'GET' && response.status < 300)
          problems.push(`${op.method} ${path} ${body.slice(0, 120)} → accepted ${response.status}`);
        else if (response.status >= 400 && !/"message"/.test(text))
          problems.push(`${op.method} ${path} → ${response.status} without a message`);
      }
    }
    expect(cases).toBeGreaterThan(500);
    expect(problems).toEqual([]);
    expect(await rows()).toEqual(before);
    expect((await http(app, 'GET', '/health')).status).toBe(200);
  }, 120_000);

  it('answers every malformed socket message with a refusal, and keeps serving', async () => {
    const rng = createRng(SEED + 1);
    const before = await rows();
    const events = ['debate.join', 'debate.leave', 'verdict.submit', 'campaign.join', 'training.join', 'no.such.event'];
    for (const role of ['judge', 'researcher'] as const) {
      // Payloads are deliberately outside the typed contract.
      const socket = connectSocket(app, keys[role]) as unknown as {
        connected: boolean;
        close(): void;
        emit(event: string, payload: unknown): void;
        timeout(ms: number): { emitWithAck(event: string, payload: unknown): Promise<unknown> };
      };
      for (let i = 0; i < 150; i++) {
        const event = events[Math.floor(rng() * events.length)]!;
        const payload = rng() < 0.2 ? { debateId, stage: junk(rng), probabilities: junk(rng) } : junk(rng);
        if (event === 'no.such.event') {
          socket.emit(event, payload);
          continue;
        }
        const reply = (await socket.timeout(5000).emitWithAck(event, payload)) as { ok: boolean; status?: number };
        if (reply.ok) expect(['debate.join', 'debate.leave', 'training.join', 'campaign.join']).toContain(event);
        else expect(reply.status, `${event} ${JSON.stringify(payload)}`).toBeLessThan(500);
      }
      expect(socket.connected).toBe(true);
      socket.close();
    }
    expect(await rows()).toEqual(before);
  }, 120_000);
});
