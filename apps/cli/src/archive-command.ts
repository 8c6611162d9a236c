import { parseArgs } from 'node:util';
import { Presets, SingleBar } from 'cli-progress';
import type { TribunalConfig } from '#tribunal/config';
import { NotFound } from '#tribunal/contracts';
import type { DebaterStanding, JudgeStanding } from '#tribunal/judging';
import { AnalyticsModule, AnalyticsService, ArchiveModule, ArchiveService, type ProtocolComparison } from '#tribunal/core';
import { DatasetRepository } from '#tribunal/persistence';
import { withModules } from '../../bootstrap/src/command-context.js';
import { UsageError } from './protocols-command.js';

export const ARCHIVE_USAGE = `import nyu PATH [--name NAME]            import an archive in the NYU debate format (directory or .tgz)
  analytics [--of protocols|judges|debaters] [--dataset NAME] [--by protocol|setting] [--paper]
                                        judge accuracy, calibration and reward per protocol or setting;
                                        per judge; or debater win rates and Bradley–Terry strengths`;

export async function importCommand(args: string[], config: TribunalConfig): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: { name: { type: 'string', default: 'nyu-debate-2023' } },
    allowPositionals: true,
  });
  const [format, path] = positionals;
  if (format !== 'nyu' || !path) throw new UsageError(`usage: tribunal ${ARCHIVE_USAGE.split('\n')[0]}`);
  const report = await withModules(config, [ArchiveModule], async (context) => {
    const service = context.get(ArchiveService);
    const bar = new SingleBar(
      { format: 'importing rooms [{bar}] {value}/{total}', stream: process.stderr, hideCursor: true },
      Presets.shades_classic,
    );
    bar.start(1, 0);
    try {
      return await service.importNyu(path, values.name, (done, total) => {
        bar.setTotal(total);
        bar.update(done);
      });
    } finally {
      bar.stop();
    }
  });
  const reasons = new Map<string, number>();
  for (const s of report.skipped) reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + 1);
  console.log(`imported ${report.imported} rooms into dataset ${values.name} (${report.datasetId}); skipped ${report.skipped.length}:`);
  for (const [reason, count] of reasons) console.log(`  ${String(count).padStart(4)}  ${reason}`);
  const seats = report.correctSeat;
  if (seats.rooms) {
    console.log(
      `the correct answer is in seat A in ${seats.A} of ${seats.rooms} rooms (${((100 * seats.A) / seats.rooms).toFixed(0)}%), in seat B in ${seats.B} (${((100 * seats.B) / seats.rooms).toFixed(0)}%)`,
    );
  }
}

const pct = (v: number | null) => (v === null ? '—' : `${(100 * v).toFixed(1)}%`);
const num = (v: number | null, digits = 2) => (v === null ? '—' : v.toFixed(digits));

/** Rows as a plain text table: the first column left-aligned, the others right-aligned. */
function table(header: string[], lines: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [format(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(format)].join('\n');
}

export function judgesTable(rows: JudgeStanding[]): string {
  return table(
    ['judge', 'debates', 'judged', 'accuracy', 'reward'],
    rows.map((r) => [r.judge, String(r.debates), String(r.judged), pct(r.accuracy), num(r.meanReward, 3)]),
  );
}

export function debatersTable(rows: DebaterStanding[]): string {
  return table(
    ['debater', 'debates', 'wins', 'win rate', 'honest', 'dishonest', 'strength (95% interval)'],
    rows.map((r) => [
      r.debater,
      String(r.debates),
      String(r.wins),
      pct(r.winRate),
      pct(r.winRateHonest),
      pct(r.winRateDishonest),
      r.strength ? `${r.strength.strength.toFixed(2)} (${r.strength.low.toFixed(2)}–${r.strength.high.toFixed(2)})` : '—',
    ]),
  );
}

/** The comparison as a plain text table. */
export function analyticsTable(rows: ProtocolComparison[]): string {
  const header = ['group', 'debates', 'judged', 'accuracy', 'ECE', 'Brier', 'reward', 'info gain', 'alpha', 'speeches', 'median s'];
  const lines = rows.map((r) => [
    r.protocol.version ? `${r.protocol.name} v${r.protocol.version}` : r.protocol.name,
    String(r.stats.debates),
    String(r.stats.judged),
    pct(r.stats.accuracy),
    num(r.stats.ece, 3),
    num(r.stats.brier, 3),
    num(r.stats.meanReward, 3),
    num(r.stats.meanInformationGain, 3),
    num(r.stats.agreement, 2),
    num(r.stats.meanSpeechRounds, 1),
    num(r.stats.medianSecondsToVerdict, 0),
  ]);
  return table(header, lines);
}

export async function analyticsCommand(args: string[], config: TribunalConfig): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      of: { type: 'string', default: 'protocols' },
      dataset: { type: 'string' },
      by: { type: 'string', default: 'protocol' },
      paper: { type: 'boolean', default: false },
    },
  });
  if (values.by !== 'protocol' && values.by !== 'setting') throw new UsageError(`--by must be protocol or setting, got "${values.by}"`);
  if (!['protocols', 'judges', 'debaters'].includes(values.of))
    throw new UsageError(`--of must be protocols, judges or debaters, got "${values.of}"`);
  const text = await withModules(config, [AnalyticsModule], async (context) => {
    let datasetId: string | undefined;
    if (values.dataset) {
      const dataset = await context.get(DatasetRepository).byName(values.dataset);
      if (!dataset) throw new NotFound(`no dataset named "${values.dataset}"`);
      datasetId = dataset.id;
    }
    const analytics = context.get(AnalyticsService);
    const options = { datasetId, by: values.by as 'protocol' | 'setting', includedInPaper: values.paper };
    if (values.of === 'judges') return judgesTable(await analytics.judges(options));
    if (values.of === 'debaters') return debatersTable(await analytics.debaters(options));
    const rows = await analytics.compareProtocols(options);
    return rows.length ? analyticsTable(rows) : 'no finished debates';
  });
  console.log(text);
}
