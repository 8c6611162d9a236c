/**
 * Orchestration: turns per second when a campaign of debates with built-in debaters and simulated
 * judges runs through the platform (every step a durable job, every turn persisted and verified),
 * against the built-in debater writing the same number of speeches directly, in the same run; and the
 * platform's added time per turn. Needs PostgreSQL (TRIBUNAL_BENCH_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres). Run: npm run bench:orchestration [-- --debates N]
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Api, data } from '../apps/cli/src/api-client.js';
import { startProcess } from '../apps/bootstrap/src/start-process.js';
import { benchDatabase } from './database.js';
import { DEFAULT_DEBATE_PROTOCOL } from '#tribunal/contracts';
import { builtinSpeech } from '#tribunal/debate';
import { generateWorldDataset } from '#tribunal/world';

const { values } = parseArgs({ options: { debates: { type: 'string', default: '200' }, concurrency: { type: 'string', default: '16' } } });
const DEBATES = Number(values.debates);
const database = await benchDatabase('tribunal_bench_orchestration');
const running = await startProcess(['api', 'worker'], {
  DATABASE_URL: database.url,
  PORT: '0',
  LOG_LEVEL: 'warn',
  TRIBUNAL_DEMO: 'false',
  TRIBUNAL_WORKER_CONCURRENCY: values.concurrency,
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
  const began = process.hrtime.bigint();
  const campaign = await data(
    api.client.POST('/campaigns', {
      body: { name: 'bench', protocolId: protocol.id, disputeIds: disputes.map((d) => d.id), concurrency: Number(values.concurrency) },
    }),
  );
  for (;;) {
    const view = await data(api.client.GET('/campaigns/{id}', { params: { path: { id: campaign.id } } }));
    if (view.status === 'completed') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = Number(process.hrtime.bigint() - began) / 1e9;
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  const turns = (await db.query(`SELECT count(*)::int AS n FROM turns`)).rows[0].n as number;
  await db.end();

  // The same number of speeches, written by the built-in debater directly.
  const items = generateWorldDataset({ seed: 1, size: DEBATES });
  const t0 = process.hrtime.bigint();
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
  const bare = Number(process.hrtime.bigint() - t0) / 1e9;
  const platformRate = turns / seconds;
  const bareRate = turns / bare;
  console.log(`orchestration, ${DEBATES} debates (${turns} turns, built-in debaters, simulated judges, ${values.concurrency} at a time):`);
  console.log(`  platform           ${platformRate.toFixed(1).padStart(10)} turns/s  (campaign end to end, ${seconds.toFixed(1)} s)`);
  console.log(`  debater alone      ${bareRate.toFixed(1).padStart(10)} speeches/s`);
  console.log(
    `  ratio platform/debater ${(platformRate / bareRate).toFixed(4)}; the platform adds ${((1 / platformRate - 1 / bareRate) * 1000).toFixed(1)} ms per turn`,
  );
} finally {
  await running.app.close();
  await database.drop();
}
