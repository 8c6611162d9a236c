/**
 * Orchestration: turns per second when a campaign of debates with built-in debaters and simulated
 * judges runs through the platform (every step durable, every turn persisted and verified), beside
 * two references measured in the same run:
 * - the floor of the design: the same number of queue round trips (pg-boss send → fetch → complete,
 *   each job's handler writing one row) and the same number of rows written one INSERT each (turns,
 *   citations, verdicts, labels, debates, judge assignments; status changes are not counted, so the
 *   floor errs fast), with the same concurrency, on the same database, and no logic at all;
 * - the built-in debater writing the same number of speeches directly (the work itself).
 * Needs PostgreSQL (TRIBUNAL_BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres).
 * Run: npm run bench:orchestration [-- --debates N --concurrency N --json]; --json prints one JSON
 * object a line per figure (bench/report.ts).
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import { Api, data } from '../apps/cli/src/api-client.js';
import { startProcess } from '../apps/bootstrap/src/start-process.js';
import { benchDatabase } from './database.js';
import type { Figure } from './report.js';
import { DEFAULT_DEBATE_PROTOCOL } from '#tribunal/contracts';
import { builtinSpeech } from '#tribunal/debate';
import { generateWorldDataset } from '#tribunal/world';

const { values } = parseArgs({
  options: {
    debates: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '16' },
    json: { type: 'boolean', default: false },
  },
});
const DEBATES = Number(values.debates);
const CONCURRENCY = Number(values.concurrency);
/** What the issue asks of the platform on this benchmark. */
const GOAL_TURNS_PER_SECOND = 250;
/** What stops the goal where it is not met (bench/RESULTS.md, "Floors"). */
const FLOOR =
  'CPU: PostgreSQL and the one API-and-worker process share 2 cores; ~50 statements a debate where the bare ' +
  'floor runs ~30, each a round trip (RESULTS.md, Floors)';
const log = (line: string) => (values.json ? process.stderr : process.stdout).write(line + '\n');

/** `count` calls of `work`, `size` at a time. */
async function pool(count: number, size: number, work: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, count) }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

/** The platform's campaign, end to end; then what it did: turns, jobs, rows written. */
async function platform(url: string): Promise<{ seconds: number; turns: number; jobs: number; rows: number }> {
  const running = await startProcess(['api', 'worker'], {
    DATABASE_URL: url,
    PORT: '0',
    LOG_LEVEL: 'warn',
    TRIBUNAL_DEMO: 'false',
    TRIBUNAL_WORKER_CONCURRENCY: String(CONCURRENCY),
  });
  try {
    const api = new Api(running.url!, running.adminKey!);
    const dataset = await data(api.client.POST('/datasets/world', { body: { name: 'bench', seed: 1, size: DEBATES } }));
    // Every room is debated: none is held out (held-out rooms are never disputed).
    await api.client.PUT('/datasets/{id}/model-policy', { params: { path: { id: dataset.id } }, body: { heldOutFraction: 0 } });
    const disputes = await data(
      api.client.POST('/datasets/{id}/disputes', {
        params: { path: { id: dataset.id } },
        body: { auditFraction: 1, minBlindCells: 10_000, seed: 1 },
      }),
    );
    const protocol = await data(api.client.POST('/protocols', { body: { name: 'bench', spec: DEFAULT_DEBATE_PROTOCOL } }));
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const jobsBefore = Number((await db.query(`SELECT count(*) FROM pgboss.job_common`)).rows[0].count);
      const began = process.hrtime.bigint();
      const campaign = await data(
        api.client.POST('/campaigns', {
          body: { name: 'bench', protocolId: protocol.id, disputeIds: disputes.map((d) => d.id), concurrency: CONCURRENCY },
        }),
      );
      for (;;) {
        const view = await data(api.client.GET('/campaigns/{id}', { params: { path: { id: campaign.id } } }));
        if (view.status === 'completed') break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const seconds = Number(process.hrtime.bigint() - began) / 1e9;
      // Jobs still arriving (a label's consequences) are part of the run's work too: let them finish.
      await new Promise((r) => setTimeout(r, 1000));
      const jobs = Number((await db.query(`SELECT count(*) FROM pgboss.job_common`)).rows[0].count) - jobsBefore;
      const count = async (table: string) => Number((await db.query(`SELECT count(*) FROM ${table}`)).rows[0].count);
      const turns = await count('turns');
      const rows =
        turns +
        (await count('citations')) +
        (await count('verdicts')) +
        (await count('labels')) +
        (await count('debates')) +
        (await count('judge_assignments'));
      return { seconds, turns, jobs, rows };
    } finally {
      await db.end();
    }
  } finally {
    await running.app.close();
  }
}

/**
 * The floor: `jobs` pg-boss jobs (send → fetch → complete, one INSERT each) and `rows` single-row
 * INSERTs, in `CONCURRENCY` chains where each job waits for the one before it, as a debate's do.
 */
