import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MultiBar, Presets } from 'cli-progress';
import { AuthService } from '#tribunal/core';
import { Api, data } from './api-client.js';
import { DomainError, type ExperimentConfig } from '#tribunal/contracts';
import { experimentConfig } from './experiment/config.js';
import { runExperiment } from './experiment/runner.js';
import { plots, table } from './experiment/report.js';
import { JSON_OPTION, printResult, remark, type Output } from './output.js';
import { readSpec, UsageError } from './protocols-command.js';
import { startProcess } from '../../bootstrap/src/start-process.js';

export const EXPERIMENT_USAGE = `experiment [CONFIG] [--quick] [--out DIR] [--url URL --key KEY] [--json]
                                        run the headline experiment headless (built-in worlds, simulated judges):
                                        a table, SVG plots and results.json in DIR (default experiments/NAME);
                                        --quick runs one seed per world; --json prints results.json instead of the table;
                                        with --url (or TRIBUNAL_URL and TRIBUNAL_KEY), on that Tribunal, which keeps the results`;

/**
 * Runs the whole loop headless, driving Tribunal through its HTTP API as a researcher would: a
 * running Tribunal given by --url and --key (which keeps the results, shown in its web app), or else
 * one started in this process with every role, on DATABASE_URL if set or a throwaway embedded database.
 */
export async function experimentCommand(args: string[], env: Readonly<Record<string, string | undefined>>): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { out: { type: 'string' }, url: { type: 'string' }, key: { type: 'string' }, quick: { type: 'boolean' }, ...JSON_OPTION },
  });
  const config = experimentConfig(positionals[0] ? readSpec(positionals[0]) : {}, { quick: values.quick });
  const out = resolve(values.out ?? join('experiments', config.name));
  const remote = values.url ?? env.TRIBUNAL_URL;
  if (remote) {
    const key = values.key ?? env.TRIBUNAL_KEY;
    if (!key) throw new UsageError('an experiment on a running Tribunal needs a researcher key: --key, or TRIBUNAL_KEY');
    await experiment(new Api(remote, key), config, out, true, values);
    return;
  }
  const scratch = env.DATABASE_URL ? undefined : mkdtempSync(join(tmpdir(), 'tribunal-experiment-'));
  const running = await startProcess(['api', 'worker', 'trainer'], {
    ...env,
    PORT: '0',
    LOG_LEVEL: env.LOG_LEVEL ?? 'error',
    TRIBUNAL_DEMO: 'false',
    ...(scratch ? { TRIBUNAL_DATA_DIR: scratch } : {}),
  });
  try {
    const { key } = await running.app.get(AuthService).createUser(`experiment-${Date.now().toString(36)}`, 'researcher');
    await experiment(new Api(running.url!, key), config, out, !scratch, values);
  } finally {
    await running.app.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

async function experiment(api: Api, config: ExperimentConfig, out: string, keep: boolean, output: Output): Promise<void> {
  const bars = new MultiBar(
    { format: '{phase} [{bar}] {value}/{total}', hideCursor: true, clearOnComplete: false },
    Presets.shades_classic,
  );
  const phases = new Map<string, ReturnType<MultiBar['create']>>();
  try {
    const result = await runExperiment(api, config, (phase, done, total) => {
      let bar = phases.get(phase);
      if (!bar) phases.set(phase, (bar = bars.create(total, done, { phase: phase.padEnd(9) })));
      bar.setTotal(total);
      bar.update(done, { phase: phase.padEnd(9) });
    });
    bars.stop();
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'results.json'), JSON.stringify(result, null, 2));
    for (const [file, svg] of Object.entries(plots(result))) writeFileSync(join(out, file), svg);
    const text = table(result);
    writeFileSync(join(out, 'table.txt'), `${text}\n`);
    if (keep) {
      const body = { name: config.name, config, results: result as unknown as Record<string, unknown>, summary: text };
      await data(api.client.POST('/experiments', { body }));
    }
    // With --json, results.json's document on standard output, and where the files went on standard error.
    printResult(output, result, () => `\n${text}`);
    remark(output, `\nplots and results in ${out}`);
  } catch (error) {
    bars.stop();
    if (error instanceof UsageError || error instanceof DomainError) throw error;
    throw new UsageError(`the experiment failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
