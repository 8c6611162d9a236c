/**
 * Long loads against everyone else: how long another user waits for an answer that reads the
 * database (GET /datasets) while a researcher uploads a 55 MB dataset (30,000 items) and while an
 * admin imports the NYU archive, against the same request on an idle server in the same run. The
 * server runs in this process, as `npm start` runs it, so its event loop's longest stall is measured
 * too. On the embedded database (one session) and on PostgreSQL.
 * Run: npm run build && node dist/bench/loads.js [--items N]
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startProcess, type RunningProcess } from '../apps/bootstrap/src/start-process.js';
import { benchDatabase } from './database.js';

const { values } = parseArgs({ options: { items: { type: 'string', default: '30000' } } });
const ITEMS = Number(values.items);
const ARCHIVE = join(import.meta.dirname, '../../../shared/data/nyu-debate/nyu-debate-2023.tgz');

function stats(ms: number[]): { p50: number; max: number; text: string } {
  const sorted = [...ms].sort((a, b) => a - b);
  const p50 = sorted[Math.floor(sorted.length / 2)] ?? NaN;
  const max = sorted[sorted.length - 1] ?? NaN;
  return { p50, max, text: `p50 ${p50.toFixed(0).padStart(5)} ms  max ${max.toFixed(0).padStart(6)} ms  (${ms.length} answers)` };
}

async function call(running: RunningProcess, method: string, path: string, body?: string): Promise<Response> {
  return fetch(running.url + path, {
    method,
    headers: { authorization: `Bearer ${running.adminKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body,
  });
}

/** Another user's answers (GET /datasets, one after another) while `work` runs, or for `ms` when idle. */
async function others(running: RunningProcess, work: Promise<unknown> | number): Promise<{ answers: number[]; stall: number }> {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let done = false;
  const until = typeof work === 'number' ? new Promise((r) => setTimeout(r, work)) : work;
  void until.finally(() => (done = true));
  const answers: number[] = [];
  while (!done) {
    const start = performance.now();
    const response = await call(running, 'GET', '/datasets');
    await response.arrayBuffer();
    answers.push(performance.now() - start);
  }
  await until;
  loop.disable();
  return { answers, stall: loop.max / 1e6 };
}

async function run(database: 'embedded' | 'PostgreSQL'): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tribunal-bench-loads-'));
  cpSync(ARCHIVE, join(dir, 'imports/nyu.tgz'));
  const pg = database === 'PostgreSQL' ? await benchDatabase('tribunal_bench_loads') : undefined;
  const running = await startProcess(['api', 'worker', 'trainer'], {
    PORT: '0',
    LOG_LEVEL: 'warn',
    TRIBUNAL_DEMO: 'false',
    TRIBUNAL_IMPORT_DIR: join(dir, 'imports'),
    ...(pg ? { DATABASE_URL: pg.url } : { TRIBUNAL_DATA_DIR: join(dir, 'data') }),
  });
  try {
    const items = Array.from({ length: ITEMS }, (_, i) => ({
      externalId: `item-${i}`,
      question: `Question ${i}: ${'lorem ipsum '.repeat(60)}`,
      answers: ['yes', 'no'],
      simpleLabel: i % 2,
      context: { text: 'context '.repeat(50) },
      evidence: [{ id: 'e', kind: 'passage', text: 'evidence '.repeat(60) }],
    }));
    const body = JSON.stringify({ name: 'big', items });
    const idle = await others(running, 3000);
    const started = performance.now();
    const upload = call(running, 'POST', '/datasets', body).then(async (r) => {
      if (r.status !== 201) throw new Error(`upload: ${r.status} ${await r.text()}`);
    });
    const during = await others(running, upload);
    const uploadSeconds = (performance.now() - started) / 1000;
    const importing = call(running, 'POST', '/datasets/import/nyu', JSON.stringify({ path: 'nyu.tgz', name: 'nyu' })).then(async (r) => {
      if (r.status !== 201) throw new Error(`import: ${r.status} ${await r.text()}`);
    });
    const duringImport = await others(running, importing);
    const [a, b, c] = [stats(idle.answers), stats(during.answers), stats(duringImport.answers)];
    console.log(`\n${database}`);
    console.log(`  idle                               ${a.text}  loop stall ${idle.stall.toFixed(0)} ms`);
    console.log(
      `  during a ${(body.length / 1e6).toFixed(0)} MB upload (${uploadSeconds.toFixed(1)} s)   ${b.text}  loop stall ${during.stall.toFixed(0)} ms`,
    );
    console.log(`  during the NYU import              ${c.text}  loop stall ${duringImport.stall.toFixed(0)} ms`);
    console.log(`  ratio of the longest wait to idle's: upload ${(b.max / a.max).toFixed(1)}, import ${(c.max / a.max).toFixed(1)}`);
  } finally {
    await running.app.close();
    await pg?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await run('embedded');
await run('PostgreSQL');
process.exit(0);
