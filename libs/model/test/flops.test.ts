import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { matmulFlops, matmulGraph, trainingStepMatmuls, type Matmul, type NetworkConfig } from '../src/index.js';

const twoHead: NetworkConfig = { inputSize: 220, answers: 4, hidden: [256], activation: 'relu', heads: 2, theta1TrunkLayers: 0 };

describe("the training step's matrix products", () => {
  it('are 4 products of 2·B·D·H and 7 of 2·B·H·K for one hidden layer, two heads and equal batches', () => {
    const B = 4096;
    const products = trainingStepMatmuls(twoHead, { large: B, small: B });
    expect(products).toHaveLength(11);
    expect(matmulFlops(products)).toBe(2 * B * (4 * 220 * 256 + 7 * 256 * 4));
    expect(matmulFlops(products)).toBe(1_904_214_016);
  });

  it('count each batch at its own size, the baseline one head on the large batch, and the products between hidden layers', () => {
    const [D, H1, H2, K] = [10, 32, 16, 3];
    const deep: NetworkConfig = { ...twoHead, inputSize: D, answers: K, hidden: [H1, H2] };
    const pass = (n: number, heads: number) => 2 * n * (2 * D * H1 + 3 * H1 * H2 + (heads + 2) * H2 * K);
    expect(matmulFlops(trainingStepMatmuls(deep, { large: 100, small: 50, simple: 20 }))).toBe(pass(100, 1) + pass(50, 2) + pass(20, 1));
    expect(matmulFlops(trainingStepMatmuls({ ...deep, heads: 1 }, { large: 100, small: 50 }))).toBe(pass(100, 1));
  });

  it('run as a graph of products alone, each transposed as the step reads it, whole or only its first entry copied out', async () => {
    const products: Matmul[] = [
      { what: 'plain', m: 3, k: 4, n: 2, transA: false, transB: false },
      { what: 'xᵀ·da', m: 4, k: 3, n: 2, transA: true, transB: false },
      { what: 'dz·Wᵀ', m: 3, k: 2, n: 4, transA: false, transB: true },
    ];
    const session = await ort.InferenceSession.create(matmulGraph(products));
    const corner = await ort.InferenceSession.create(matmulGraph(products, { corner: true }));
    const feeds: Record<string, ort.Tensor> = {};
    const values = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => ((i * 7 + seed) % 5) - 2);
    products.forEach((p, i) => {
      feeds[`${i}.a`] = new ort.Tensor('float32', values(p.m * p.k, i), p.transA ? [p.k, p.m] : [p.m, p.k]);
      feeds[`${i}.b`] = new ort.Tensor('float32', values(p.k * p.n, i + 3), p.transB ? [p.n, p.k] : [p.k, p.n]);
    });
    const out = await session.run(feeds);
    const corners = await corner.run(feeds);
    await session.release();
    await corner.release();
    products.forEach((p, i) => {
      const a = feeds[`${i}.a`]!.data as Float32Array;
      const b = feeds[`${i}.b`]!.data as Float32Array;
      const at = (r: number, c: number) => (p.transA ? a[c * p.m + r]! : a[r * p.k + c]!);
      const bt = (r: number, c: number) => (p.transB ? b[c * p.k + r]! : b[r * p.n + c]!);
      const expected = Array.from({ length: p.m * p.n }, (_, j) => {
        let sum = 0;
        for (let t = 0; t < p.k; t++) sum += at(Math.floor(j / p.n), t) * bt(t, j % p.n);
        return sum;
      });
      expect(out[`${i}.c`]!.dims).toEqual([p.m, p.n]);
      expect(Array.from(out[`${i}.c`]!.data as Float32Array)).toEqual(expected);
      expect(corners[`${i}.c`]!.dims).toEqual([1, 1]);
      expect(Array.from(corners[`${i}.c`]!.data as Float32Array)).toEqual([expected[0]]);
    });
  });
});
