import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { createRng } from '#tribunal/world';
import { evaluationGraph, HYPER_INPUTS, trainingGraph, type HyperInput } from '../src/graphs.js';
import { initialParameters, parameterSpecs, type NetworkConfig } from '../src/network.js';

type F64 = Float64Array;

const K = 3;
const D = 5;
const rng = createRng(7);
const randn = (n: number, scale = 1) => Float64Array.from({ length: n }, () => (rng() * 2 - 1) * scale);
const labels = (n: number) => BigInt64Array.from({ length: n }, () => BigInt(Math.floor(rng() * K)));

const hyper: Record<HyperInput, number> = {
  lambda: 0.7,
  mu: 0.3,
  alpha1: 0.05,
  alpha2: 0.02,
  lr: 0.01,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  weight_decay: 0.01,
  step: 3,
};

function config(activation: 'relu' | 'gelu'): NetworkConfig {
  return { inputSize: D, answers: K, hidden: [4, 3], activation, heads: 2, theta1TrunkLayers: 1 };
}

interface Setup {
  params: Record<string, F64>;
  init: Record<string, F64>;
  batches: Record<string, ort.Tensor>;
}

function setup(net: NetworkConfig): Setup {
  const specs = parameterSpecs(net);
  const start = initialParameters(net, 3);
  const params: Record<string, F64> = {};
  const init: Record<string, F64> = {};
  for (const spec of specs) {
    // Non-zero biases and a displacement from the initialisation, so every term has a gradient to check.
    params[spec.name] = Float64Array.from(start[spec.name]!, (v) => v + (rng() - 0.5) * 0.4);
    init[spec.name] = Float64Array.from(start[spec.name]!);
  }
  const batches = {
    'large.x': new ort.Tensor('float64', randn(6 * D, 2), [6, D]),
    'large.y': new ort.Tensor('int64', labels(6), [6]),
    'small.x': new ort.Tensor('float64', randn(4 * D, 2), [4, D]),
    'simple.x': new ort.Tensor('float64', randn(5 * D, 2), [5, D]),
    'simple.y': new ort.Tensor('int64', labels(5), [5]),
  };
  return { params, init, batches };
}

function feeds(net: NetworkConfig, s: Setup, extra: Record<string, ort.Tensor> = {}, h = hyper): Record<string, ort.Tensor> {
  const out: Record<string, ort.Tensor> = { ...s.batches, ...extra };
  for (const spec of parameterSpecs(net)) {
    out[spec.name] = new ort.Tensor('float64', s.params[spec.name]!, spec.shape);
    out[`${spec.name}.init`] = new ort.Tensor('float64', s.init[spec.name]!, spec.shape);
  }
  for (const name of HYPER_INPUTS) out[name] = new ort.Tensor('float64', Float64Array.of(h[name]), []);
  return out;
}

/** The intended head's probabilities on the small batch, at the current parameters, in float64. */
async function intendedOnSmall(net: NetworkConfig, s: Setup): Promise<ort.Tensor> {
  const session = await ort.InferenceSession.create(evaluationGraph(net, 'float64'));
  const inputs: Record<string, ort.Tensor> = { features: s.batches['small.x']! };
  for (const spec of parameterSpecs(net)) inputs[spec.name] = new ort.Tensor('float64', s.params[spec.name]!, spec.shape);
  const out = await session.run(inputs);
  return out.intended!;
}

