import { wilsonInterval } from '#tribunal/model';
import {
  METHOD_ORDER,
  methodLabel,
  verdictText,
  type ExperimentResult,
  type MethodResult,
  type Score,
  type Verdict,
  type WorldSummary,
} from '#tribunal/contracts';
import { groupedBars, lines, reliability } from './svg.js';

const f = (v: number | null | undefined, width = 8, digits = 3) =>
  (v === null || v === undefined ? 'n/a' : v.toFixed(digits)).padStart(width);
const pct = (v: number | null | undefined, digits = 1) => (v === null || v === undefined ? 'n/a' : `${(100 * v).toFixed(digits)}%`);
const interval = (i: [number, number] | null | undefined) => (i ? `[${i[0].toFixed(2)}, ${i[1].toFixed(2)}]` : '');
const scoreText = (s: Score | undefined, width: number) => `${f(s?.accuracy, 6)} ${interval(s?.interval).padEnd(13)}`.padStart(width);

const ordered = (methods: Record<string, MethodResult>) => METHOD_ORDER.filter((m) => methods[m]);

/** One sentence on whether the two-head objective earns its place, as the table shows it. */
export function verdictSentence(world: string, regime: string, verdict: Verdict | null): string {
  return `${world}, ${regime}: ${verdict ? verdictText(verdict) : 'no comparison (a method is missing).'}`;
}

function regimeSettings(result: ExperimentResult, name: string): string {
  const regime = result.config.training.regimes.find((r) => r.name === name);
  const settings = { ...result.config.training.settings, ...regime?.settings };
  const lambda = settings['lambda'] ?? 1;
  const mu = settings['mu'] ?? 0;
  const labels = regime?.complexLabels ? `, ${regime.complexLabels} complex labels per run` : ', every complex label';
  return `λ = ${String(lambda)}, μ = ${String(mu)}${labels}`;
}

/** The experiment's one table, as text. */
export function table(result: ExperimentResult): string {
  const { config } = result;
  const out: string[] = [];
  const worldNames = config.worlds.map((w) => w.name);
  const wWidth = Math.max(8, ...worldNames.map((n) => n.length + 2));
  out.push(
    `${config.name}: ${config.worlds.length} world(s) × ${config.seeds.length} seed(s) (${config.seeds.join(', ')}), ${config.training.rooms} rooms per training world, ` +
      `${pct(config.training.heldOutFraction, 0)} held out; budget ${pct(config.training.budget, 0)} of the training split over ${config.training.rounds} round(s)`,
  );
  for (const world of config.worlds) out.push(`  ${world.name}: ${JSON.stringify(world.params)}`);
  out.push('');

  out.push(
    `Judges by protocol (each world's ${config.comparison.rooms} comparison rooms judged in full under every protocol; simulated judges)`,
  );
  out.push(
    `${'world'.padEnd(wWidth)}${'protocol'.padEnd(13)}${'debates'.padStart(8)}${'failed'.padStart(7)}${'judge acc'.padStart(10)} ${'[95% interval]'.padEnd(14)}${'ECE'.padStart(7)}${'labels'.padStart(8)}${'label acc'.padStart(11)}`,
  );
  for (const c of result.comparisons) {
    for (const p of c.protocols) {
      const i = p.judge.judged ? wilsonInterval(p.judge.correct, p.judge.judged) : null;
      out.push(
        `${c.world.padEnd(wWidth)}${p.kind.padEnd(13)}${String(p.debates).padStart(8)}${String(p.failed).padStart(7)}${f(p.judge.accuracy, 10)} ${interval(i).padEnd(14)}${f(p.judge.ece, 7)}${String(p.labels.count).padStart(8)}${f(p.labels.accuracy, 11)}`,
      );
    }
    out.push(`${c.world.padEnd(wWidth)}${'simple labels'.padEnd(28)}${f(c.simpleLabelAccuracy, 10)}`);
  }
  out.push('');

  out.push('The loop, per world, pooled over seeds: rooms adjudicated, labels kept and how many are right');
  out.push(
    `${'world'.padEnd(wWidth)}${'adjudicated'.padStart(12)}${'(max)'.padStart(8)}${'labels'.padStart(8)}${'label acc'.padStart(11)}${'small set'.padStart(11)}${'wrong'.padStart(7)}${'contamination'.padStart(15)}${'on held-out'.padStart(13)}`,
  );
  for (const w of result.worlds) {
    const t = w.training;
    out.push(
      `${w.world.padEnd(wWidth)}${pct(t.adjudicated.mean).padStart(12)}${pct(t.adjudicated.max).padStart(8)}${String(t.labels).padStart(8)}${f(t.labelAccuracy, 11)}${String(t.small).padStart(11)}${String(t.smallWrong).padStart(7)}${pct(t.contamination, 2).padStart(15)}${String(t.disputesOnHeldOut).padStart(13)}`,
    );
  }
  out.push('');
  out.push(
    `${'world'.padEnd(wWidth)}${'round'.padStart(6)}  ${'chosen by'.padEnd(10)}${'adjudicated'.padStart(12)}${'labels'.padStart(8)}${'label acc'.padStart(11)}`,
  );
  for (const w of result.worlds)
    for (const r of w.rounds)
      out.push(
        `${w.world.padEnd(wWidth)}${String(r.round).padStart(6)}  ${r.source.padEnd(10)}${pct(r.adjudicated).padStart(12)}${String(r.labels).padStart(8)}${f(r.labelAccuracy, 11)}`,
      );
  out.push('');

  const verdicts: string[] = [];
  for (const regime of config.training.regimes) {
    out.push(
      `Methods on held-out rooms, regime ${regime.name} (${regimeSettings(result, regime.name)}), pooled over seeds; PGR = (method − naive) / (oracle − naive) where the simple label is wrong`,
    );
    out.push(
      `${'world'.padEnd(wWidth)}${'method'.padEnd(24)}${'all held-out [95%]'.padStart(22)}${'simple label wrong [95%]'.padStart(27)}${'PGR'.padStart(8)}`,
    );
    for (const w of result.worlds) {
      const g = w.regimes.find((r) => r.name === regime.name);
      if (!g) continue;
      out.push(`${w.world.padEnd(wWidth)}(${w.heldOutRooms} held-out rooms, ${w.heldOutSimpleWrong} with a wrong simple label)`);
      for (const name of ordered(g.methods)) {
        const m = g.methods[name]!;
        out.push(
          `${''.padEnd(wWidth)}${methodLabel(name).padEnd(24)}${scoreText(m.heldOut, 22)}${scoreText(m.simpleWrong, 27)}${f(m.pgr, 8, 2)}`,
        );
      }
      verdicts.push(verdictSentence(w.world, `regime ${regime.name}`, g.verdict));
    }
    out.push('');
  }
  out.push('Does the two-head objective earn its place?');
  for (const v of verdicts) out.push(`  ${v}`);
  return out.join('\n');
}

