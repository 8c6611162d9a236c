import { GraphBuilder } from './onnx/graph.js';
import type { NetworkConfig } from './network.js';

/**
 * One matrix product C = op(A)·op(B) with C of m × n and an inner dimension k; `transA` means A is
 * stored k × m (as Gemm's transA reads it), `transB` that B is stored n × k.
 */
export interface Matmul {
  what: string;
  m: number;
  k: number;
  n: number;
  transA: boolean;
  transB: boolean;
}

/** 2·m·k·n: a multiply and an add for each of the k terms of each of the m·n entries. */
export function matmulFlops(products: readonly Matmul[]): number {
  return products.reduce((sum, p) => sum + 2 * p.m * p.k * p.n, 0);
}

/**
 * The matrix products one training step needs (`trainingGraph`'s objective), forward and backward,
 * with widths w₀ = inputSize, w₁ … w_L the hidden layers and K answers. A pass over n rows:
 *
 * - forward: n×w_l · w_l×w_{l+1} for each trunk layer, then n×w_L · w_L×K for each head the term
 *   reads (the large batch reads the first head; the small batch both, the intended head as the
 *   consistency target; the simple batch the instrumental head);
 * - backward through the one head the term differentiates: its weight gradient w_L×n · n×K
 *   (hᵀ·dz) and the gradient into the trunk n×K · K×w_L (dz·Wᵀ);
 * - through each trunk layer, top down: its weight gradient w_l×n · n×w_{l+1} (xᵀ·da) and, for every
 *   layer but the first, the gradient into the layer beneath n×w_{l+1} · w_{l+1}×w_l (da·Wᵀ).
 *
 * With one hidden layer of H, two heads and batches of B rows on the large and the small set this is
 * 4 products of 2·B·D·H and 7 of 2·B·H·K: 2·B·(4·D·H + 7·H·K) FLOPs. The optimiser, activations,
 * softmaxes and reductions are elementwise or row-wise and are not counted. The graph's forward
 * pass also computes the large batch's instrumental logits, which no term reads (onnxruntime runs
 * that product all the same: the step has 12 Gemm nodes); it is not counted, being work the step
 * does not need.
 */
export function trainingStepMatmuls(config: NetworkConfig, rows: { large: number; small?: number; simple?: number }): Matmul[] {
  const widths = [config.inputSize, ...config.hidden];
  const top = widths[widths.length - 1]!;
  const K = config.answers;
  const products: Matmul[] = [];
  const pass = (set: string, n: number, reads: string[], differentiates: string) => {
    for (let l = 0; l + 1 < widths.length; l++)
      products.push({ what: `${set} trunk.${l} forward`, m: n, k: widths[l]!, n: widths[l + 1]!, transA: false, transB: false });
    for (const head of reads) products.push({ what: `${set} ${head} forward`, m: n, k: top, n: K, transA: false, transB: false });
    products.push({ what: `${set} ${differentiates}.weight gradient`, m: top, k: n, n: K, transA: true, transB: false });
    products.push({ what: `${set} ${differentiates} → trunk`, m: n, k: K, n: top, transA: false, transB: true });
    for (let l = widths.length - 2; l >= 0; l--) {
      products.push({ what: `${set} trunk.${l}.weight gradient`, m: widths[l]!, k: n, n: widths[l + 1]!, transA: true, transB: false });
      if (l > 0)
        products.push({ what: `${set} trunk.${l} → trunk.${l - 1}`, m: n, k: widths[l + 1]!, n: widths[l]!, transA: false, transB: true });
    }
  };
  const first = config.heads === 2 ? 'intended' : 'label';
  pass('large', rows.large, [first], first);
  if (config.heads === 2 && rows.small) pass('small', rows.small, ['intended', 'instrumental'], 'instrumental');
  if (config.heads === 2 && rows.simple) pass('simple', rows.simple, ['instrumental'], 'instrumental');
  return products;
}

/**
 * A graph of the products alone, each on inputs of its own (`<i>.a`, `<i>.b`): what onnxruntime's
 * matrix multiplication reaches on these shapes on this machine, with nothing else in the way. Each
 * output `<i>.c` is the whole product, or with `corner` only its first entry (1 × 1): the product is
 * still computed whole, into onnxruntime's own memory as a step's intermediate values are, but not
 * copied out to the caller, which for a 4096 × 256 product costs more than a k = 4 product itself.
 */
export function matmulGraph(products: readonly Matmul[], options: { corner?: boolean } = {}): Uint8Array {
  const g = new GraphBuilder('matmul-reference');
  const origin = options.corner ? g.int64s([0, 0]) : '';
  const one = options.corner ? g.int64s([1, 1]) : '';
  products.forEach((p, i) => {
    const a = g.input(`${i}.a`, p.transA ? [p.k, p.m] : [p.m, p.k]);
    const b = g.input(`${i}.b`, p.transB ? [p.n, p.k] : [p.k, p.n]);
    const c = g.gemm(a, b, undefined, { transA: p.transA, transB: p.transB });
    if (options.corner) g.output(`${i}.c`, g.node('Slice', [c, origin, one]), [1, 1]);
    else g.output(`${i}.c`, c, [p.m, p.n]);
  });
  return g.encode();
}
