import type { MethodResult, RunResult, Score, Verdict, WorldSummary } from '#tribunal/contracts';
import { gapRecovered, wilsonInterval } from '#tribunal/model';

/** The single-head methods the two-head objective must beat to earn its place. */
export const SINGLE_HEADS = ['naive', 'complex-only', 'mixture'];

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

function score(correct: number, items: number): Score {
  return { items, correct, accuracy: items ? correct / items : null, interval: wilsonInterval(correct, items) };
}

/** Whether the two-head model beats the best single head where the simple label is wrong. */
export function verdict(methods: Record<string, MethodResult>): Verdict | null {
  const twoHead = methods['two-head']?.simpleWrong;
  const singles = SINGLE_HEADS.flatMap((name) =>
    methods[name]?.simpleWrong.accuracy != null ? [[name, methods[name]!.simpleWrong] as const] : [],
  );
  if (twoHead?.accuracy == null || singles.length === 0) return null;
  const [best, other] = singles.reduce((a, b) => ((b[1].accuracy ?? 0) > (a[1].accuracy ?? 0) ? b : a));
  const p1 = twoHead.accuracy;
  const p2 = other.accuracy!;
  const difference = p1 - p2;
  const se = Math.sqrt((p1 * (1 - p1)) / twoHead.items + (p2 * (1 - p2)) / other.items);
  const interval: [number, number] = [difference - 1.96 * se, difference + 1.96 * se];
  return { best, difference, interval, says: interval[0] > 0 ? 'beats' : interval[1] < 0 ? 'loses to' : 'cannot be told apart from' };
}

/** Every method's counts summed over runs (seeds), with intervals and the gap recovered recomputed on the sums. */
export function poolMethods(perRun: Record<string, MethodResult>[]): Record<string, MethodResult> {
  const names = [...new Set(perRun.flatMap((m) => Object.keys(m)))];
  const pooledScores = Object.fromEntries(
    names.map((name) => {
      const of = (set: 'heldOut' | 'simpleWrong') => {
        const scores = perRun.flatMap((m) => (m[name] && m[name]![set].correct !== null ? [m[name]![set]] : []));
        return score(sum(scores.map((s) => s.correct ?? 0)), sum(scores.map((s) => s.items)));
      };
      return [name, { heldOut: of('heldOut'), simpleWrong: of('simpleWrong') }];
    }),
  );
  const naive = pooledScores['naive']?.simpleWrong.accuracy ?? null;
  const oracle = pooledScores['oracle']?.simpleWrong.accuracy ?? null;
  return Object.fromEntries(
    Object.entries(pooledScores).map(([name, s]) => [name, { ...s, pgr: gapRecovered(s.simpleWrong.accuracy, naive, oracle) }]),
  );
}

/** A world's runs (one per seed) pooled: counts summed, so intervals narrow with every seed. */
export function pooled(world: string, runs: RunResult[]): WorldSummary {
  const labels = sum(runs.map((r) => r.training.labels));
  const correctLabels = sum(runs.map((r) => Math.round((r.training.labelAccuracy ?? 0) * r.training.labels)));
  const small = sum(runs.map((r) => r.training.small));
  const smallWrong = sum(runs.map((r) => r.training.smallWrong));
  const roundCount = Math.max(0, ...runs.map((r) => r.rounds.length));
  const regimeNames = [...new Set(runs.flatMap((r) => r.regimes.map((g) => g.name)))];
  return {
    world,
    seeds: runs.map((r) => r.seed),
    heldOutRooms: sum(runs.map((r) => r.heldOutRooms)),
    heldOutSimpleWrong: sum(runs.map((r) => r.heldOutSimpleWrong)),
    training: {
      adjudicated: {
        mean: runs.length ? sum(runs.map((r) => r.training.adjudicated)) / runs.length : 0,
        max: Math.max(0, ...runs.map((r) => r.training.adjudicated)),
      },
      disputesOnHeldOut: sum(runs.map((r) => r.training.disputesOnHeldOut)),
      labels,
      labelAccuracy: labels ? correctLabels / labels : null,
      small,
      smallWrong,
      contamination: small ? smallWrong / small : null,
    },
    rounds: Array.from({ length: roundCount }, (_, i) => {
      const rounds = runs.flatMap((r) => (r.rounds[i] ? [r.rounds[i]!] : []));
      const fresh = sum(rounds.map((r) => r.labels));
      const right = sum(rounds.map((r) => Math.round((r.labelAccuracy ?? 0) * r.labels)));
      return {
        round: i + 1,
        source: rounds[0]?.source ?? 'audit',
        adjudicated: rounds.length ? sum(rounds.map((r) => r.adjudicated)) / rounds.length : 0,
        labels: fresh,
        labelAccuracy: fresh ? right / fresh : null,
      };
    }),
    regimes: regimeNames.map((name) => {
      const methods = poolMethods(runs.flatMap((r) => r.regimes.filter((g) => g.name === name).map((g) => g.methods)));
      return { name, methods, verdict: verdict(methods) };
    }),
  };
}
