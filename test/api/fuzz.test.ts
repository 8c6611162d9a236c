import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, type Rng } from '#tribunal/world';
import { DEFAULT_DEBATE_PROTOCOL, type Role } from '#tribunal/contracts';
import { connectSocket, eventually, http, startTestApp, tableRows, TEST_DATABASES, userKey, type AnyTestApp } from '../support/app.js';
import { SOCKET_MESSAGE_BURST, SOCKET_REFUSALS_BEFORE_DISCONNECT } from '../../apps/api/src/socket/message-limits.js';

const SEED = Number(process.env.TRIBUNAL_FUZZ_SEED ?? Date.now() % 1_000_000);
const CASES_PER_ROUTE = 40;
/** Rounds go on while within BUDGET_MS (more cases on a fast machine) and until at least MIN_CASES cases (however loaded it is). */
const BUDGET_MS = 60_000;
const MIN_CASES = 500;
/** Messages the flooding socket sends at once: far beyond its burst, in-flight and refusal limits. */
const FLOOD = 1000;
/** Levels of nesting of the deep socket payloads. */
const DEEP = 10_000;

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

/** `depth` nested arrays, `[[[…]]]`, as JSON text. */
const nestedArrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
/** `depth` nested objects, `{"a":{"a":…null}}`, as JSON text. */
const nestedObjects = (depth: number) => '{"a":'.repeat(depth) + 'null' + '}'.repeat(depth);

/** Replies as the client sees them, outside the typed contract. */
type Reply = { ok: boolean; status?: number; error?: string };

/** A socket whose payloads are deliberately outside the typed contract. */
interface LooseSocket {
  connected: boolean;
  close(): void;
  on(event: 'connect' | 'disconnect', listener: () => void): void;
  emit(event: string, payload: unknown, ack?: (reply: Reply) => void): void;
  timeout(ms: number): { emitWithAck(event: string, payload: unknown): Promise<Reply> };
}

const EVENTS = ['debate.join', 'debate.leave', 'verdict.submit', 'campaign.join', 'training.join'];

/**
 * A socket.io client spoken by hand over a WebSocket (Engine.IO 4), sending payloads as the JSON text it
 * is given, as a hostile client would: the official client walks every payload before sending it, and
 * overflows its own stack on one nested thousands deep.
 */
async function rawSocket(app: AnyTestApp, key: string) {
  const ws = new WebSocket(`${app.url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
  const waiting = new Map<number, (reply: Reply) => void>();
  let nextId = 0;
  let connected = false;
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener('message', (event) => {
      const data = String(event.data);
      const ack = /^43(\d+)(.*)$/s.exec(data);
      if (data.startsWith('0')) ws.send(`40${JSON.stringify({ token: key })}`);
      else if (data === '2') ws.send('3');
      else if (data.startsWith('40')) {
        connected = true;
        resolve();
      } else if (data.startsWith('44')) reject(new Error(`refused: ${data}`));
      else if (data.startsWith('41')) connected = false;
      else if (ack) waiting.get(Number(ack[1]))?.((JSON.parse(ack[2]!) as Reply[])[0]!);
    });
    ws.addEventListener('error', () => reject(new Error('websocket error')));
    ws.addEventListener('close', () => {
      connected = false;
      reject(new Error('websocket closed'));
    });
  });
  return {
    get connected() {
      return connected && ws.readyState === WebSocket.OPEN;
    },
    /** Sends `event` with the payload's JSON text, as is, and waits for the acknowledgement. */
    send(event: string, payload: string, timeoutMs = 10_000): Promise<Reply> {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error(`no answer to ${event} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.set(id, (reply) => {
          clearTimeout(timer);
          waiting.delete(id);
          resolve(reply);
        });
        ws.send(`42${id}[${JSON.stringify(event)},${payload}]`);
      });
    },
    close: () => ws.close(),
  };
}

