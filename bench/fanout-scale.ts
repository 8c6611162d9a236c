/**
 * Live fan-out at scale: N judge sockets (default 10,000) spread over A API processes (default 2), one
 * judge user a socket, 50 to a debate, the client sockets held by child processes of their own
 * (bench/fanout-clients.ts, default 2,500 sockets each). Speeches are posted at a steady rate, each
 * debate's to one of the API processes in turn, so that every turn reaches half of its judges through
 * the process it was posted to and half through the other, both by NOTIFY. Reported: the latency from
 * the turn being persisted (its `createdAt`) to every judge's handler, whether every socket got every
 * turn of its debate exactly once (none lost, none twice, none of another debate), and each API
 * process's resident memory per 1,000 sockets (VmRSS before the sockets connect and after they
 * joined).
 * Needs PostgreSQL (TRIBUNAL_BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres)
 * and as many open files a process as it holds sockets (`ulimit -n`). Loopback only.
 * Run: npm run bench:fanout-scale [-- --sockets N --apis A --debates M --rounds R --rate turns-per-second --per-process N]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Api } from '../apps/cli/src/api-client.js';
import { benchDatabase } from './database.js';
import type { ClientsReply, ClientsRequest } from './fanout-clients.js';
import { deliveryBucket, drive, latencies, setUpDebates, submitSpeech } from './live.js';
import type { Figure } from './report.js';
import { freePort, spawnRole, type SpawnedProcess } from '../test/support/processes.js';

const { values } = parseArgs({
  options: {
    sockets: { type: 'string', default: '10000' },
    apis: { type: 'string', default: '2' },
    debates: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '3' },
    rate: { type: 'string', default: '50' },
    'per-process': { type: 'string', default: '2500' },
    json: { type: 'boolean', default: false },
  },
});
const say = (line: string) => (values.json ? process.stderr : process.stdout).write(line + '\n');
/** What the issue asks of a judge's wait for a turn at this scale, at the 99th percentile. */
const GOAL_P99_MS = 100;
const SOCKETS = Number(values.sockets);
const APIS = Number(values.apis);
const DEBATES = Number(values.debates);
const ROUNDS = Number(values.rounds);
const RATE = Number(values.rate);
const PER_PROCESS = Number(values['per-process']);
const SPEECHES = 2 * ROUNDS;
const CLIENT_PROCESSES = Math.ceil(SOCKETS / PER_PROCESS);
const logs = mkdtempSync(join(tmpdir(), 'tribunal-fanout-scale-'));

/** Every process here inherits this limit on open files; each socket is one on either side. */
const openFiles = Number(
  /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1]?.replace('unlimited', 'Infinity'),
);
const needed = Math.max(Math.ceil(SOCKETS / APIS), PER_PROCESS) + 256;
if (openFiles < needed)
  throw new Error(`${openFiles} open files a process allowed, ${needed} needed: raise it (ulimit -n ${needed}) and run again`);

/** A process's resident memory, MiB. */
function rss(pid: number): number {
  const kib = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kib) / 1024;
}

function request(child: ChildProcess, message: ClientsRequest): Promise<ClientsReply> {
  return new Promise((answered, failed) => {
    child.once('message', (reply: ClientsReply) => (reply.kind === 'failed' ? failed(new Error(reply.error)) : answered(reply)));
    child.once('exit', (code) => failed(new Error(`a client process exited with ${code}`)));
    child.send(message);
  });
}

