/**
 * Live fan-out: N socket.io judge clients spread over M live debates (default 1,000 over 100). Speeches
 * are submitted at a steady rate; for every `turn.created` each judge receives, the latency from the
 * turn being persisted (its `createdAt`) to the client holding it. Two references in the same run:
 * the minimal pipeline with the same durability (bench/fanout-pipeline.ts: each turn INSERTed and
 * NOTIFYed in one statement, LISTENed by another process that emits it to the room; the goal is the
 * platform's p99 within 1.5× of it), and a bare socket.io server (bench/fanout-bare.ts) broadcasting
 * the same payloads to the same rooms, timed from its emit. Each server runs in a process of its own;
 * the clients share this one.
 * Needs PostgreSQL (TRIBUNAL_BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres).
 * Run: npm run bench:fanout [-- --clients N --debates M --rounds R --rate turns-per-second]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { Api, data } from '../apps/cli/src/api-client.js';
import { DEFAULT_DEBATE_PROTOCOL, type ProtocolSpec, type TurnView } from '#tribunal/contracts';
import { benchDatabase } from './database.js';
import type { Figure } from './report.js';
import { freePort, spawnRole } from '../test/support/processes.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '1000' },
    debates: { type: 'string', default: '100' },
    rounds: { type: 'string', default: '10' },
    rate: { type: 'string', default: '50' },
    json: { type: 'boolean', default: false },
  },
});
/** The text report; with --json it goes to standard error and standard output carries the figures (bench/report.ts). */
const say = (line: string) => (values.json ? process.stderr : process.stdout).write(line + '\n');
/** What the issue asks of a judge's wait for a turn, at the 99th percentile. */
const GOAL_P99_MS = 20;
/** And of the platform's p99 against the minimal durable pipeline's, measured in the same run. */
const GOAL_OVER_PIPELINE = 1.5;
const CLIENTS = Number(values.clients);
const DEBATES = Number(values.debates);
const ROUNDS = Number(values.rounds);
const RATE = Number(values.rate);
const PER_DEBATE = Math.ceil(CLIENTS / DEBATES);
if (PER_DEBATE > 50) throw new Error('at most 50 judges per debate: raise --debates');
const SPEECHES = 2 * ROUNDS;
const logs = mkdtempSync(join(tmpdir(), 'tribunal-fanout-'));

/** A limited number of `work` calls at a time over `items`. */
async function pool<T, R>(items: readonly T[], size: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]!, i);
      }
    }),
  );
  return results;
}

interface Listener {
  latencies: number[];
  /** Per client, the turn indices received. */
  received: Set<number>[];
  sockets: Socket[];
}

/** Connects `CLIENTS` sockets, client c to debate c mod M, joined through `join`; records latencies of `turn.created`. */
async function listen(connect: (client: number) => Socket, join: (socket: Socket, debate: number) => Promise<void>): Promise<Listener> {
  const listener: Listener = { latencies: [], received: [], sockets: [] };
  await pool(
    Array.from({ length: CLIENTS }, (_, c) => c),
    50,
    async (c) => {
      const socket = connect(c);
      const received = new Set<number>();
      listener.received[c] = received;
      listener.sockets[c] = socket;
      socket.on('turn.created', ({ turn }: { turn: TurnView }) => {
        listener.latencies.push(Date.now() - Date.parse(turn.createdAt));
        received.add(turn.index);
      });
      await new Promise<void>((connected, failed) => {
        socket.once('connect', () => connected());
        socket.once('connect_error', failed);
      });
      await join(socket, c % DEBATES);
    },
  );
  return listener;
}

/** Submits SPEECHES speeches to every debate, one every 1/RATE s overall, each debate's in order. */
async function drive(submit: (debate: number, speech: number) => Promise<void>): Promise<number> {
  const began = performance.now();
  let slot = 0;
  await Promise.all(
    Array.from({ length: DEBATES }, async (_, d) => {
      for (let k = 0; k < SPEECHES; k++) {
        const at = began + (slot++ * 1000) / RATE;
        await new Promise((r) => setTimeout(r, Math.max(0, at - performance.now())));
        await submit(d, k);
      }
    }),
  );
  return (performance.now() - began) / 1000;
}

