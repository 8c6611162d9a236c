/**
 * Training and scoring speed of the two-head model, each next to a reference measured in the same run:
 * - training: samples/s of the platform's training step (ONNX graph on onnxruntime-node, through
 *   StepSession) against the same MLP step in numpy (bench/numpy_step.py) when python3 with numpy
 *   is present, and against a bare onnxruntime session running the same graph with prepared tensors;
 * - scoring: items/s of the platform's scoring path (featurising built-in world items, Scorer in
 *   batches of 1024) against a bare onnxruntime session over prepared tensors.
 * Run: npm run bench:model [-- --steps N]
 */
import { execFileSync } from 'node:child_process';
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
  parameterSpecs,
  Scorer,
  StepSession,
  trainingGraph,
  writeFeatures,
  type NetworkConfig,
} from '#tribunal/model';
import { generateWorldDataset } from '#tribunal/world';

const { values } = parseArgs({ options: { steps: { type: 'string', default: '200' }, items: { type: 'string', default: '20000' } } });
const STEPS = Number(values.steps);
const ITEMS = Number(values.items);
const cpu = { kind: 'cpu' } as const;
const here = dirname(fileURLToPath(import.meta.url));

function random(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31 < 0.2 ? 1 : 0;
  });
}

async function timed(runs: number, work: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 5; i++) await work();
  const began = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) await work();
  return Number(process.hrtime.bigint() - began) / 1e9;
}

function numpyReference(D: number, H: number, K: number, B: number): { samplesPerSecond: number } | null {
  try {
    const out = execFileSync('python3', [join(here, '..', '..', 'bench', 'numpy_step.py'), ...[D, H, K, B, STEPS].map(String)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return JSON.parse(out) as { samplesPerSecond: number };
  } catch {
    return null;
  }
}

async function training(B: number): Promise<string[]> {
  const net: NetworkConfig = { inputSize: 220, answers: 4, hidden: [256], activation: 'relu', heads: 2, theta1TrunkLayers: 0 };
  const init = initialParameters(net, 1);
  const large = { x: random(B * net.inputSize, 1), y: Int32Array.from({ length: B }, (_, i) => i % 4), n: B };
  const small = { x: random(B * net.inputSize, 2), y: new Int32Array(B), n: B };
  const session = await StepSession.create(net, { consistency: true, simple: false }, cpu);
  let state = initialState(init);
  const platform = await timed(STEPS, async () => {
    state = (await session.run(state, init, { large, small }, DEFAULT_SETTINGS)).state;
  });
  await session.release();

  // The same graph, fed prepared tensors and never reading its outputs back into a state.
  const bare = await ort.InferenceSession.create(trainingGraph(net, { consistency: true, simple: false, optimizer: true }));
  const feeds: Record<string, ort.Tensor> = {
    'large.x': new ort.Tensor('float32', large.x, [B, net.inputSize]),
    'large.y': new ort.Tensor('int64', BigInt64Array.from(large.y, BigInt), [B]),
    'small.x': new ort.Tensor('float32', small.x, [B, net.inputSize]),
  };
  for (const name of HYPER_INPUTS) feeds[name] = new ort.Tensor('float32', Float32Array.of(name === 'step' ? 1 : 0.5), []);
  for (const spec of parameterSpecs(net)) {
    for (const suffix of ['', '.init', '.m', '.v'])
      feeds[spec.name + suffix] = new ort.Tensor('float32', init[spec.name]!.slice(), spec.shape);
  }
  const bareSeconds = await timed(STEPS, () => bare.run(feeds));
  await bare.release();

  const samples = STEPS * 2 * B;
  const ours = samples / platform;
  const numpy = numpyReference(net.inputSize, 256, net.answers, B);
  const lines = [
    `training, batch ${B} (+${B} small-set rows), 220 → 256 → 2×4:`,
    `  platform step        ${ours.toFixed(0).padStart(10)} samples/s  (${((1000 * platform) / STEPS).toFixed(2)} ms/step)`,
    `  bare onnxruntime     ${(samples / bareSeconds).toFixed(0).padStart(10)} samples/s  ratio platform/bare ${(ours / (samples / bareSeconds)).toFixed(2)}`,
  ];
  lines.push(
    numpy
      ? `  numpy reference      ${numpy.samplesPerSecond.toFixed(0).padStart(10)} samples/s  ratio platform/numpy ${(ours / numpy.samplesPerSecond).toFixed(2)}`
      : '  numpy reference      (python3 with numpy not found; skipped)',
  );
  return lines;
}

async function scoring(): Promise<string[]> {
  const world = generateWorldDataset({ seed: 3, size: ITEMS });
  const items = world.map((item) => ({ ...item, context: item.context as unknown as Record<string, unknown> }));
  const inputSize = items[0]!.features.length;
  const net: NetworkConfig = {
    inputSize,
    answers: items[0]!.answers.length,
    hidden: [256],
    activation: 'relu',
    heads: 2,
    theta1TrunkLayers: 0,
  };
  const onnx = inferenceGraph(net, initialParameters(net, 1));
  const spec = { kind: 'provided', size: inputSize } as const;
  const scorer = await Scorer.load(onnx, net, cpu);
  const BATCH = 1024;
  const platform = await timed(1, async () => {
    for (let start = 0; start < items.length; start += BATCH) {
      const batch = items.slice(start, start + BATCH);
      const x = scorer.input(batch.length);
      batch.forEach((item, i) => writeFeatures(item, spec, x, i * inputSize));
      await scorer.score(x, batch.length);
    }
  });
  await scorer.release();
  const bare = await ort.InferenceSession.create(onnx);
  const tensors: ort.Tensor[] = [];
  for (let start = 0; start < items.length; start += BATCH) {
    const batch = items.slice(start, start + BATCH);
    tensors.push(new ort.Tensor('float32', Float32Array.from(batch.flatMap((i) => i.features)), [batch.length, inputSize]));
  }
  const bareSeconds = await timed(1, async () => {
    for (const features of tensors) await bare.run({ features });
  });
  await bare.release();
  const ours = items.length / platform;
  const reference = items.length / bareSeconds;
  return [
    `scoring ${items.length} world items in batches of ${BATCH}, ${inputSize} → 256 → 2×${net.answers}:`,
    `  platform (featurise + score) ${ours.toFixed(0).padStart(10)} items/s`,
    `  bare onnxruntime             ${reference.toFixed(0).padStart(10)} items/s  ratio platform/bare ${(ours / reference).toFixed(2)}`,
  ];
}

const lines = [...(await training(256)), ...(await training(4096)), ...(await scoring())];
console.log(lines.join('\n'));
