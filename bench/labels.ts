/**
 * Label pull: NDJSON labels per second over HTTP (GET /labels?after=0, streamed, read by curl) for a
 * million labels, against `COPY (SELECT row_to_json(...)) TO STDOUT` of the same rows through psql, in
 * the same run; each client is a process of its own, its output counted by this one (which holds the API).
 * Needs PostgreSQL (TRIBUNAL_BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres)
 * psql and curl. Run: npm run bench:labels [-- --labels N] [--runs R]: each run pulls over HTTP, then COPYs,
 * so that a shared machine's noise falls on both; the report gives each run and the range. A second
 * reference, the COPY the API itself runs (the label records, `labelsCopySql`) through psql, shows how
 * much of the gap is the records' own serialisation in PostgreSQL and how much the API.
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { labelsCopySql } from '#tribunal/persistence';
import { startProcess } from '../apps/bootstrap/src/start-process.js';
import { benchDatabase } from './database.js';
import { figure } from './report.js';

const { values } = parseArgs({
  options: {
    labels: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
  },
});
/** The text report; with --json it goes to standard error and standard output carries the figures (bench/report.ts). */
const say = (line: string) => (values.json ? process.stderr : process.stdout).write(line + '\n');
const N = Number(values.labels);
const RUNS = Number(values.runs);

/**
 * Newlines in a chunk, by memchr (Buffer#indexOf): the client shares this process with the API, so a
 * byte-by-byte loop here would be charged to the pull (it was a quarter of the process's time).
 */
function newlines(chunk: Uint8Array): number {
  const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  let count = 0;
  for (let at = buffer.indexOf(10); at !== -1; at = buffer.indexOf(10, at + 1)) count++;
  return count;
}
/** Bytes and lines a command writes to standard output, and how long it took. */
function drain(command: string, args: string[]): Promise<{ seconds: number; lines: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const began = process.hrtime.bigint();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let lines = 0;
    let bytes = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      lines += newlines(chunk);
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve({ seconds: Number(process.hrtime.bigint() - began) / 1e9, lines, bytes })
        : reject(new Error(`${command} exited ${code}`)),
    );
  });
}