const seatOf = (speech: number) => (speech % 2 === 0 ? 'A' : 'B');
const textOf = (debate: number, speech: number) =>
  `Speech ${speech} of debate ${debate}. ${'The sensor readings in the rooms agree with my answer, and my opponent has not shown otherwise. '.repeat(4)}`;

/** Waits until every client has received every speech of its debate, or a few seconds of silence. */
async function settle(listener: Listener): Promise<void> {
  const expected = CLIENTS * SPEECHES;
  let last = -1;
  for (let quiet = 0; quiet < 30;) {
    const got = listener.latencies.length;
    if (got >= expected) return;
    quiet = got === last ? quiet + 1 : 0;
    last = got;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function summary(listener: Listener) {
  const sorted = Float64Array.from(listener.latencies).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  const complete = listener.received.filter((r) => r.size === SPEECHES).length;
  return { p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? NaN, deliveries: sorted.length, complete };
}

function close(listener: Listener): void {
  for (const socket of listener.sockets) socket.close();
}

/** The upper bound of the bucket holding the median of a Prometheus histogram, in ms. */
async function medianBucket(url: string, name: string, key: string): Promise<string> {
  const text = await (await fetch(url, { headers: { authorization: `Bearer ${key}` } })).text();
  const buckets = [...text.matchAll(new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\d+)`, 'gm'))].map((m) => ({
    le: m[1]!,
    n: Number(m[2]),
  }));
  const total = buckets.at(-1)?.n ?? 0;
  const median = buckets.find((b) => b.n >= total / 2);
  return median ? `≤ ${Number(median.le) * 1000} ms` : 'unknown';
}

// ---- Tribunal: API and worker processes on PostgreSQL ----
const database = await benchDatabase('tribunal_bench_fanout');
const env = { DATABASE_URL: database.url, LOG_LEVEL: 'warn', TRIBUNAL_DEMO: 'false' };
const port = await freePort();
const api = await spawnRole('api', { ...env, PORT: String(port) }, { logFile: join(logs, 'api.log'), fresh: true });
const worker = await spawnRole('worker', env, { logFile: join(logs, 'worker.log') });
let platform: ReturnType<typeof summary>;
let platformSeconds: number;
let emitted: string;
try {
  const admin = new Api(api.url!, api.adminKey!);
  say(`setting up ${DEBATES} debates and ${CLIENTS} judges (logs in ${logs})`);
  const judges = await pool(
    Array.from({ length: CLIENTS }, (_, c) => c),
    16,
    async (c) => {
      const created = await data(admin.client.POST('/users', { body: { name: `judge-${c}`, role: 'judge' } }));
      return { id: created.user.id, key: created.key };
    },
  );
  const dataset = await data(admin.client.POST('/datasets/world', { body: { name: 'fanout', seed: 3, size: DEBATES } }));
  // Every room is debated: none is held out (held-out rooms are never disputed).
  await admin.client.PUT('/datasets/{id}/model-policy', { params: { path: { id: dataset.id } }, body: { heldOutFraction: 0 } });
  const disputes = await data(
    admin.client.POST('/datasets/{id}/disputes', {
      params: { path: { id: dataset.id } },
      body: { auditFraction: 1, minBlindCells: 10_000, seed: 1 },
    }),
  );
  if (disputes.length < DEBATES) throw new Error(`only ${disputes.length} disputes for ${DEBATES} debates`);
  const spec: ProtocolSpec = {
    ...DEFAULT_DEBATE_PROTOCOL,
    description: 'Manual speeches, one sequential round after another, followed by human judges.',
    structure: { opening: [], repeating: [{ type: 'sequential' }], closing: [] },
    end: { maxRepeats: ROUNDS, judgeMayEnd: false },
    debaters: [{ backend: 'manual' }, { backend: 'manual' }],
    judges: { count: PER_DEBATE, kind: 'human' },
  };
  const protocol = await data(admin.client.POST('/protocols', { body: { name: 'fanout', spec } }));
  const debateIds = await pool(
    Array.from({ length: DEBATES }, (_, d) => d),
    8,
    async (d) => {
      const judgeIds = judges.filter((_, c) => c % DEBATES === d).map((j) => j.id);
      const debate = await data(admin.client.POST('/debates', { body: { disputeId: disputes[d]!.id, protocolId: protocol.id, judgeIds } }));
      return debate.id;
    },
  );

  const listener = await listen(
    (c) => io(api.url!, { auth: { token: judges[c]!.key }, transports: ['websocket'], reconnection: false, forceNew: true }),
    async (socket, d) => {
      const joined = await socket.timeout(30_000).emitWithAck('debate.join', { debateId: debateIds[d] });
      if (!joined.ok) throw new Error(`could not join debate ${debateIds[d]}: ${joined.error}`);
    },
  );
  say(`${CLIENTS} judges connected; ${DEBATES * SPEECHES} speeches at ${RATE}/s`);
  platformSeconds = await drive(async (d, k) => {
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(`${api.url}/debates/${debateIds[d]}/speeches`, {
        method: 'POST',
        headers: { authorization: `Bearer ${api.adminKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ seat: seatOf(k), text: textOf(d, k) }),
      });
      if (response.status === 201) return;
      // The debate may not have reached this seat yet (its worker job is still starting it).
      if (response.status !== 409 || attempt > 200)
        throw new Error(`speech ${k} of debate ${d}: ${response.status} ${await response.text()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  });
  await settle(listener);
  platform = summary(listener);
  close(listener);
  emitted = await medianBucket(`${api.url}/metrics`, 'tribunal_turn_delivery_seconds', api.adminKey!);
} finally {
  await worker.kill('SIGTERM');
  await api.kill('SIGTERM');
  await database.drop();
}

// ---- The reference the goal is set against: the minimal durable pipeline ----
// INSERT the turn and NOTIFY it in one statement; another process LISTENs and emits to the room.
const PIPELINE_CHANNEL = 'fanout_pipeline';
const pipelineDatabase = await benchDatabase('tribunal_bench_fanout_pipeline');
const pipelinePort = await freePort();
const pipelineServer = spawn(process.execPath, [resolve('dist/bench/fanout-pipeline.js')], {
  env: { PATH: process.env.PATH ?? '', PORT: String(pipelinePort), DATABASE_URL: pipelineDatabase.url, CHANNEL: PIPELINE_CHANNEL },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let pipeline: ReturnType<typeof summary>;
let pipelineSeconds: number;
const writer = new pg.Pool({ connectionString: pipelineDatabase.url, max: 16 });
try {
  await writer.query(
    `CREATE TABLE pipeline_turns (id bigserial PRIMARY KEY, debate text NOT NULL, index int NOT NULL, seat text NOT NULL,
                                  text text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), UNIQUE (debate, index))`,
  );
  await new Promise<void>((ready) => pipelineServer.stdout!.once('data', () => ready()));
  const url = `http://127.0.0.1:${pipelinePort}`;
  const listener = await listen(
    () => io(url, { transports: ['websocket'], reconnection: false, forceNew: true }),
    async (socket, d) => {
      await socket.timeout(30_000).emitWithAck('join', { room: `debate:${d}` });
    },
  );
  pipelineSeconds = await drive(async (d, k) => {
    await writer.query(
      `WITH turn AS (INSERT INTO pipeline_turns (debate, index, seat, text) VALUES ($1, $2, $3, $4) RETURNING *)
       SELECT pg_notify('${PIPELINE_CHANNEL}', json_build_object('room', 'debate:' || turn.debate, 'debateId', turn.debate,
         'turn', json_build_object('index', turn.index, 'round', turn.index / 2, 'seat', turn.seat, 'text', turn.text,
                                   'createdAt', turn.created_at, 'citations', '[]'::json))::text) FROM turn`,
      [String(d), k, seatOf(k), textOf(d, k)],
    );
  });
  await settle(listener);
  pipeline = summary(listener);
  close(listener);
} finally {
  await writer.end();
  pipelineServer.kill();
  await pipelineDatabase.drop();
}