const database = await benchDatabase('tribunal_bench_fanout_scale');
const env = { DATABASE_URL: database.url, LOG_LEVEL: 'warn', TRIBUNAL_DEMO: 'false' };
const apis: SpawnedProcess[] = [];
const clients: ChildProcess[] = [];
let worker: SpawnedProcess | undefined;
let result: {
  latency: ReturnType<typeof latencies>;
  seconds: number;
  complete: number;
  lost: number;
  duplicates: number;
  foreign: number;
  memory: { before: number; after: number; sockets: number }[];
  /** Per API process, persisted → emitted to its sockets. */
  emitted: string[];
};
try {
  // Set up through an API process of its own, so that the processes measured hold nothing but their sockets.
  const setup = await spawnRole('api', { ...env, PORT: String(await freePort()) }, { logFile: join(logs, 'api-setup.log'), fresh: true });
  const adminKey = setup.adminKey!;
  say(`setting up ${DEBATES} debates and ${SOCKETS} judges (logs in ${logs})`);
  let live: Awaited<ReturnType<typeof setUpDebates>>;
  try {
    live = await setUpDebates(new Api(setup.url!, adminKey), { judges: SOCKETS, debates: DEBATES, rounds: ROUNDS });
  } finally {
    await setup.kill('SIGTERM');
  }
  const { judges, debateIds } = live;
  for (let a = 0; a < APIS; a++) {
    apis.push(await spawnRole('api', { ...env, PORT: String(await freePort()) }, { logFile: join(logs, `api-${a}.log`) }));
  }
  worker = await spawnRole('worker', env, { logFile: join(logs, 'worker.log') });
  await new Promise((r) => setTimeout(r, 3000));
  const before = apis.map((api) => rss(api.child.pid!));

  // Socket c is judge c's, on API process c mod A, in client process c div PER_PROCESS.
  const sockets = judges.map((judge, c) => ({ url: apis[c % APIS]!.url!, key: judge.key, debateId: debateIds[c % DEBATES]! }));
  for (let p = 0; p < CLIENT_PROCESSES; p++)
    clients.push(fork(resolve('dist/bench/fanout-clients.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  const connectBegan = performance.now();
  await Promise.all(
    clients.map((child, p) =>
      request(child, { kind: 'connect', sockets: sockets.slice(p * PER_PROCESS, (p + 1) * PER_PROCESS), speeches: SPEECHES }),
    ),
  );
  await new Promise((r) => setTimeout(r, 3000));
  const after = apis.map((api) => rss(api.child.pid!));
  say(
    `${SOCKETS} judges connected and joined over ${APIS} API processes from ${CLIENT_PROCESSES} client processes in ${((performance.now() - connectBegan) / 1000).toFixed(1)} s; ${DEBATES * SPEECHES} speeches at ${RATE}/s`,
  );

  const seconds = await drive({ debates: DEBATES, speeches: SPEECHES, rate: RATE }, (d, k) =>
    submitSpeech(apis[d % APIS]!.url!, adminKey, debateIds[d]!, d, k),
  );
  const replies = (await Promise.all(clients.map((child) => request(child, { kind: 'collect' })))) as Extract<
    ClientsReply,
    { kind: 'result' }
  >[];
  const sum = (f: (r: (typeof replies)[number]) => number) => replies.reduce((n, r) => n + f(r), 0);
  // Where the time went: persisted → emitted by each API process, its median and p99 (buckets).
  const emitted = await Promise.all(
    apis.map(
      async (api) => `median ${await deliveryBucket(api.url!, adminKey, 0.5)}, p99 ${await deliveryBucket(api.url!, adminKey, 0.99)}`,
    ),
  );
  result = {
    latency: latencies(replies.flatMap((r) => r.latencies)),
    seconds,
    complete: sum((r) => r.complete),
    lost: sum((r) => r.lost),
    duplicates: sum((r) => r.duplicates),
    foreign: sum((r) => r.foreign),
    emitted,
    memory: apis.map((_, a) => ({ before: before[a]!, after: after[a]!, sockets: sockets.filter((_, c) => c % APIS === a).length })),
  };
} finally {
  for (const child of clients) child.kill();
  await worker?.kill('SIGTERM');
  await Promise.all(apis.map((api) => api.kill('SIGTERM')));
  await database.drop();
}

const { latency, memory } = result;
const exactlyOnce = result.lost === 0 && result.duplicates === 0 && result.foreign === 0 && result.complete === SOCKETS;
const perThousand = memory.map((m) => ((m.after - m.before) / m.sockets) * 1000);
const ms = (x: number) => `${x.toFixed(0).padStart(5)} ms`;
say(
  `live fan-out at scale, ${SOCKETS} judge sockets over ${APIS} API processes, ${DEBATES} debates, ${DEBATES * SPEECHES} turns at ${RATE} turns/s (${SOCKETS * SPEECHES} deliveries):`,
);
say(
  `  persisted → judge   p50 ${ms(latency.p50)}  p99 ${ms(latency.p99)}  max ${ms(latency.max)}  ${latency.count}/${SOCKETS * SPEECHES} delivered in ${result.seconds.toFixed(1)} s (goal p99 ≤ ${GOAL_P99_MS} ms: ${latency.p99 <= GOAL_P99_MS ? 'met' : 'not met'})`,
);
for (const [a, e] of result.emitted.entries())
  say(`    of which persisted → emitted by API process ${a + 1}: ${e} (its tribunal_turn_delivery_seconds)`);
say(
  `  exactly once: ${result.complete}/${SOCKETS} sockets got every turn of their debate; ${result.lost} lost, ${result.duplicates} twice or more, ${result.foreign} not of the socket's debate (${exactlyOnce ? 'met' : 'NOT met'})`,
);
for (const [a, m] of memory.entries())
  say(
    `  API process ${a + 1}: ${m.before.toFixed(0)} MiB, ${m.after.toFixed(0)} MiB with ${m.sockets} judge sockets joined: ${perThousand[a]!.toFixed(1)} MiB per 1,000`,
  );
if (values.json) {
  const name = `${SOCKETS} judge sockets over ${APIS} API processes, ${DEBATES} debates at ${RATE} turns/s`;
  const figures: Figure[] = [
    {
      benchmark: 'fanout-scale',
      name: `${name}: a turn persisted → at every judge, p99, each turn to each judge exactly once`,
      figure: latency.p99,
      unit: 'ms',
      range: null,
      reference: null,
      referenceFigure: null,
      ratio: null,
      goal: `p99 ≤ ${GOAL_P99_MS} ms, none lost or twice`,
      met: latency.p99 <= GOAL_P99_MS && exactlyOnce,
      detail: {
        p50: latency.p50,
        max: latency.max,
        delivered: latency.count,
        expected: SOCKETS * SPEECHES,
        ...result,
        latency: undefined,
        memory: undefined,
      },
    },
    {
      benchmark: 'fanout-scale',
      name: `${name}: an API process's resident memory per 1,000 joined judge sockets`,
      figure: Math.max(...perThousand),
      unit: 'MiB',
      range: perThousand.length > 1 ? [Math.min(...perThousand), Math.max(...perThousand)] : null,
      reference: null,
      referenceFigure: null,
      ratio: null,
      goal: null,
      met: null,
      detail: { processes: memory },
    },
  ];
  for (const f of figures) console.log(JSON.stringify(f));
}
process.exit(0);
