/**
 * Training and scoring speed of the two-head model, each next to references measured in the same run.
 * Every contender of a section runs once per round (in an order shuffled each round), for several
 * rounds, so that a machine others are loading slows each about equally; figures are medians over
 * the rounds, with the range, and a ratio is the median of the ratios within each round.
 *
 * - Scoring: items/s of the platform's path (built-in world items featurised by writeBatchFeatures
 *   into the Scorer's input buffer, then Scorer.score, batch after batch, as ScoringService does)
 *   against a bare onnxruntime session on the same graph with the same session options over
 *   tensors prepared before timing, its outputs allocated by onnxruntime or preallocated, whichever
 *   is faster in the run. Featurising is work the bare session does not do: its share of the
 *   platform's time is reported, and what it costs when the items are already in the processor's
 *   caches (featurising each batch a second time at once). Goal (issue 15): ≥ 0.85 of the bare
 *   session.
 * - Training: samples/s of one step through the platform's StepSession (the state fed back each
 *   step) against a bare session on the same graph with prepared tensors, and the same step in numpy
 *   (bench/numpy_step.py). Each is also reported as achieved GFLOP/s of the step's matrix products,
 *   forward and backward (libs/model trainingStepMatmuls: with one hidden layer of H, two heads and B
 *   rows in each of the large and small batches, 2·B·(4·D·H + 7·H·K) FLOPs), beside what a bare
 *   onnxruntime session of those products alone reaches on the same shapes in the same run: the
 *   machine's measured peak for them. numpy runs with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed
 *   from its environment (they may be set on this machine for older OpenBLAS builds, and slow a
 *   current one), and says which OpenBLAS kernel and how many threads ran.
 *
 * Run: npm run bench:model [-- --steps N --items N --rounds N --passes N --batch N --only training|scoring --json]
 * --json prints one JSON object a line per figure (bench/report.ts) instead of the text.
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import {
  DEFAULT_SETTINGS,
  HYPER_INPUTS,
  inferenceGraph,
  initialParameters,
  initialState,
  matmulFlops,
  matmulGraph,
  parameterSpecs,
  Scorer,
  StepSession,
  trainingGraph,
  trainingStepMatmuls,
  writeBatchFeatures,
  type NetworkConfig,
} from '#tribunal/model';
import { generateWorldDataset } from '#tribunal/world';
import { figure, median, type Figure } from './report.js';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '200' },
    items: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '7' },
    passes: { type: 'string', default: '10' },
    batch: { type: 'string', default: '1024' },
    only: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const STEPS = Number(values.steps);
const ITEMS = Number(values.items);
const ROUNDS = Number(values.rounds);
/** Passes over the items in one round of scoring: one pass of 20,000 items takes a few milliseconds. */
const PASSES = Number(values.passes);
const SCORING_BATCH = Number(values.batch);
const cpu = { kind: 'cpu' } as const;
const here = dirname(fileURLToPath(import.meta.url));
const BENCHMARK = 'model';
/** The session options a user who knows onnxruntime sets; the platform's createSession sets the same. */
const SESSION_OPTIONS: ort.InferenceSession.SessionOptions = {
  executionProviders: ['cpu'],
  graphOptimizationLevel: 'all',
  logSeverityLevel: 3,
};

function random(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31 < 0.2 ? 1 : 0;
  });
}

async function seconds(work: () => Promise<unknown>): Promise<number> {
  const began = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - began) / 1e9;
}

/**
 * Runs each contender once per round, in an order shuffled afresh each round (seeded): what runs just
 * before a contender changes what is in the processor's caches, so no contender may always follow
 * the same one. Returns each one's seconds per round.
 */
async function rounds<K extends string>(contenders: Record<K, () => Promise<unknown>>): Promise<Record<K, number[]>> {
  const entries = Object.entries(contenders) as [K, () => Promise<unknown>][];
  const times = Object.fromEntries(entries.map(([name]) => [name, [] as number[]])) as Record<K, number[]>;
  let seed = 1;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let round = 0; round < ROUNDS; round++) {
    const order = [...entries];
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const [name, work] of order) times[name].push(await seconds(work));
  }
  return times;
}

interface NumpyRun {
  msPerStep: number;
  matmulMsPerStep: number;
  openblas: { corename: string | null; threads: number | null; config: string | null; via: string | null };
  environment: Record<string, string>;
  numpy: string;
}

