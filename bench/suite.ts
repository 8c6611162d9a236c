/**
 * The benchmark suite as one report: each benchmark runs in a process of its own with --json, and
 * its figures (bench/report.ts: figure, reference measured in the same run, ratio, goal, met) are
 * gathered into one table. Every benchmark sends traffic to loopback only and is stopped if it
 * outlives its time.
 *
 * Run: npm run bench (every benchmark at full size; the report replaces the "Latest report" section of
 * bench/RESULTS.md, with the machine, date and commit), or npm run bench:quick (small sizes, a couple
 * of minutes: what a contributor runs before a change and CI runs once, reporting, not asserting).
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Figure } from './report.js';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const QUICK = values.quick;
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

interface Benchmark {
  name: string;
  script: string;
  full: string[];
  /** Null: left out of the quick run. */
  quick: string[] | null;
  /** Stopped after this long, in minutes. */
  minutes: { full: number; quick: number };
}

const BENCHMARKS: Benchmark[] = [
  {
    name: 'model',
    script: 'model.js',
    full: [],
    quick: ['--steps', '20', '--items', '5000', '--rounds', '3', '--passes', '3'],
    minutes: { full: 20, quick: 2 },
  },
  {
    name: 'orchestration',
    script: 'orchestration.js',
    full: ['--debates', '400'],
    quick: ['--debates', '60'],
    minutes: { full: 15, quick: 2 },
  },
  { name: 'labels', script: 'labels.js', full: [], quick: ['--labels', '50000', '--runs', '1'], minutes: { full: 20, quick: 2 } },
  {
    name: 'fanout',
    script: 'fanout.js',
    full: [],
    quick: ['--clients', '100', '--debates', '10', '--rounds', '2', '--rate', '50'],
    minutes: { full: 15, quick: 2 },
  },
  { name: 'fanout-scale', script: 'fanout-scale.js', full: [], quick: null, minutes: { full: 15, quick: 0 } },
  { name: 'carrier', script: 'carrier.js', full: [], quick: null, minutes: { full: 6, quick: 0 } },
  { name: 'memory', script: 'memory.js', full: [], quick: null, minutes: { full: 10, quick: 0 } },
];

/** Runs one benchmark, its progress passed through to standard error; its figures, or why there are none. */
function run(benchmark: Benchmark): Promise<{ figures: Figure[]; failure: string | null }> {
  const args = [join(here, benchmark.script), '--json', ...((QUICK ? benchmark.quick : benchmark.full) ?? [])];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const minutes = QUICK ? benchmark.minutes.quick : benchmark.minutes.full;
    const timer = setTimeout(() => child.kill('SIGKILL'), minutes * 60_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const figures = out
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Figure);
      const failure = signal
        ? `stopped after ${minutes} min`
        : code !== 0
          ? `exited ${code}`
          : figures.length === 0
            ? 'printed no figure'
            : null;
      resolve({ figures, failure });
    });
  });
}

const number = (x: number | null, unit = '') =>
  x === null ? '—' : `${Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2)}${unit ? ' ' + unit : ''}`;

function table(rows: { benchmark: string; figures: Figure[]; failure: string | null }[]): string {
  const lines = ['| benchmark | figure | reference | ratio | goal | met |', '| --- | --- | --- | --- | --- | --- |'];
  for (const row of rows) {
    if (row.failure) lines.push(`| ${row.benchmark} | did not finish: ${row.failure} | | | | |`);
    for (const f of row.figures) {
      const reference = f.reference ? `${f.reference}: ${number(f.referenceFigure, f.unit)}` : '—';
      const met = f.met === null ? '—' : f.met ? 'yes' : f.floor ? `no: ${f.floor}` : 'no';
      lines.push(
        `| ${f.benchmark}: ${f.name} | ${number(f.figure, f.unit)} | ${reference} | ${number(f.ratio)} | ${f.goal ?? '—'} | ${met} |`,
      );
    }
  }
  return lines.join('\n');
}

const began = new Date();
const load = loadavg()
  .map((x) => x.toFixed(1))
  .join(', ');
const results = [];
for (const benchmark of BENCHMARKS.filter((b) => !QUICK || b.quick !== null)) {
  process.stderr.write(`\n== ${benchmark.name}${QUICK ? ' (quick)' : ''}\n`);
  results.push({ benchmark: benchmark.name, ...(await run(benchmark)) });
}
let commit = 'unknown';
try {
  commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
} catch {
  // Not a checkout: the report says so.
}
const machine = `${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB; Node.js ${process.versions.node}`;
const header =
  `Machine: ${machine}. Date: ${began.toISOString().slice(0, 16).replace('T', ' ')} UTC. Commit: ${commit}. ` +
  `Load average at the start: ${load}. Command: \`npm run bench${QUICK ? ':quick' : ''}\` ` +
  `(${((Date.now() - began.getTime()) / 60_000).toFixed(1)} min). Ratios above 1 favour the platform; each reference ran in the same run.`;
const report = `${header}\n\n${table(results)}\n`;
console.log(`\n${report}`);
if (!QUICK) {
  const file = join(root, 'bench', 'RESULTS.md');
  const text = readFileSync(file, 'utf8');
  const start = '<!-- latest report: written by npm run bench -->';
  const end = '<!-- end of the latest report -->';
  const section = `${start}\n\n${report}\n${end}`;
  const [before, rest] = text.includes(start)
    ? [text.slice(0, text.indexOf(start)), text.slice(text.indexOf(end) + end.length)]
    : [null, null];
  writeFileSync(
    file,
    before !== null ? `${before}${section}${rest}` : text.replace(/\n## /, `\n## Latest report (\`npm run bench\`)\n\n${section}\n\n## `),
  );
  // Laid out as the repository's formatter would, so that the file stays as lint wants it.
  try {
    execFileSync(join(root, 'node_modules', '.bin', 'prettier'), ['--write', file], { stdio: 'ignore' });
  } catch {
    console.log('(prettier could not lay out bench/RESULTS.md: run npx prettier --write bench/RESULTS.md)');
  }
  console.log(`(written to bench/RESULTS.md)`);
}
const missing = results.filter((r) => r.failure);
if (missing.length)
  console.log(`\n${missing.length} benchmark(s) did not finish: ${missing.map((r) => `${r.benchmark} (${r.failure})`).join(', ')}`);
// Reporting, not asserting: an unmet goal is a figure, not a failure. A benchmark that cannot run is one.
process.exitCode = missing.length ? 1 : 0;
