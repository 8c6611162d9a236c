/**
 * Krippendorff's alpha for nominal data: how far judges agree on which answer is right, beyond what
 * their overall answer frequencies would produce by chance. Handles any number of judges per unit and
 * missing answers.
 *
 * `units[u][j]` is judge j's answer (0 .. categories-1) on unit u, or null where j did not answer.
 * Following Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability":
 *
 *   - a unit with m_u ≥ 2 answers contributes each ordered pair of answers by different judges to the
 *     coincidence matrix with weight 1/(m_u − 1), so each pairable answer counts once in total:
 *       o_ck = Σ_u (number of ordered pairs (c, k) in unit u) / (m_u − 1)
 *   - n_c = Σ_k o_ck (how often c was answered), n = Σ_c n_c (pairable answers)
 *   - α = 1 − D_o / D_e = 1 − (n − 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c·n_k
 *
 * Units with fewer than two answers have no pairs and are left out. Returns null when alpha is
 * undefined: no pairable answers, or every pairable answer is the same category (D_e = 0).
 */
export function krippendorffAlpha(units: readonly (readonly (number | null)[])[], categories: number): number | null {
  if (!Number.isInteger(categories) || categories < 1) throw new Error(`categories must be a positive integer, got ${categories}`);
  const coincidences = Array.from({ length: categories }, () => new Array<number>(categories).fill(0));
  units.forEach((unit, u) => {
    const values = unit.filter((v): v is number => v !== null);
    for (const [j, v] of values.entries()) {
      if (!Number.isInteger(v) || v < 0 || v >= categories) {
        throw new Error(`units[${u}] has answer ${v} at position ${j}, outside 0..${categories - 1}`);
      }
    }
    if (values.length < 2) return;
    const weight = 1 / (values.length - 1);
    values.forEach((c, a) =>
      values.forEach((k, b) => {
        if (a !== b) coincidences[c]![k]! += weight;
      }),
    );
  });
  const totals = coincidences.map((row) => row.reduce((s, o) => s + o, 0));
  const n = totals.reduce((s, t) => s + t, 0);
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < categories; c++) {
    for (let k = 0; k < categories; k++) {
      if (c === k) continue;
      observed += coincidences[c]![k]!;
      expected += totals[c]! * totals[k]!;
    }
  }
  if (n < 2 || expected === 0) return null;
  return 1 - ((n - 1) * observed) / expected;
}
