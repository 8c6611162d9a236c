import { describe, expect, it } from 'vitest';
import { krippendorffAlpha } from '../src/index.js';

describe('krippendorffAlpha (nominal)', () => {
  it('matches a small example worked by hand', () => {
    // Units (0,0), (0,1), (1,1); each unit has m = 2, so each ordered pair weighs 1/(2−1) = 1.
    // o_00 = 2, o_01 = o_10 = 1, o_11 = 2; n_0 = n_1 = 3, n = 6.
    // α = 1 − (n−1)·Σ_{c≠k} o_ck / Σ_{c≠k} n_c·n_k = 1 − 5·2 / (2·3·3) = 1 − 10/18 = 4/9
    expect(
      krippendorffAlpha(
        [
          [0, 0],
          [0, 1],
          [1, 1],
        ],
        2,
      ),
    ).toBeCloseTo(4 / 9, 12);
  });

  it("reproduces the nominal example of Krippendorff (2011), 'Computing Krippendorff's Alpha-Reliability'", () => {
    // Four observers A–D, twelve units, values 1–5 (shifted to 0–4 here), '.' missing:
    //   A: 1 2 3 3 2 1 4 1 2 . . .
    //   B: 1 2 3 3 2 2 4 1 2 5 . 3
    //   C: . 3 3 3 2 3 4 2 2 5 1 .
    //   D: 1 2 3 3 2 4 4 1 2 5 1 .
    // Unit 12 has one value and is dropped. Pairable values n = 40, with n_1..n_5 = 9, 13, 10, 5, 3.
    // Off-diagonal coincidences: unit 2 gives 2 (pairs 2–3 and 3–2, 3 each of weight 1/3), unit 6 gives
    // 12 · 1/3 = 4, unit 8 gives 2: Σ_{c≠k} o_ck = 8.
    // Σ_{c≠k} n_c·n_k = 40² − (81 + 169 + 100 + 25 + 9) = 1216.
    // α = 1 − 39·8/1216 = 904/1216 ≈ 0.743, the paper's value.
    const A = [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null];
    const B = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3];
    const C = [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null];
    const D = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null];
    const units = A.map((_, u) => [A, B, C, D].map((observer) => (observer[u] === null ? null : observer[u]! - 1)));
    const alpha = krippendorffAlpha(units, 5);
    expect(alpha).toBeCloseTo(904 / 1216, 12);
    expect(alpha!.toFixed(3)).toBe('0.743');
  });

  it('is 1 for perfect agreement and negative for systematic disagreement', () => {
    expect(
      krippendorffAlpha(
        [
          [0, 0, 0],
          [1, 1, null],
          [2, 2, 2],
        ],
        3,
      ),
    ).toBe(1);
    // (0,1), (1,0): o_01 = o_10 = 2, n_0 = n_1 = 2, n = 4; α = 1 − 3·4/(2·2·2) = −0.5
    expect(
      krippendorffAlpha(
        [
          [0, 1],
          [1, 0],
        ],
        2,
      ),
    ).toBeCloseTo(-0.5, 12);
  });

  it('ignores units with fewer than two answers, wherever the gaps are', () => {
    const dense = [
      [0, 0],
      [0, 1],
      [1, 1],
    ];
    const sparse = [[null, 0, null, 0], [1], [null, 0, 1], [null, null], [], [1, null, 1]];
    expect(krippendorffAlpha(sparse, 2)).toBeCloseTo(krippendorffAlpha(dense, 2)!, 12);
  });

  it('is undefined without pairable answers or without variation', () => {
    expect(krippendorffAlpha([], 2)).toBeNull();
    expect(krippendorffAlpha([[0], [1, null], [null, null]], 2)).toBeNull();
    // Everyone always gives answer 1: no expected disagreement to compare with.
    expect(
      krippendorffAlpha(
        [
          [1, 1],
          [1, 1, 1],
        ],
        3,
      ),
    ).toBeNull();
  });

  it('rejects answers outside the categories', () => {
    expect(() => krippendorffAlpha([[0, 2]], 2)).toThrow(/units\[0\] has answer 2 at position 1, outside 0..1/);
    expect(() =>
      krippendorffAlpha(
        [
          [0, 0],
          [0.5, 1],
        ],
        2,
      ),
    ).toThrow(/units\[1\] has answer 0.5/);
    expect(() => krippendorffAlpha([[0, 0]], 0)).toThrow(/categories must be a positive integer/);
  });
});