async function floor(url: string, work: { jobs: number; rows: number }): Promise<number> {
  const db = new pg.Pool({ connectionString: url, max: CONCURRENCY });
  await db.query(`CREATE TABLE IF NOT EXISTS floor_rows (id bigserial PRIMARY KEY, body text NOT NULL)`);
  const boss = new PgBoss({ connectionString: url, schema: 'floorboss', max: 4, useListenNotify: true });
  boss.on('error', (error: Error) => log(`floor queue: ${error.message}`));
  await boss.start();
  await boss.createQueue('floor', { policy: 'standard', notify: true });
  try {
    const body = 'x'.repeat(600);
    // As a debate does: each of `CONCURRENCY` chains waits for its job to be handled before the next.
    const handled = new Map<number, () => void>();
    // The platform's queue settings (libs/queue): notified, and polled for what a notification misses.
    const polling = { pollingIntervalSeconds: 0.5, notifyPollingIntervalSeconds: 1 };
    await boss.work<{ i: number }>('floor', { localConcurrency: CONCURRENCY, ...polling }, async (jobs) => {
      for (const job of jobs) {
        await db.query('INSERT INTO floor_rows (body) VALUES ($1)', [`${job.data.i}:${body}`]);
        handled.get(job.data.i)?.();
      }
    });
    const began = process.hrtime.bigint();
    const rowsPerJob = Math.max(0, work.rows - work.jobs) / Math.max(1, work.jobs);
    let rowsWritten = 0;
    await pool(work.jobs, CONCURRENCY, async (i) => {
      await new Promise<void>((resolve) => {
        handled.set(i, resolve);
        void boss.send('floor', { i });
      });
      handled.delete(i);
      for (; rowsWritten < Math.round((i + 1) * rowsPerJob); rowsWritten++) {
        await db.query('INSERT INTO floor_rows (body) VALUES ($1)', [`${i}:${body}`]);
      }
    });
    return Number(process.hrtime.bigint() - began) / 1e9;
  } finally {
    await boss.stop({ graceful: false, close: true });
    await db.end();
  }
}

/** The same number of speeches, written by the built-in debater directly. */
function debaterAlone(turns: number): number {
  const items = generateWorldDataset({ seed: 1, size: DEBATES });
  const began = process.hrtime.bigint();
  for (let i = 0; i < turns; i++) {
    const item = items[i % items.length]!;
    builtinSpeech({
      item: { ...item, context: item.context as unknown as Record<string, unknown>, meta: item.meta as unknown as Record<string, unknown> },
      seat: 'A',
      answer: i % item.answers.length,
      opponents: [{ seat: 'B', answer: (i + 1) % item.answers.length }],
      speechNumber: 1 + (i % 2),
      transcript: [],
      limits: { chars: 1200, quoteChars: undefined, citations: 3 },
      alreadyCited: [],
    });
  }
  return Number(process.hrtime.bigint() - began) / 1e9;
}

const database = await benchDatabase('tribunal_bench_orchestration');
try {
  const run = await platform(database.url);
  const floorSeconds = await floor(database.url, run);
  const bareSeconds = debaterAlone(run.turns);
  const rate = run.turns / run.seconds;
  const perTurn = (1000 * run.seconds) / run.turns;
  const floorPerTurn = (1000 * floorSeconds) / run.turns;
  const figures: Figure[] = [
    {
      benchmark: 'orchestration',
      name: `${DEBATES} debates end to end (built-in debaters, simulated judges, ${CONCURRENCY} at a time)`,
      figure: rate,
      unit: 'turns/s',
      range: null,
      reference: 'the design floor: the same jobs and rows written bare',
      referenceFigure: run.turns / floorSeconds,
      ratio: rate / (run.turns / floorSeconds),
      goal: `≥ ${GOAL_TURNS_PER_SECOND} turns/s`,
      met: rate >= GOAL_TURNS_PER_SECOND,
      ...(rate >= GOAL_TURNS_PER_SECOND ? {} : { floor: FLOOR }),
      detail: { turns: run.turns, jobs: run.jobs, rows: run.rows, seconds: run.seconds, floorSeconds },
    },
    {
      benchmark: 'orchestration',
      name: 'time per turn',
      figure: perTurn,
      unit: 'ms/turn',
      range: null,
      reference: 'the design floor',
      referenceFigure: floorPerTurn,
      ratio: floorPerTurn / perTurn,
      goal: null,
      met: null,
      detail: { debaterAloneMsPerTurn: (1000 * bareSeconds) / run.turns },
    },
  ];
  if (values.json) for (const f of figures) console.log(JSON.stringify(f));
  else {
    console.log(`orchestration, ${DEBATES} debates (${run.turns} turns, built-in debaters, simulated judges, ${CONCURRENCY} at a time):`);
    console.log(
      `  platform                 ${rate.toFixed(1).padStart(8)} turns/s  ${perTurn.toFixed(2)} ms a turn (campaign end to end, ${run.seconds.toFixed(1)} s; goal ≥ ${GOAL_TURNS_PER_SECOND} turns/s: ${rate >= GOAL_TURNS_PER_SECOND ? 'met' : 'not met'})`,
    );
    console.log(
      `  the design floor         ${(run.turns / floorSeconds).toFixed(1).padStart(8)} turns/s  ${floorPerTurn.toFixed(2)} ms a turn (${run.jobs} jobs and ${run.rows} rows written bare, ${floorSeconds.toFixed(1)} s)`,
    );
    console.log(`  the debater alone        ${((1000 * bareSeconds) / run.turns).toFixed(3).padStart(8)} ms a speech`);
    console.log(
      `  floor / platform ${(floorPerTurn / perTurn).toFixed(2)}: the platform adds ${(perTurn - floorPerTurn).toFixed(2)} ms a turn above the floor`,
    );
  }
} finally {
  await database.drop();
}