describe.each(TEST_DATABASES)(
  `fuzzing every route and socket event with malformed input, on %s (seed ${SEED}; TRIBUNAL_FUZZ_SEED to repeat)`,
  (database) => {
    let app: AnyTestApp;
    let operations: Operation[];
    const keys = {} as Record<Role, string>;
    let debateId: string;
    const sockets: LooseSocket[] = [];

    function connect(role: Role): LooseSocket {
      const socket = connectSocket(app, keys[role]) as unknown as LooseSocket;
      sockets.push(socket);
      return socket;
    }

    async function connected(socket: LooseSocket): Promise<void> {
      if (!socket.connected) await new Promise<void>((resolve) => socket.on('connect', resolve));
    }

    /** Creates something as the researcher; returns the answer's body. */
    async function created<T = { id: string }>(path: string, body: unknown): Promise<T> {
      const response = await http<T>(app, 'POST', path, keys.researcher, body);
      expect(response.status, response.text).toBe(201);
      return response.body;
    }

    beforeAll(async () => {
      app = await startTestApp({ TRIBUNAL_AUTH_FAILURES_PER_MINUTE: '0' }, { database });
      keys.admin = app.adminKey;
      for (const role of ['researcher', 'judge', 'pipeline'] as const) keys[role] = (await userKey(app, role)).key;
      const dataset = await created('/datasets/world', { name: 'fuzzed', seed: 2, size: 4 });
      const policy = await http(app, 'PUT', `/datasets/${dataset.id}/model-policy`, keys.researcher, { heldOutFraction: 0 });
      expect(policy.status, policy.text).toBe(200);
      const disputes = await created<{ id: string }[]>(`/datasets/${dataset.id}/disputes`, { auditFraction: 1 });
      const protocol = await created('/protocols', { name: 'fuzzed', spec: DEFAULT_DEBATE_PROTOCOL });
      debateId = (await created('/debates', { disputeId: disputes[0]!.id, protocolId: protocol.id })).id;
      const document = await http<{ paths: Record<string, Record<string, { 'x-roles'?: Role[] }>> }>(app, 'GET', '/openapi.json');
      operations = Object.entries(document.body.paths).flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, operation]) => ({ method: method.toUpperCase(), path, roles: operation['x-roles'] ?? [] })),
      );
      // Let the one debate (built-in debaters, a simulated judge) run to its end and its writes settle,
      // so that they do not count as the fuzzer's.
      await eventually(
        'the debate to end',
        async () => ['completed', 'failed'].includes((await http(app, 'GET', `/debates/${debateId}`, keys.researcher)).body.status),
        60_000,
      );
      let last = JSON.stringify(await tableRows(app));
      await eventually('the debate to stop writing', async () => {
        await new Promise((r) => setTimeout(r, 500));
        const now = JSON.stringify(await tableRows(app));
        const settled = now === last;
        last = now;
        return settled;
      });
    });
    afterAll(async () => {
      for (const socket of sockets) socket.close();
      await app?.close();
    });

    it('answers every malformed request with a 4xx that says why, and writes nothing', async () => {
      const rng = createRng(SEED);
      const before = await tableRows(app);
      const problems: string[] = [];
      const started = Date.now();
      let cases = 0;
      for (let round = 0; round < CASES_PER_ROUTE && (cases < MIN_CASES || Date.now() - started < BUDGET_MS); round++) {
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
          if (response.status >= 500)
            problems.push(`${op.method} ${path} ${body.slice(0, 120)} → ${response.status} ${text.slice(0, 200)}`);
          else if (op.method !== 'GET' && response.status < 300)
            problems.push(`${op.method} ${path} ${body.slice(0, 120)} → accepted ${response.status}`);
          else if (response.status >= 400 && !/"message"/.test(text))
            problems.push(`${op.method} ${path} → ${response.status} without a message`);
        }
      }
      expect(cases).toBeGreaterThanOrEqual(MIN_CASES);
      expect(problems).toEqual([]);
      expect(await tableRows(app)).toEqual(before);
      expect((await http(app, 'GET', '/health')).status).toBe(200);
    }, 300_000);

    it('answers every malformed socket message with a refusal, and keeps serving', async () => {
      const rng = createRng(SEED + 1);
      const before = await tableRows(app);
      for (const role of ['judge', 'researcher'] as const) {
        const socket = connect(role);
        for (let i = 0; i < 150; i++) {
          const event = [...EVENTS, 'no.such.event'][Math.floor(rng() * (EVENTS.length + 1))]!;
          const payload = rng() < 0.2 ? { debateId, stage: junk(rng), probabilities: junk(rng) } : junk(rng);
          if (event === 'no.such.event') {
            socket.emit(event, payload);
            continue;
          }
          const reply = await socket.timeout(5000).emitWithAck(event, payload);
          if (reply.ok) expect(['debate.join', 'debate.leave', 'training.join', 'campaign.join']).toContain(event);
          else expect(reply.status, `${event} ${JSON.stringify(payload)}`).toBeLessThan(500);
        }
        expect(socket.connected).toBe(true);
        socket.close();
      }
      expect(await tableRows(app)).toEqual(before);
    }, 120_000);

    it(`refuses socket messages nested ${DEEP} deep with a 4xx that says why, and keeps serving`, async () => {
      const before = await tableRows(app);
      const id = JSON.stringify(debateId);
      const payloads: [string, string][] = [
        ['arrays', nestedArrays(DEEP)],
        ['objects', nestedObjects(DEEP)],
        ['an id of arrays', `{"debateId":${nestedArrays(DEEP)},"campaignId":${nestedArrays(DEEP)},"trainingJobId":${nestedArrays(DEEP)}}`],
        ['a verdict of arrays', `{"debateId":${id},"stage":"final","probabilities":${nestedArrays(DEEP)}}`],
        ['a stage of objects', `{"debateId":${id},"stage":${nestedObjects(DEEP)},"probabilities":[1]}`],
      ];
      const problems: string[] = [];
      for (const role of ['judge', 'researcher'] as const) {
        const socket = await rawSocket(app, keys[role]);
        try {
          for (const event of EVENTS) {
            for (const [what, payload] of payloads) {
              const reply = await socket.send(event, payload).catch((error: Error) => ({ ok: false, error: error.message }) as Reply);
              const refused =
                !reply.ok && reply.status! >= 400 && reply.status! < 500 && typeof reply.error === 'string' && reply.error !== '';
              if (!refused) problems.push(`${event} as ${role}, ${what} → ${JSON.stringify(reply).slice(0, 200)}`);
            }
          }
          // Still connected, and still answered.
          expect(socket.connected).toBe(true);
          const joined = await socket.send('debate.join', JSON.stringify({ debateId }));
          expect(role === 'judge' ? joined : joined.ok, JSON.stringify(joined)).toEqual(
            role === 'judge' ? { ok: false, status: 403, error: `you are not a judge of debate ${debateId}` } : true,
          );
        } finally {
          socket.close();
        }
      }
      expect(problems).toEqual([]);
      expect((await http(app, 'GET', '/health')).status).toBe(200);
      expect(await tableRows(app)).toEqual(before);
    }, 120_000);

    it(`answers a socket flooding ${FLOOD} malformed messages with 429s, then disconnects it, and keeps serving everyone else`, async () => {
      const rng = createRng(SEED + 2);
      const before = await tableRows(app);
      const bystander = connect('judge');
      const observer = connect('researcher');
      const flooder = connect('researcher');
      await Promise.all([bystander, observer, flooder].map(connected));
      const disconnected = new Promise<void>((resolve) => flooder.on('disconnect', resolve));
      const replies: Reply[] = [];
      for (let i = 0; i < FLOOD; i++) {
        const event = [...EVENTS, 'no.such.event'][Math.floor(rng() * (EVENTS.length + 1))]!;
        const payload = rng() < 0.2 ? { debateId, stage: junk(rng), probabilities: junk(rng) } : junk(rng);
        flooder.emit(event, payload, (reply) => replies.push(reply));
      }
      // Everyone else is answered while the flood is handled, over sockets and HTTP.
      const [observed, judged, health, viewed] = await Promise.all([
        observer.timeout(10_000).emitWithAck('debate.join', { debateId }),
        bystander.timeout(10_000).emitWithAck('debate.join', { debateId }),
        http(app, 'GET', '/health'),
        http(app, 'GET', `/debates/${debateId}`, keys.researcher),
      ]);
      expect(observed).toMatchObject({ ok: true });
      expect(judged).toMatchObject({ ok: false, status: 403 });
      expect(health.status).toBe(200);
      expect(viewed.status).toBe(200);

      await Promise.race([
        disconnected,
        new Promise((_, reject) => setTimeout(() => reject(new Error('the flooding socket was not disconnected')), 30_000)),
      ]);
      const limited = replies.filter((r) => r.status === 429);
      expect(replies.filter((r) => (r.status ?? 0) >= 500)).toEqual([]);
      // Disconnected once refused more often than the limit allows, each refusal answered.
      expect(limited.length).toBeGreaterThan(SOCKET_REFUSALS_BEFORE_DISCONNECT);
      for (const refusal of limited) expect(refusal.error).toMatch(/^too many messages/);
      // At most a burst was handled; the rest were refused, then dropped with the connection.
      expect(replies.length - limited.length).toBeLessThanOrEqual(SOCKET_MESSAGE_BURST);
      expect(replies.length).toBeLessThan(FLOOD);
      expect(flooder.connected).toBe(false);
      // The others are still connected and answered afterwards.
      expect(observer.connected && bystander.connected).toBe(true);
      expect(await observer.timeout(10_000).emitWithAck('debate.join', { debateId })).toMatchObject({ ok: true });
      expect(await tableRows(app)).toEqual(before);
    }, 120_000);
  },
);