const database = await benchDatabase('tribunal_bench_labels');
const running = await startProcess(['api'], { DATABASE_URL: database.url, PORT: '0', LOG_LEVEL: 'warn', TRIBUNAL_DEMO: 'false' });
try {
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  const filled = process.hrtime.bigint();
  const [{ id: datasetId }] = (await db.query(`INSERT INTO datasets (name, source) VALUES ('bench', 'upload') RETURNING id`)).rows;
  await db.query(
    `INSERT INTO items (dataset_id, external_id, context, evidence, question, answers, simple_label)
     SELECT $1, 'item-' || g, '{}', '[]', 'How many?', '["0","1","2","3"]', g % 4 FROM generate_series(1, 1000) g`,
    [datasetId],
  );
  await db.query(
    `INSERT INTO labels (seq, item_id, dataset_id, answer, distribution, method, agrees_with_simple, provenance, schema_version)
     SELECT g, i.id, $1, g % 4, ARRAY[0.85, 0.05, 0.05, 0.05], 'mean', g % 3 = 0,
            jsonb_build_object('disputeId', gen_random_uuid(), 'debates', jsonb_build_array(jsonb_build_object('id', gen_random_uuid(),
              'protocolId', gen_random_uuid(), 'protocolName', 'bench', 'protocolVersion', 1)), 'verdicts', jsonb_build_array(gen_random_uuid())), 1
     FROM generate_series(1, $2::int) g JOIN (SELECT id, row_number() OVER () - 1 AS k FROM items) i ON i.k = g % 1000`,
    [datasetId, N],
  );
  await db.query('ANALYZE labels');
  await db.end();
  say(`${N} labels written in ${(Number(process.hrtime.bigint() - filled) / 1e9).toFixed(1)} s`);

  // The pipeline's client is a process of its own, as psql is for the COPY: curl, its output counted here.
  const pullOverHttp = async () => {
    const pulled = await drain('curl', [
      '-sS',
      '--fail',
      '-H',
      `authorization: Bearer ${running.adminKey}`,
      `${running.url}/labels?after=0`,
    ]);
    if (pulled.lines !== N) throw new Error(`the pull returned ${pulled.lines} labels, not ${N}`);
    return pulled;
  };
  const copyThroughPsql = () =>
    drain('psql', [
      database.url,
      '-qAt',
      '-c',
      `COPY (SELECT row_to_json(l) FROM (SELECT seq, id, item_id, dataset_id, answer, distribution, method, agrees_with_simple, provenance, schema_version, revises, created_at FROM labels ORDER BY seq) l) TO STDOUT`,
    ]);
  const copyRecordsThroughPsql = () => drain('psql', [database.url, '-qAt', '-c', labelsCopySql({ after: '0' }, Number.MAX_SAFE_INTEGER)]);
  const rate = (r: { seconds: number; lines: number }) => r.lines / r.seconds;
  const ratios: number[] = [];
  const rates: { http: number[]; copy: number[]; records: number[] } = { http: [], copy: [], records: [] };
  say(`label pull, ${N} labels:`);
  for (let run = 1; run <= RUNS; run++) {
    const http = await pullOverHttp();
    const copy = await copyThroughPsql();
    const records = await copyRecordsThroughPsql();
    // The API's COPY writes each timestamp with microseconds; the API rewrites it with milliseconds (utcMilliseconds).
    if (records.lines !== http.lines) throw new Error(`the API sent ${http.lines} labels, its COPY writes ${records.lines}`);
    rates.http.push(rate(http));
    rates.copy.push(rate(copy));
    rates.records.push(rate(records));
    ratios.push(rate(http) / rate(copy));
    say(`  run ${run}`);
    say(
      `    GET /labels (NDJSON, streamed)  ${rate(http).toFixed(0).padStart(9)} labels/s  ${(http.bytes / 2 ** 20).toFixed(0)} MiB in ${http.seconds.toFixed(1)} s`,
    );
    say(
      `    COPY ... TO STDOUT via psql     ${rate(copy).toFixed(0).padStart(9)} labels/s  ${(copy.bytes / 2 ** 20).toFixed(0)} MiB in ${copy.seconds.toFixed(1)} s`,
    );
    say(
      `    the API's COPY via psql         ${rate(records).toFixed(0).padStart(9)} labels/s  ${(records.bytes / 2 ** 20).toFixed(0)} MiB in ${records.seconds.toFixed(1)} s`,
    );
    say(`    ratio HTTP/COPY ${(rate(http) / rate(copy)).toFixed(2)}; HTTP/the API's COPY ${(rate(http) / rate(records)).toFixed(2)}`);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
  const range = (xs: number[], digits: number) => `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;
  say(
    `  over ${RUNS} run(s): HTTP ${range(rates.http, 0)} labels/s, COPY ${range(rates.copy, 0)} labels/s, ` +
      `the API's COPY ${range(rates.records, 0)} labels/s; ratio HTTP/COPY ${range(ratios, 2)} (median ${median(ratios).toFixed(2)})`,
  );
  if (values.json) {
    const reference = { name: 'COPY … TO STDOUT via psql', rounds: rates.copy };
    const pulled = figure('labels', `GET /labels, ${N} labels (NDJSON, streamed)`, rates.http, 'labels/s', {
      reference,
      atLeast: 0.9,
      floor: 'the API’s own COPY through psql keeps pace with the reference; the rest is the HTTP hop (RESULTS.md, Floors)',
    });
    console.log(JSON.stringify({ ...pulled, detail: { apiCopyLabelsPerSecond: rates.records } }));
  }
} finally {
  await running.app.close();
  await database.drop();
}
