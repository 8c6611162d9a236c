/**
 * One socket's flood against everyone else: a judge joins a debate again and again on their own
 * socket, one message at a time, and each answer's latency is taken; first alone, then while other
 * sockets each send 3,000 `debate.join` at once (reconnecting whenever the server disconnects them),
 * as in issue 13. Prints both latency distributions, their ratio, and what became of the flood.
 * The API runs in a process of its own (built, from dist/); the clients share this one.
 * Needs PostgreSQL (TRIBUNAL_BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres).
 * Run: npm run build && node dist/bench/socket-flood.js [--joins N --flooders F]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { io, type Socket } from 'socket.io-client';
import { DEFAULT_DEBATE_PROTOCOL } from '#tribunal/contracts';
import { benchDatabase } from './database.js';
import { freePort, spawnRole } from '../test/support/processes.js';

const { values } = parseArgs({ options: { joins: { type: 'string', default: '300' }, flooders: { type: 'string', default: '1' } } });
const JOINS = Number(values.joins);
const FLOODERS = Number(values.flooders);
const FLOOD = 3000;

type Reply = { ok: boolean; status?: number; error?: string };

async function call<T = { id: string }>(url: string, method: string, path: string, key: string, body?: unknown): Promise<T> {
  const response = await fetch(url + path, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

function connect(url: string, key: string): Promise<Socket> {
  const socket = io(url, { auth: { token: key }, transports: ['websocket'], reconnection: false, forceNew: true });
  return new Promise((ready, failed) => {
    socket.once('connect', () => ready(socket));
    socket.once('connect_error', failed);
  });
}

function summary(ms: number[]): { p50: number; p99: number; max: number; text: string } {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const [p50, p99, max] = [at(0.5), at(0.99), sorted[sorted.length - 1]!];
  return { p50, p99, max, text: `p50 ${p50.toFixed(1)} ms  p99 ${p99.toFixed(1)} ms  max ${max.toFixed(1)} ms` };
}

/** The victim's latencies: `JOINS` joins, one after another. */
async function measure(victim: Socket, debateId: string): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < JOINS; i++) {
    const start = performance.now();
    const reply = (await victim.timeout(120_000).emitWithAck('debate.join', { debateId })) as Reply;
    latencies.push(performance.now() - start);
    if (!reply.ok) throw new Error(`the victim was refused: ${reply.error}`);
  }
  return latencies;
}

async function main(): Promise<void> {
  const database = await benchDatabase('tribunal_bench_socket_flood');
  const logs = mkdtempSync(join(tmpdir(), 'tribunal-flood-'));
  const env = { DATABASE_URL: database.url, LOG_LEVEL: 'warn', TRIBUNAL_DEMO: 'false', PORT: String(await freePort()) };
  const api = await spawnRole('api', env, { logFile: join(logs, 'api.log'), fresh: true });
  try {
    const url = api.url!;
    const admin = api.adminKey!;
    const user = (role: string) =>
      call<{ user: { id: string }; key: string }>(url, 'POST', '/users', admin, { name: `${role}-${Math.random()}`, role });
    const researcher = (await user('researcher')).key;
    const judge = await user('judge');
    const dataset = await call(url, 'POST', '/datasets/world', researcher, { name: 'flood', seed: 1, size: 10 });
    const disputes = await call<{ id: string }[]>(url, 'POST', `/datasets/${dataset.id}/disputes`, researcher, { auditFraction: 1 });
    const spec = {
      ...DEFAULT_DEBATE_PROTOCOL,
      debaters: [{ backend: 'manual' }, { backend: 'manual' }],
      judges: { count: 1, kind: 'human' },
    };
    const protocol = await call(url, 'POST', '/protocols', researcher, { name: 'flood', spec });
    const debate = await call(url, 'POST', '/debates', researcher, {
      disputeId: disputes[0].id,
      protocolId: protocol.id,
      judgeIds: [judge.user.id],
    });
    const victim = await connect(url, judge.key);
    await measure(victim, debate.id); // warm up
    const alone = summary(await measure(victim, debate.id));

    const attackers = await Promise.all(Array.from({ length: FLOODERS }, async () => (await user('judge')).key));
    const flood = { sent: 0, answered: 0, refused: 0, disconnects: 0 };
    let flooding = true;
    const floods = attackers.map(async (key) => {
      while (flooding) {
        const socket = await connect(url, key);
        let answered = 0;
        // Until the server disconnects it, or it has had every answer.
        await new Promise((done) => {
          socket.once('disconnect', done);
          for (let i = 0; i < FLOOD; i++) {
            flood.sent++;
            socket.emit('debate.join', { debateId: debate.id }, (reply: Reply) => {
              flood.answered++;
              if (reply.status === 429) flood.refused++;
              if (++answered === FLOOD) done(undefined);
            });
          }
        });
        if (socket.connected) socket.close();
        else flood.disconnects++;
      }
    });
    await new Promise((r) => setTimeout(r, 200));
    const flooded = summary(await measure(victim, debate.id));
    flooding = false;
    await Promise.all(floods);
    victim.close();

    console.log(`socket flood: ${FLOODERS} socket(s) sending ${FLOOD} debate.join at once, reconnecting when disconnected`);
    console.log(`  victim alone        ${alone.text}  (${JOINS} joins)`);
    console.log(`  victim under flood  ${flooded.text}  (${JOINS} joins)`);
    console.log(`  ratio (flood/alone) p50 ${(flooded.p50 / alone.p50).toFixed(2)}  p99 ${(flooded.p99 / alone.p99).toFixed(2)}`);
    console.log(
      `  flood: ${flood.sent} sent, ${flood.answered} answered (${flood.refused} refused with 429), ${flood.disconnects} disconnects by the server`,
    );
  } finally {
    await api.kill('SIGTERM');
    await database.drop();
  }
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