describe.each(['relu', 'gelu'] as const)('training graph gradients (%s)', (activation) => {
  const net = config(activation);

  it('match float64 finite differences of J for every entry of every parameter tensor', async () => {
    const s = setup(net);
    const target = await intendedOnSmall(net, s);
    const session = await ort.InferenceSession.create(
      trainingGraph(net, { float: 'float64', consistency: true, simple: true, optimizer: false, targetInput: true }),
    );
    const base = await session.run(feeds(net, s, { 'small.target': target }));
    const loss = async () => Number((await session.run(feeds(net, s, { 'small.target': target }))).loss!.data[0]);
    const h = 1e-6;
    let worst = 0;
    let checked = 0;
    for (const spec of parameterSpecs(net)) {
      const values = s.params[spec.name]!;
      const grad = base[`${spec.name}.grad`]!.data as F64;
      expect(grad.length).toBe(values.length);
      for (let i = 0; i < values.length; i++) {
        const keep = values[i]!;
        values[i] = keep + h;
        const up = await loss();
        values[i] = keep - h;
        const down = await loss();
        values[i] = keep;
        const numeric = (up - down) / (2 * h);
        const error = Math.abs(numeric - grad[i]!) / Math.max(1e-6, Math.abs(numeric) + Math.abs(grad[i]!));
        worst = Math.max(worst, error);
        checked++;
      }
    }
    expect(checked).toBe(parameterSpecs(net).reduce((n, spec) => n + s.params[spec.name]!.length, 0));
    expect(worst).toBeLessThan(1e-6);
  });

  it('send no gradient through the intended head from the consistency term', async () => {
    const s = setup(net);
    const session = await ort.InferenceSession.create(
      trainingGraph(net, { float: 'float64', consistency: true, simple: true, optimizer: false }),
    );
    const at = async (lambda: number) => session.run(feeds(net, s, {}, { ...hyper, lambda }));
    const [small, big] = [await at(0.1), await at(5)];
    // λ moves the instrumental head and the trunk, never the intended head.
    expect(Array.from(big['intended.weight.grad']!.data as F64)).toEqual(Array.from(small['intended.weight.grad']!.data as F64));
    expect(Array.from(big['intended.bias.grad']!.data as F64)).toEqual(Array.from(small['intended.bias.grad']!.data as F64));
    expect(maxAbsDiff(big['instrumental.weight.grad']!.data as F64, small['instrumental.weight.grad']!.data as F64)).toBeGreaterThan(1e-6);
    expect(maxAbsDiff(big['trunk.1.weight.grad']!.data as F64, small['trunk.1.weight.grad']!.data as F64)).toBeGreaterThan(1e-6);
    // And the graph that computes the target itself agrees with the checked graph given that target.
    const checked = await ort.InferenceSession.create(
      trainingGraph(net, { float: 'float64', consistency: true, simple: true, optimizer: false, targetInput: true }),
    );
    const reference = await checked.run(feeds(net, s, { 'small.target': await intendedOnSmall(net, s) }));
    const real = await session.run(feeds(net, s));
    for (const spec of parameterSpecs(net)) {
      expect(maxAbsDiff(real[`${spec.name}.grad`]!.data as F64, reference[`${spec.name}.grad`]!.data as F64)).toBeLessThan(1e-12);
    }
  });

  it('apply AdamW exactly as written', async () => {
    const s = setup(net);
    const grads = await (
      await ort.InferenceSession.create(trainingGraph(net, { float: 'float64', consistency: true, simple: true, optimizer: false }))
    ).run(feeds(net, s));
    const step = await ort.InferenceSession.create(
      trainingGraph(net, { float: 'float64', consistency: true, simple: true, optimizer: true }),
    );
    const moments: Record<string, ort.Tensor> = {};
    const m0: Record<string, F64> = {};
    const v0: Record<string, F64> = {};
    for (const spec of parameterSpecs(net)) {
      m0[spec.name] = randn(s.params[spec.name]!.length, 0.1);
      v0[spec.name] = Float64Array.from(randn(s.params[spec.name]!.length, 0.1), Math.abs);
      moments[`${spec.name}.m`] = new ort.Tensor('float64', m0[spec.name]!, spec.shape);
      moments[`${spec.name}.v`] = new ort.Tensor('float64', v0[spec.name]!, spec.shape);
    }
    const out = await step.run(feeds(net, s, moments));
    const { beta1, beta2, lr, eps, weight_decay, step: t } = hyper;
    for (const spec of parameterSpecs(net)) {
      const g = grads[`${spec.name}.grad`]!.data as F64;
      const p = s.params[spec.name]!;
      const expected = Float64Array.from(p, (theta, i) => {
        const m = beta1 * m0[spec.name]![i]! + (1 - beta1) * g[i]!;
        const v = beta2 * v0[spec.name]![i]! + (1 - beta2) * g[i]! ** 2;
        const update = m / (1 - beta1 ** t) / (Math.sqrt(v / (1 - beta2 ** t)) + eps);
        return theta - lr * (update + weight_decay * theta);
      });
      expect(maxAbsDiff(out[`${spec.name}.next`]!.data as F64, expected)).toBeLessThan(1e-12);
    }
  });
});

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}