// ---- The reference: a bare socket.io server ----
const barePort = await freePort();
const bareServer = spawn(process.execPath, [resolve('dist/bench/fanout-bare.js')], {
  env: { PATH: process.env.PATH ?? '', PORT: String(barePort) },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let bare: ReturnType<typeof summary>;
let bareSeconds: number;
try {
  await new Promise<void>((ready) => bareServer.stdout!.once('data', () => ready()));
  const url = `http://127.0.0.1:${barePort}`;
  const listener = await listen(
    () => io(url, { transports: ['websocket'], reconnection: false, forceNew: true }),
    async (socket, d) => {
      await socket.timeout(30_000).emitWithAck('join', { room: `debate:${d}` });
    },
  );
  bareSeconds = await drive(async (d, k) => {
    const turn = { index: k, round: Math.floor(k / 2), seat: seatOf(k), text: textOf(d, k), citations: [] };
    const response = await fetch(`${url}/publish`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ room: `debate:${d}`, debateId: String(d), turn }),
    });
    if (response.status !== 201) throw new Error(`publish: ${response.status}`);
  });
  await settle(listener);
  bare = summary(listener);
  close(listener);
} finally {
  bareServer.kill();
}

const ms = (x: number) => `${x.toFixed(0).padStart(5)} ms`;
const line = (name: string, s: ReturnType<typeof summary>, seconds: number) =>
  `  ${name.padEnd(48)} p50 ${ms(s.p50)}  p99 ${ms(s.p99)}  max ${ms(s.max)}  ` +
  `${s.deliveries}/${CLIENTS * SPEECHES} delivered, ${s.complete}/${CLIENTS} clients complete, ${seconds.toFixed(1)} s`;
