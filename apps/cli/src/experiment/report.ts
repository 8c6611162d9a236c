import type { Json } from '../api-client.js';
import type { ExperimentResult } from './runner.js';
import { groupedBars, lines, reliability } from './svg.js';

const f = (v: number | null | undefined, width = 8) => (v === null || v === undefined ? 'n/a' : v.toFixed(3)).padStart(width);
const pct = (v: number) => `${(100 * v).toFixed(0)}%`;

/** The experiment's one table, as text. */
export function table(result: ExperimentResult): string {
  const { comparison, training, model } = result;
  const e = model.evaluation;
  const out: string[] = [];
  out.push(`Judges and labels by protocol (${comparison.rooms} rooms, each debated under every protocol; simulated judges)`);
  out.push(
    `${'protocol'.padEnd(13)}${'debates'.padStart(8)}${'failed'.padStart(8)}${'judge acc'.padStart(11)}${'ECE'.padStart(8)}${'Brier'.padStart(8)}${'labels'.padStart(8)}${'label acc'.padStart(11)}${'adjudicated'.padStart(13)}`,
  );
  for (const p of comparison.protocols) {
    out.push(
      `${p.kind.padEnd(13)}${String(p.debates).padStart(8)}${String(p.failed).padStart(8)}${f(p.judge.accuracy, 11)}${f(p.judge.ece)}${f(p.judge.brier)}${String(p.labels.count).padStart(8)}${f(p.labels.accuracy, 11)}${pct(p.labels.adjudicated).padStart(13)}`,
    );
  }
  out.push(`${'simple labels'.padEnd(13)}${''.padStart(16)}${f(comparison.simpleLabelAccuracy, 11)}`);
  out.push('');
  out.push(
    `Labels of the training world (${training.rooms} rooms, ${training.disputes} disputed, ${training.labelled} labelled: ${pct(training.adjudicated)} of rooms adjudicated)`,
  );
  out.push(
    `  simple labels: ${f(training.simpleLabelAccuracy.all, 0)} correct on all rooms, ${f(training.simpleLabelAccuracy.labelled, 0)} on the labelled ones`,
  );
  out.push(`  complex-process labels: ${f(training.complexLabelAccuracy, 0)} correct`);
  out.push('');
  out.push(
    `Model ${model.name}, against ${e.reference} on held-out rooms (${e.heldOut.items}; the simple label is wrong on ${e.simpleWrong.items})`,
  );
  out.push(`${''.padEnd(20)}${'held-out acc'.padStart(14)}${'ECE'.padStart(8)}${'simple-wrong acc'.padStart(18)}${'ECE'.padStart(8)}`);
  for (const [label, key] of [
    ['intended head', 'intended'],
    ['instrumental head', 'instrumental'],
    ['naive baseline', 'baseline'],
  ] as const) {
    const all = e.heldOut[key] as Json;
    const wrong = e.simpleWrong[key] as Json;
    out.push(`${label.padEnd(20)}${f(all?.accuracy, 14)}${f(all?.ece)}${f(wrong?.accuracy, 18)}${f(wrong?.ece)}`);
  }
  out.push(
    `${'simple labels'.padEnd(20)}${f(e.heldOut.simpleLabels.accuracy, 14)}${''.padStart(8)}${f(e.simpleWrong.simpleLabels.accuracy, 18)}`,
  );
  return out.join('\n');
}

/** The experiment's plots, by file name. */
export function plots(result: ExperimentResult): Record<string, string> {
  const { comparison, model } = result;
  const kinds = comparison.protocols.map((p) => p.kind);
  const e = model.evaluation;
  const heads = [
    ['intended head', 'intended'],
    ['instrumental head', 'instrumental'],
    ['naive baseline', 'baseline'],
  ] as const;
  return {
    'judges.svg': groupedBars({
      title: 'Judges by protocol',
      categories: kinds,
      series: [
        { label: 'judge accuracy', values: comparison.protocols.map((p) => p.judge.accuracy) },
        { label: 'expected calibration error', values: comparison.protocols.map((p) => p.judge.ece) },
      ],
      max: 1,
      yLabel: 'fraction',
    }),
    'calibration.svg': reliability({
      title: 'Judge calibration by protocol',
      series: comparison.protocols.map((p) => ({ label: p.kind, bins: p.judge.reliability })),
    }),
    'labels.svg': groupedBars({
      title: 'Simple vs complex-process labels, against the ground truth',
      categories: ['simple', ...kinds],
      series: [
        { label: 'accuracy', values: [comparison.simpleLabelAccuracy, ...comparison.protocols.map((p) => p.labels.accuracy)] },
        { label: 'fraction adjudicated', values: [1, ...comparison.protocols.map((p) => p.labels.adjudicated)] },
      ],
      max: 1,
      yLabel: 'fraction',
    }),
    'model.svg': groupedBars({
      title: 'Heads and baseline on held-out rooms',
      categories: ['all held-out', 'simple label wrong'],
      series: [
        ...heads.map(([label, key]) => ({
          label,
          values: [(e.heldOut[key] as Json)?.accuracy ?? null, (e.simpleWrong[key] as Json)?.accuracy ?? null],
        })),
        { label: 'simple labels', values: [e.heldOut.simpleLabels.accuracy, e.simpleWrong.simpleLabels.accuracy] },
      ],
      max: 1,
      yLabel: 'accuracy',
    }),
    'training.svg': lines({
      title: 'Held-out accuracy while training',
      xLabel: 'step',
      yLabel: 'accuracy',
      yMax: 1,
      series: heads.map(([label, key]) => ({
        label,
        points: (model.progress as Json[]).flatMap((p) =>
          p.heldOut[key] === null ? [] : [{ x: p.step as number, y: p.heldOut[key] as number }],
        ),
      })),
    }),
  };
}
