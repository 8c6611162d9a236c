import { parseArgs } from 'node:util';
import { Presets, SingleBar } from 'cli-progress';
import type { TribunalConfig } from '#tribunal/config';
import { NotFound, type DebaterStandingView, type JudgeStandingView, type ProtocolComparisonView } from '#tribunal/contracts';
import { AnalyticsModule, AnalyticsService, ArchiveModule, ArchiveService } from '#tribunal/core';
import { DatasetRepository } from '#tribunal/persistence';
import { withModules } from '../../bootstrap/src/command-context.js';
import * as views from '../../api/src/http/mappers.js';
import { JSON_OPTION, printResult, table } from './output.js';
import { UsageError } from './protocols-command.js';

export const ARCHIVE_USAGE = `import nyu PATH [--name NAME] [--json]
                                        import an archive in the NYU debate format (directory or .tgz)
  analytics [--of protocols|judges|debaters] [--dataset NAME] [--by protocol|setting] [--paper] [--json]
                                        judge accuracy, calibration, reward and continues per protocol or
                                        setting; per judge; or debater win rates and Bradley–Terry strengths`;

export async function importCommand(args: string[], config: TribunalConfig): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: { name: { type: 'string', default: 'nyu-debate-2023' }, ...JSON_OPTION },
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
  printResult(values, views.toImportReportView(report), (r) => {
    const reasons = new Map<string, number>();
    for (const s of r.skipped) reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + 1);
    const lines = [`imported ${r.imported} rooms into dataset ${values.name} (${r.datasetId}); skipped ${r.skipped.length}:`];
    for (const [reason, count] of reasons) lines.push(`  ${String(count).padStart(4)}  ${reason}`);
    const seats = r.correctSeat;
    if (seats.rooms) {
      lines.push(
        `the correct answer is in seat A in ${seats.A} of ${seats.rooms} rooms (${((100 * seats.A) / seats.rooms).toFixed(0)}%), in seat B in ${seats.B} (${((100 * seats.B) / seats.rooms).toFixed(0)}%)`,
      );
    }
    return lines.join('\n');
  });
}

const pct = (v: number | null) => (v === null ? '—' : `${(100 * v).toFixed(1)}%`);
const num = (v: number | null, digits = 2) => (v === null ? '—' : v.toFixed(digits));

export function judgesTable(rows: JudgeStandingView[]): string {
  return table(
    ['judge', 'debates', 'judged', 'accuracy', 'reward'],
    rows.map((r) => [r.judge, String(r.debates), String(r.judged), pct(r.accuracy), num(r.meanReward, 3)]),
  );
}

export function debatersTable(rows: DebaterStandingView[]): string {
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
export function analyticsTable(rows: ProtocolComparisonView[]): string {
  const header = [
    'group',
    'debates',
    'judged',
    'accuracy',
    'ECE',
    'Brier',
    'reward',
    'info gain',
    'alpha',
    'speeches',
    'continues',
    'median s',
  ];
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
    num(r.stats.meanContinues, 2),
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
      ...JSON_OPTION,
    },
  });
  if (values.by !== 'protocol' && values.by !== 'setting') throw new UsageError(`--by must be protocol or setting, got "${values.by}"`);
  if (!['protocols', 'judges', 'debaters'].includes(values.of))
    throw new UsageError(`--of must be protocols, judges or debaters, got "${values.of}"`);
  await withModules(config, [AnalyticsModule], async (context) => {
    let datasetId: string | undefined;
    if (values.dataset) {
      const dataset = await context.get(DatasetRepository).byName(values.dataset);
      if (!dataset) throw new NotFound(`no dataset named "${values.dataset}"`);
      datasetId = dataset.id;
    }
    const analytics = context.get(AnalyticsService);
    const options = { datasetId, by: values.by as 'protocol' | 'setting', includedInPaper: values.paper };
    // With --json, the same rows GET /analytics/<of> answers.
    if (values.of === 'judges') return printResult(values, (await analytics.judges(options)).map(views.toJudgeStandingView), judgesTable);
    if (values.of === 'debaters')
      return printResult(values, (await analytics.debaters(options)).map(views.toDebaterStandingView), debatersTable);
    const rows = (await analytics.compareProtocols(options)).map(views.toProtocolComparisonView);
    printResult(values, rows, (r) => (r.length ? analyticsTable(r) : 'no finished debates'));
  });
}