say(
  `live fan-out, ${CLIENTS} judges over ${DEBATES} debates, ${DEBATES * SPEECHES} turns at ${RATE} turns/s (${CLIENTS * SPEECHES} deliveries):`,
);
say(line('platform (persisted → judge)', platform, platformSeconds));
say(`    of which persisted → emitted by the API process: median ${emitted} (its tribunal_turn_delivery_seconds)`);
say(line('minimal pipeline (INSERT+NOTIFY → LISTEN → emit)', pipeline, pipelineSeconds));
say(line('bare socket.io (emit → client)', bare, bareSeconds));
say(
  `  ratio platform/pipeline p99 ${(platform.p99 / Math.max(pipeline.p99, 1)).toFixed(2)} (goal ≤ ${GOAL_OVER_PIPELINE}); ` +
    `platform/bare p50 ${(platform.p50 / Math.max(bare.p50, 1)).toFixed(2)}, p99 ${(platform.p99 / Math.max(bare.p99, 1)).toFixed(2)}`,
);
if (values.json) {
  const result: Figure = {
    benchmark: 'fanout',
    name: `${CLIENTS} judges over ${DEBATES} debates at ${RATE} turns/s: a turn persisted → at every judge, p99`,
    figure: platform.p99,
    unit: 'ms',
    range: null,
    reference: 'bare socket.io, emit → client, p99',
    referenceFigure: bare.p99,
    ratio: Math.max(bare.p99, 1) / Math.max(platform.p99, 1),
    goal: `p99 ≤ ${GOAL_P99_MS} ms`,
    met: platform.p99 <= GOAL_P99_MS,
    detail: { p50: platform.p50, max: platform.max, delivered: platform.deliveries, expected: CLIENTS * SPEECHES, bareP50: bare.p50 },
  };
  console.log(JSON.stringify(result));
  const overPipeline: Figure = {
    ...result,
    name: `${CLIENTS} judges over ${DEBATES} debates: p99 against the minimal durable pipeline (INSERT+NOTIFY → LISTEN → emit)`,
    reference: 'minimal pipeline, persisted → judge, p99',
    referenceFigure: pipeline.p99,
    ratio: Math.max(pipeline.p99, 1) / Math.max(platform.p99, 1),
    goal: `≥ ${(1 / GOAL_OVER_PIPELINE).toFixed(2)} (platform p99 ≤ ${GOAL_OVER_PIPELINE}× the pipeline's)`,
    met: platform.p99 <= GOAL_OVER_PIPELINE * Math.max(pipeline.p99, 1),
    detail: { pipelineP50: pipeline.p50, pipelineMax: pipeline.max, pipelineDelivered: pipeline.deliveries },
  };
  console.log(JSON.stringify(overPipeline));
}
process.exit(0);