/** Variables this machine may set for older OpenBLAS builds; removed for numpy's process only. */
const OPENBLAS_OVERRIDES = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE'] as const;

function numpyStep(D: number, H: number, K: number, B: number, steps: number): NumpyRun | null {
  const env = { ...process.env };
  for (const name of OPENBLAS_OVERRIDES) delete env[name];
  try {
    const out = execFileSync('python3', [join(here, '..', '..', 'bench', 'numpy_step.py'), ...[D, H, K, B, steps].map(String)], {
      encoding: 'utf8',
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return JSON.parse(out) as NumpyRun;
  } catch {
    return null;
  }
}

async function training(B: number): Promise<{ lines: string[]; figures: Figure[] }> {
  const H = 256;
  const net: NetworkConfig = { inputSize: 220, answers: 4, hidden: [H], activation: 'relu', heads: 2, theta1TrunkLayers: 0 };
  const D = net.inputSize;
  const K = net.answers;
  const stepsPerRound = Math.max(1, Math.round(STEPS / ROUNDS));
  const products = trainingStepMatmuls(net, { large: B, small: B });
  const flops = matmulFlops(products);
  const init = initialParameters(net, 1);
  const large = { x: random(B * D, 1), y: Int32Array.from({ length: B }, (_, i) => i % 4), n: B };
  const small = { x: random(B * D, 2), y: new Int32Array(B), n: B };

  const session = await StepSession.create(net, { consistency: true, simple: false }, cpu);
  let state = initialState(init);
  const platformStep = async () => {
    state = (await session.run(state, init, { large, small }, DEFAULT_SETTINGS)).state;
  };

  // The same graph, fed prepared tensors and never reading its outputs back into a state.
  const bare = await ort.InferenceSession.create(
    trainingGraph(net, { consistency: true, simple: false, optimizer: true }),
    SESSION_OPTIONS,
  );
  const feeds: Record<string, ort.Tensor> = {
    'large.x': new ort.Tensor('float32', large.x, [B, D]),
    'large.y': new ort.Tensor('int64', BigInt64Array.from(large.y, BigInt), [B]),
    'small.x': new ort.Tensor('float32', small.x, [B, D]),
  };
  for (const name of HYPER_INPUTS) feeds[name] = new ort.Tensor('float32', Float32Array.of(name === 'step' ? 1 : 0.5), []);
  for (const spec of parameterSpecs(net)) {
    for (const suffix of ['', '.init', '.m', '.v'])
      feeds[spec.name + suffix] = new ort.Tensor('float32', init[spec.name]!.slice(), spec.shape);
  }

  // The step's products alone, on inputs prepared once, each computed whole into onnxruntime's
  // memory (as the step's intermediate values are) with only its first entry copied out.
  const matmul = await ort.InferenceSession.create(matmulGraph(products, { corner: true }), SESSION_OPTIONS);
  const matmulFeeds: Record<string, ort.Tensor> = {};
  products.forEach((p, i) => {
    matmulFeeds[`${i}.a`] = new ort.Tensor('float32', random(p.m * p.k, 3 + i), p.transA ? [p.k, p.m] : [p.m, p.k]);
    matmulFeeds[`${i}.b`] = new ort.Tensor('float32', random(p.k * p.n, 30 + i), p.transB ? [p.n, p.k] : [p.k, p.n]);
  });

  const repeat = (n: number, work: () => Promise<unknown>) => async () => {
    for (let i = 0; i < n; i++) await work();
  };
  await repeat(5, platformStep)();
  await repeat(5, () => bare.run(feeds))();
  await repeat(5, () => matmul.run(matmulFeeds))();
  const numpyRuns: NumpyRun[] = [];
  const times = await rounds({
    platform: repeat(stepsPerRound, platformStep),
    bare: repeat(stepsPerRound, () => bare.run(feeds)),
    matmul: repeat(stepsPerRound, () => matmul.run(matmulFeeds)),
    numpy: async () => {
      const run = numpyStep(D, H, K, B, stepsPerRound);
      if (run) numpyRuns.push(run);
    },
  });
  await session.release();
  await bare.release();
  await matmul.release();

  const samples = (t: number) => (stepsPerRound * 2 * B) / t;
  const gflops = (t: number) => (stepsPerRound * flops) / t / 1e9;
  const perStepGflops = (ms: number) => flops / (ms / 1000) / 1e9;
  const shape = `${D} → ${H} → 2×${K}`;
  const name = `training step, batch ${B} (+${B} small-set rows), ${shape}`;
  const detail = { batch: B, shape, flopsPerStep: flops, stepsPerRound, rounds: ROUNDS };
  const platformSamples = times.platform.map(samples);
  const platformGflops = times.platform.map(gflops);
  const figures: Figure[] = [
    figure(BENCHMARK, `${name}: platform vs bare session`, platformSamples, 'samples/s', {
      reference: { name: 'bare onnxruntime session, same graph, prepared tensors', rounds: times.bare.map(samples) },
      detail,
    }),
    figure(BENCHMARK, `${name}: platform GFLOP/s vs bare MatMul`, platformGflops, 'GFLOP/s', {
      reference: { name: "bare onnxruntime session of the step's matrix products alone, same shapes", rounds: times.matmul.map(gflops) },
      detail,
    }),
  ];
  const lines = [
    `training, batch ${B} (+${B} small-set rows), ${shape}; ${(flops / 1e9).toFixed(3)} GFLOP of matrix products a step; ${ROUNDS} rounds of ${stepsPerRound} steps:`,
    row(
      'platform step',
      figures[0]!,
      (v) => `${v.toFixed(0)} samples/s`,
      `${((1000 * median(times.platform)) / stepsPerRound).toFixed(2)} ms/step, ${figures[1]!.figure.toFixed(1)} GFLOP/s`,
    ),
    refRow(
      'bare onnxruntime session',
      figures[0]!,
      (v) => `${v.toFixed(0)} samples/s`,
      `${median(times.bare.map(gflops)).toFixed(1)} GFLOP/s`,
      'platform/bare',
    ),
    refRow(
      'bare MatMul, same shapes',
      figures[1]!,
      (v) => `${v.toFixed(1)} GFLOP/s`,
      'the measured peak for these products',
      'platform/MatMul',
    ),
  ];
  if (numpyRuns.length === ROUNDS) {
    const blas = numpyRuns[0]!.openblas;
    const kernel = `OpenBLAS ${blas.corename ?? '?'} kernel, ${blas.threads ?? '?'} threads`;
    const numpySamples = numpyRuns.map((r) => (2 * B) / (r.msPerStep / 1000));
    const numpyFigure = figure(BENCHMARK, `${name}: platform vs numpy`, platformSamples, 'samples/s', {
      reference: { name: `numpy ${numpyRuns[0]!.numpy} step (bench/numpy_step.py), ${kernel}`, rounds: numpySamples },
      detail: { ...detail, openblas: blas, unsetForNumpy: unsetForNumpy() },
    });
    const numpyGflops = figure(
      BENCHMARK,
      `${name}: numpy step GFLOP/s vs numpy's products alone`,
      numpyRuns.map((r) => perStepGflops(r.msPerStep)),
      'GFLOP/s',
      {
        reference: {
          name: `numpy's matrix products alone, same shapes, ${kernel}`,
          rounds: numpyRuns.map((r) => perStepGflops(r.matmulMsPerStep)),
        },
        detail: { ...detail, openblas: blas },
      },
    );
    figures.push(numpyFigure, numpyGflops);
    lines.push(
      refRow(
        `numpy step (${kernel})`,
        numpyFigure,
        (v) => `${v.toFixed(0)} samples/s`,
        `${numpyGflops.figure.toFixed(1)} GFLOP/s`,
        'platform/numpy',
      ),
      `  ${'numpy products alone'.padEnd(32)} ${`${numpyGflops.referenceFigure!.toFixed(1)} GFLOP/s`.padStart(20)}  (numpy step/products ${numpyGflops.ratio!.toFixed(2)})`,
      `  numpy ran ${blas.config ?? 'with an unknown BLAS'}; ${unsetForNumpy()}`,
    );
  } else {
    lines.push('  numpy reference (python3 with numpy not found, or it failed; skipped)');
  }
  return { lines, figures };
}

function unsetForNumpy(): string {
  const set = OPENBLAS_OVERRIDES.filter((name) => process.env[name] !== undefined);
  return set.length === 0
    ? `neither ${OPENBLAS_OVERRIDES.join(' nor ')} was set here`
    : `removed for numpy's process: ${set.map((name) => `${name}=${process.env[name]}`).join(', ')}`;
}

function row(label: string, f: Figure, format: (v: number) => string, note: string): string {
  const range = f.range ? `  range ${format(f.range[0])}–${format(f.range[1])}` : '';
  return `  ${label.padEnd(32)} ${format(f.figure).padStart(20)}  (${note})${range}`;
}

function refRow(label: string, f: Figure, format: (v: number) => string, note: string, ratio: string): string {
  const goal = f.goal ? `, goal ${f.goal}: ${f.met ? 'met' : 'not met'}` : '';
  return `  ${label.padEnd(32)} ${format(f.referenceFigure!).padStart(20)}  (${note})  ratio ${ratio} ${f.ratio!.toFixed(f.goal ? 3 : 2)}${goal}`;
}

async function scoring(): Promise<{ lines: string[]; figures: Figure[] }> {
  const world = generateWorldDataset({ seed: 3, size: ITEMS });
  const items = world.map((item) => ({ ...item, context: item.context as unknown as Record<string, unknown> }));
  const D = items[0]!.features.length;
  const net: NetworkConfig = {
    inputSize: D,
    answers: items[0]!.answers.length,
    hidden: [256],
    activation: 'relu',
    heads: 2,
    theta1TrunkLayers: 0,
  };
  const K = net.answers;
  const onnx = inferenceGraph(net, initialParameters(net, 1));
  const spec = { kind: 'provided', size: D } as const;
  const scorer = await Scorer.load(onnx, net, cpu);
  const batches: (typeof items)[] = [];
  for (let start = 0; start < items.length; start += SCORING_BATCH) batches.push(items.slice(start, start + SCORING_BATCH));

  // The platform's path, as ScoringService takes it batch by batch; the time spent featurising is
  // also summed on its own (the work the bare session does not do).
  let featurising = 0n;
  const platformPass = async () => {
    for (const batch of batches) {
      const began = process.hrtime.bigint();
      const x = scorer.input(batch.length);
      writeBatchFeatures(batch, spec, x);
      featurising += process.hrtime.bigint() - began;
      await scorer.score(x, batch.length);
    }
  };

  // Featurising each batch a second time right after the first, the session then running as in the
  // platform's path: the first is what the platform pays, the second what it costs with the items
  // already in the processor's caches (as they are in ScoringService just after it read them).
  let cold = 0n;
  let warm = 0n;
  const twicePass = async () => {
    for (const batch of batches) {
      const x = scorer.input(batch.length);
      const began = process.hrtime.bigint();
      writeBatchFeatures(batch, spec, x);
      const between = process.hrtime.bigint();
      writeBatchFeatures(batch, spec, x);
      cold += between - began;
      warm += process.hrtime.bigint() - between;
      await scorer.score(x, batch.length);
    }
  };

  // The reference: the same graph with the same options over tensors prepared before timing, run
  // as they are and with outputs written into buffers allocated once; the faster of the two counts.
  const bare = await ort.InferenceSession.create(onnx, SESSION_OPTIONS);
  const prepared = batches.map((batch) => {
    const x = new Float32Array(batch.length * D);
    batch.forEach((item, i) => x.set(item.features, i * D));
    return {
      features: new ort.Tensor('float32', x, [batch.length, D]),
      outputs: {
        intended: new ort.Tensor('float32', new Float32Array(batch.length * K), [batch.length, K]),
        instrumental: new ort.Tensor('float32', new Float32Array(batch.length * K), [batch.length, K]),
      },
    };
  });
  const barePass = async () => {
    for (const { features } of prepared) await bare.run({ features });
  };
  const preallocatedPass = async () => {
    for (const { features, outputs } of prepared) await bare.run({ features }, outputs);
  };

  const passes = (work: () => Promise<void>) => async () => {
    for (let i = 0; i < PASSES; i++) await work();
  };
  for (const pass of [platformPass, twicePass, barePass, preallocatedPass]) await pass();
  const featurisingRounds: number[] = [];
  const coldRounds: number[] = [];
  const warmRounds: number[] = [];
  const times = await rounds({
    platform: async () => {
      featurising = 0n;
      await passes(platformPass)();
      featurisingRounds.push(Number(featurising) / 1e9);
    },
    bare: passes(barePass),
    preallocated: passes(preallocatedPass),
    twice: async () => {
      cold = warm = 0n;
      await passes(twicePass)();
      coldRounds.push(Number(cold) / 1e9);
      warmRounds.push(Number(warm) / 1e9);
    },
  });
  await scorer.release();
  await bare.release();

  const rate = (t: number) => (PASSES * items.length) / t;
  const preallocatedFaster = median(times.preallocated) < median(times.bare);
  const reference = {
    name: `bare onnxruntime session, same graph and options, prepared tensors${preallocatedFaster ? ', outputs preallocated' : ''}`,
    rounds: (preallocatedFaster ? times.preallocated : times.bare).map(rate),
  };
  const shape = `${D} → 256 → 2×${K}`;
  const detail = {
    items: items.length,
    batch: SCORING_BATCH,
    shape,
    passesPerRound: PASSES,
    rounds: ROUNDS,
    intraOpThreads: "onnxruntime's default, one per physical core",
    bareItemsPerSecond: median(times.bare.map(rate)),
    barePreallocatedItemsPerSecond: median(times.preallocated.map(rate)),
  };
  const name = `scoring ${items.length} world items in batches of ${SCORING_BATCH}, ${shape}`;
  const score = figure(BENCHMARK, `${name}: platform vs bare session`, times.platform.map(rate), 'items/s', {
    reference,
    atLeast: 0.85,
    floor:
      'featurising (the items into the input tensor, ~1/3 of the bare session’s time) runs on the JavaScript thread ' +
      'before each run, which onnxruntime-node also holds: at most ~0.75 one after the other (RESULTS.md, Floors)',
    detail,
  });
  const featurise = figure(
    BENCHMARK,
    `${name}: featurising (writeBatchFeatures, within the platform's path) vs bare session`,
    featurisingRounds.map(rate),
    'items/s',
    {
      reference,
      detail,
    },
  );
  const inCache = figure(
    BENCHMARK,
    `${name}: featurising a batch again at once, in cache, vs bare session`,
    warmRounds.map(rate),
    'items/s',
    {
      reference,
      detail: { ...detail, firstTimeItemsPerSecond: median(coldRounds.map(rate)) },
    },
  );
  const perPassMs = (t: readonly number[]) => ((1000 * median(t)) / PASSES).toFixed(2);
  return {
    figures: [score, featurise, inCache],
    lines: [
      `scoring ${items.length} world items in batches of ${SCORING_BATCH}, ${shape}; ${ROUNDS} rounds of ${PASSES} passes (${availableParallelism()} cores):`,
      row('platform (featurise + score)', score, (v) => `${v.toFixed(0)} items/s`, `${perPassMs(times.platform)} ms/pass`),
      refRow(
        'bare onnxruntime session',
        score,
        (v) => `${v.toFixed(0)} items/s`,
        `${perPassMs(preallocatedFaster ? times.preallocated : times.bare)} ms/pass, ${preallocatedFaster ? 'outputs preallocated' : 'outputs allocated by onnxruntime'}; the other way ${perPassMs(preallocatedFaster ? times.bare : times.preallocated)} ms/pass`,
        'platform/bare',
      ),
      row(
        '  of which featurising',
        featurise,
        (v) => `${v.toFixed(0)} items/s`,
        `${perPassMs(featurisingRounds)} ms/pass, ${(100 / featurise.ratio!).toFixed(0)}% of the bare session's time`,
      ),
      row(
        'featurising again, in cache',
        inCache,
        (v) => `${v.toFixed(0)} items/s`,
        `${perPassMs(warmRounds)} ms/pass (the first time ${perPassMs(coldRounds)}), ${(100 / inCache.ratio!).toFixed(0)}% of the bare session's time`,
      ),
    ],
  };
}

if (values.only !== undefined && values.only !== 'training' && values.only !== 'scoring') throw new Error('--only is training or scoring');
const sections = [
  ...(values.only === 'scoring' ? [] : [await training(256), await training(4096)]),
  ...(values.only === 'training' ? [] : [await scoring()]),
];
if (values.json) for (const section of sections) for (const f of section.figures) console.log(JSON.stringify(f));
else console.log(sections.flatMap((s) => s.lines).join('\n'));
