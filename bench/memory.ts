/**
 * Memory, read from /proc/<pid>/status of processes of their own (VmRSS, and VmHWM for a peak):
 * - the embedded default (`tribunal start`: every role in one process on the embedded database) at
 *   idle, and at its peak while it runs a campaign like the orchestration benchmark's (built-in
 *   debaters, simulated judges);
 * - an API process on PostgreSQL before and after N judge sockets connect (default 1,000), per 1,000.
 * Linux only. Needs PostgreSQL for the second (TRIBUNAL_BENCH_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres). Run: npm run bench:memory [-- --debates N --sockets N --json]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { io, type Socket } from 'socket.io-client';
import { Api, data } from '../apps/cli/src/api-client.js';
import { DEFAULT_DEBATE_PROTOCOL } from '#tribunal/contracts';
import { benchDatabase } from './database.js';
import type { Figure } from './report.js';
import { freePort, spawnRole } from '../test/support/processes.js';

const { values } = parseArgs({
  options: {
    debates: { type: 'string', default: '200' },
    sockets: { type: 'string', default: '1000' },
    json: { type: 'boolean', default: false },
  },
});
const DEBATES = Number(values.debates);
const SOCKETS = Number(values.sockets);
const say = (line: string) => (values.json ? process.stderr : process.stdout).write(line + '\n');
const logs = mkdtempSync(join(tmpdir(), 'tribunal-memory-'));

/** A process's resident memory now and at its peak, in MiB. */
function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

function mib(name: string, value: number, detail: Record<string, unknown>): Figure {
  return {
    benchmark: 'memory',
    name,
    figure: value,
    unit: 'MiB',
    range: null,
    reference: null,
    referenceFigure: null,
    ratio: null,
    goal: null,
    met: null,
    detail,
  };
}

async function embedded(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tribunal-memory-data-'));
  const port = await freePort();
  const env = { TRIBUNAL_DATA_DIR: dir, PORT: String(port), LOG_LEVEL: 'warn', TRIBUNAL_DEMO: 'false' };
  const started = await spawnRole('api', env, {
    logFile: join(logs, 'embedded.log'),
    fresh: true,
    args: ['dist/apps/cli/src/main.js', 'start'],
  });
  try {
    const pid = started.child.pid!;
    await settle(5000);
    const idle = memory(pid).rss;
    // From here VmHWM is the campaign's peak.
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    const api = new Api(started.url!, started.adminKey!);
    const dataset = await data(api.client.POST('/datasets/world', { body: { name: 'memory', seed: 1, size: DEBATES } }));
    await api.client.PUT('/datasets/{id}/model-policy', { params: { path: { id: dataset.id } }, body: { heldOutFraction: 0 } });
    const disputes = await data(
      api.client.POST('/datasets/{id}/disputes', {
        params: { path: { id: dataset.id } },
        body: { auditFraction: 1, minBlindCells: 10_000, seed: 1 },
      }),
    );
    const protocol = await data(api.client.POST('/protocols', { body: { name: 'memory', spec: DEFAULT_DEBATE_PROTOCOL } }));
    const campaign = await data(
      api.client.POST('/campaigns', {
        body: { name: 'memory', protocolId: protocol.id, disputeIds: disputes.map((d) => d.id), concurrency: 16 },
      }),
    );
    let sampled = idle;
    for (;;) {
      sampled = Math.max(sampled, memory(pid).rss);
      const view = await data(api.client.GET('/campaigns/{id}', { params: { path: { id: campaign.id } } }));
      if (view.status === 'completed') break;
      await settle(100);
    }
    const peak = Math.max(sampled, memory(pid).peak);
    say(
      `embedded default (every role, embedded database): idle ${idle.toFixed(0)} MiB; peak ${peak.toFixed(0)} MiB during ${DEBATES} debates`,
    );
    return [
      mib('the embedded default (tribunal start) at idle', idle, {}),
      mib(`the embedded default at its peak during a campaign of ${DEBATES} debates`, peak, { debates: DEBATES }),
    ];
  } finally {
    await started.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

async function sockets(): Promise<Figure[]> {
  const database = await benchDatabase('tribunal_bench_memory');
  const port = await freePort();
  const env = { DATABASE_URL: database.url, PORT: String(port), LOG_LEVEL: 'warn', TRIBUNAL_DEMO: 'false' };
  const started = await spawnRole('api', env, { logFile: join(logs, 'api.log'), fresh: true });
  const connected: Socket[] = [];
  try {
    const pid = started.child.pid!;
    const api = new Api(started.url!, started.adminKey!);
    const judge = await data(api.client.POST('/users', { body: { name: 'memory-judge', role: 'judge' } }));
    await settle(3000);
    const before = memory(pid).rss;
    for (let start = 0; start < SOCKETS; start += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, SOCKETS - start) }, async () => {
          const socket = io(started.url!, { auth: { token: judge.key }, transports: ['websocket'], reconnection: false, forceNew: true });
          connected.push(socket);
          await new Promise<void>((done, failed) => {
            socket.once('connect', () => done());
            socket.once('connect_error', failed);
          });
        }),
      );
    }
    await settle(3000);
    const after = memory(pid).rss;
    const per1000 = ((after - before) / SOCKETS) * 1000;
    say(
      `API process: ${before.toFixed(0)} MiB, ${after.toFixed(0)} MiB with ${SOCKETS} judge sockets: ${per1000.toFixed(1)} MiB per 1,000`,
    );
    return [mib('an API process, per 1,000 connected judge sockets', per1000, { before, after, sockets: SOCKETS })];
  } finally {
    for (const socket of connected) socket.close();
    await started.kill('SIGTERM');
    await database.drop();
  }
}

const figures = [...(await embedded()), ...(await sockets())];
if (values.json) for (const f of figures) console.log(JSON.stringify(f));
rmSync(logs, { recursive: true, force: true });
process.exit(0);