function methodsPlot(worlds: WorldSummary[], regime: string, set: 'simpleWrong' | 'heldOut', title: string): string {
  const names = METHOD_ORDER.filter((m) => worlds.some((w) => w.regimes.find((r) => r.name === regime)?.methods[m]));
  return groupedBars({
    title,
    categories: worlds.map((w) => w.world),
    series: names.map((name) => {
      const scores = worlds.map((w) => w.regimes.find((r) => r.name === regime)?.methods[name]?.[set]);
      return {
        label: methodLabel(name),
        values: scores.map((s) => s?.accuracy ?? null),
        intervals: scores.map((s) => s?.interval ?? null),
      };
    }),
    max: 1,
    yLabel: 'accuracy (95% interval)',
  });
}

/** The experiment's plots, by file name. */
export function plots(result: ExperimentResult): Record<string, string> {
  const kinds = result.comparisons[0]?.protocols.map((p) => p.kind) ?? [];
  const files: Record<string, string> = {
    'judges.svg': groupedBars({
      title: 'Judge accuracy by protocol (simulated judges)',
      categories: result.comparisons.map((c) => c.world),
      series: kinds.map((kind) => {
        const rows = result.comparisons.map((c) => c.protocols.find((p) => p.kind === kind));
        return {
          label: kind,
          values: rows.map((p) => p?.judge.accuracy ?? null),
          intervals: rows.map((p) => (p?.judge.judged ? wilsonInterval(p.judge.correct, p.judge.judged) : null)),
        };
      }),
      max: 1,
      yLabel: 'judge accuracy (95% interval)',
    }),
    'calibration.svg': reliability({
      title: `Judge calibration by protocol (${result.comparisons[0]?.world ?? ''})`,
      series: (result.comparisons[0]?.protocols ?? []).map((p) => ({ label: p.kind, bins: p.judge.reliability })),
    }),
    'rounds.svg': lines({
      title: 'The loop by round: fraction of the training split adjudicated (cumulative)',
      xLabel: 'round',
      yLabel: 'fraction adjudicated',
      yMax: Math.max(1e-9, ...result.worlds.flatMap((w) => w.rounds.map((r) => r.adjudicated))) * 1.25,
      series: result.worlds.map((w) => ({ label: w.world, points: w.rounds.map((r) => ({ x: r.round, y: r.adjudicated })) })),
    }),
    'round-labels.svg': groupedBars({
      title: 'Labels kept by round: how many are right',
      categories: result.worlds.map((w) => w.world),
      series: Array.from({ length: Math.max(0, ...result.worlds.map((w) => w.rounds.length)) }, (_, i) => {
        const rounds = result.worlds.map((w) => w.rounds[i]);
        return {
          label: `round ${i + 1} (${rounds.find(Boolean)?.source ?? ''})`,
          values: rounds.map((r) => r?.labelAccuracy ?? null),
          intervals: rounds.map((r) => (r?.labels ? wilsonInterval(Math.round((r.labelAccuracy ?? 0) * r.labels), r.labels) : null)),
        };
      }),
      max: 1,
      yLabel: 'label accuracy (95% interval)',
    }),
  };
  for (const regime of result.config.training.regimes) {
    files[`methods-${regime.name}.svg`] = methodsPlot(
      result.worlds,
      regime.name,
      'simpleWrong',
      `Held-out rooms whose simple label is wrong, regime ${regime.name}`,
    );
  }
  return files;
}
