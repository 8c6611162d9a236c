import { parseArgs } from 'node:util';
import { Presets, SingleBar } from 'cli-progress';
import type { ModelVersionView, ScoringRunView, TrainingStatusView } from '#tribunal/contracts';
import { Api, data, trainingEnded } from './api-client.js';
import { JSON_OPTION, printResult, remark } from './output.js';
import { readSpec, UsageError } from './protocols-command.js';

export const MODEL_USAGE = `model train DATASET [--config FILE] [--steps N] [--no-wait]
                                        train a two-head version and the naive baseline, with a progress bar
  model list [--dataset DATASET]        model versions and how each did where simple labels are wrong
  model show VERSION                    one version's evaluation, head by head
  model promote VERSION [--no-rescore]  make a version active, then re-score its dataset to choose disputes
  model score DATASET [--version V] [--budget N] [--no-select]
                                        score a dataset and choose disputes from the predictions
  model policy DATASET [--set JSON]     show or change the dataset's retraining and selection policy
    (model commands talk to a running Tribunal: --url URL --key KEY, or TRIBUNAL_URL and TRIBUNAL_KEY;
     --json prints what the API answers: the version trained, shown or promoted, the versions, the scoring run)`;

const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '  n/a' : v.toFixed(3));

interface Metrics {
  accuracy: number | null;
  ece?: number | null;
  brier?: number | null;
}
type Split = { items: number; simpleLabels: Metrics } & Record<'intended' | 'instrumental' | 'baseline', Metrics | undefined>;

/** What the trainer writes in a version's `evaluation` (free-form in the API's contract: the trainer adds methods over time). */
export interface Evaluation {
  reference: string;
  heldOut: Split;
  simpleWrong: Split;
  comparedTo?: { metric: number | null };
}

/** How one version did: each head, the baseline and the simple labels, overall and where the simple label is wrong. */
export function evaluationTable(evaluation: Evaluation): string {
  const rows: [string, 'intended' | 'instrumental' | 'baseline'][] = [
    ['intended head', 'intended'],
    ['instrumental head', 'instrumental'],
    ['naive baseline', 'baseline'],
  ];
  const lines = [
    `reference: ${evaluation.reference}; held-out items: ${evaluation.heldOut.items}, of which the simple label is wrong on ${evaluation.simpleWrong.items}`,
    `${''.padEnd(20)} ${'held-out acc'.padStart(12)} ${'ECE'.padStart(7)} ${'Brier'.padStart(7)}   ${'simple-wrong acc'.padStart(16)} ${'ECE'.padStart(7)}`,
  ];
  for (const [label, key] of rows) {
    const all = evaluation.heldOut[key];
    const wrong = evaluation.simpleWrong[key] ?? { accuracy: null };
    if (!all) {
      lines.push(`${label.padEnd(20)} (no simple labels to fit it to)`);
      continue;
    }
    lines.push(
      `${label.padEnd(20)} ${fmt(all.accuracy).padStart(12)} ${fmt(all.ece).padStart(7)} ${fmt(all.brier).padStart(7)}   ${fmt(wrong.accuracy).padStart(16)} ${fmt(wrong.ece).padStart(7)}`,
    );
  }
  lines.push(`${'simple labels'.padEnd(20)} ${fmt(evaluation.heldOut.simpleLabels.accuracy).padStart(12)}`);
  if (evaluation.comparedTo) lines.push(`active version then: held-out intended accuracy ${fmt(evaluation.comparedTo.metric)}`);
  return lines.join('\n');
}

/** Versions side by side: held-out accuracy of the intended head and the baseline, overall and where the simple label is wrong. */
function versionsTable(versions: ModelVersionView[]): string {
  const lines = [
    `${'name'.padEnd(30)} ${'status'.padEnd(10)} ${'intended'.padStart(8)} ${'baseline'.padStart(8)}   simple-wrong: ${'intended'.padStart(8)} ${'baseline'.padStart(8)}`,
  ];
  for (const v of versions) {
    const e = v.evaluation as Partial<Evaluation>;
    lines.push(
      `${v.name.padEnd(30)} ${v.status.padEnd(10)} ${fmt(e.heldOut?.intended?.accuracy).padStart(8)} ${fmt(e.heldOut?.baseline?.accuracy).padStart(8)}   ${''.padEnd(14)}${fmt(e.simpleWrong?.intended?.accuracy).padStart(8)} ${fmt(e.simpleWrong?.baseline?.accuracy).padStart(8)}`,
    );
  }
  return lines.join('\n');
}

async function follow(api: Api, jobId: string): Promise<TrainingStatusView> {
  const bar = new SingleBar(
    {
      format: 'training [{bar}] {value}/{total} steps | loss {loss} | held-out acc: intended {intended}, baseline {baseline} | {device}',
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  let started = false;
  const read = () => data(api.client.GET('/training-jobs/{id}', { params: { path: { id: jobId } } }));
  const view = (await api.poll(read, trainingEnded, (view: TrainingStatusView) => {
    const last = view.progress.at(-1);
    if (!started && (last || view.status !== 'queued')) {
      bar.start(last?.steps ?? 1, 0, { loss: '…', intended: '…', baseline: '…', device: view.device ?? '' });
      started = true;
    }
    if (started && last) {
      bar.setTotal(last.steps);
      bar.update(last.step, {
        loss: last.loss.total.toFixed(4),
        intended: fmt(last.heldOut.intended),
        baseline: fmt(last.heldOut.baseline),
        device: view.device ?? '',
      });
    }
  })) as TrainingStatusView;
  if (started) bar.stop();
  return view;
}

async function waitForScoring(api: Api, runId: string): Promise<ScoringRunView> {
  const bar = new SingleBar({ format: 'scoring [{bar}] {value}/{total} items', hideCursor: true }, Presets.shades_classic);
  let started = false;
  const run = await api.poll(
    () => data(api.client.GET('/scoring-runs/{id}', { params: { path: { id: runId } } })),
    (run) => run.status === 'completed' || run.status === 'failed',
    (run) => {
      if (!started) bar.start(run.total, run.scored);
      started = true;
      bar.update(run.scored);
    },
    300,
  );
  bar.stop();
  if (run.status === 'failed') throw new UsageError(`scoring failed: ${run.error}`);
  return run;
}

export async function modelCommand(args: string[], env: { url?: string; key?: string }): Promise<void> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      key: { type: 'string' },
      config: { type: 'string' },
      steps: { type: 'string' },
      'no-wait': { type: 'boolean' },
      dataset: { type: 'string' },
      'no-rescore': { type: 'boolean' },
      version: { type: 'string' },
      budget: { type: 'string' },
      'no-select': { type: 'boolean' },
      set: { type: 'string' },
      ...JSON_OPTION,
    },
  });
  const key = values.key ?? env.key;
  if (!key) throw new UsageError('model commands need an API key: --key, or TRIBUNAL_KEY in the environment');
  const api = new Api(values.url ?? env.url ?? 'http://127.0.0.1:3000', key);
  const [target] = positionals;
  switch (sub) {
    case 'train': {
      if (!target) throw new UsageError('usage: tribunal model train DATASET [--config FILE] [--steps N]');
      const request = (values.config ? readSpec(values.config) : {}) as { settings?: Record<string, unknown> };
      if (values.steps !== undefined) request.settings = { ...request.settings, steps: Number(values.steps) };
      const job = await data(api.client.POST('/training-jobs', { body: { ...request, datasetId: await api.dataset(target) } }));
      if (values['no-wait']) return printResult(values, job, (j) => `training job ${j.id} queued`);
      remark(values, `training job ${job.id} queued`);
      const done = await follow(api, job.id);
      if (done.status !== 'completed') throw new UsageError(`training ${done.status}: ${done.error ?? ''}`);
      const version = await data(api.client.GET('/models/{id}', { params: { path: { id: done.modelVersionId! } } }));
      printResult(
        values,
        version,
        (v) => `model version ${v.name} (${v.id}), sha256 ${v.sha256}\n${evaluationTable(v.evaluation as unknown as Evaluation)}`,
      );
      return;
    }
    case 'list': {
      const datasetId = values.dataset ? await api.dataset(values.dataset) : undefined;
      const versions = await data(api.client.GET('/models', { params: { query: { datasetId } } }));
      printResult(values, versions, versionsTable);
      return;
    }
    case 'show': {
      if (!target) throw new UsageError('usage: tribunal model show VERSION');
      const version = await api.version(target);
      printResult(
        values,
        version,
        (v) => `${v.name} (${v.id}) ${v.status}, sha256 ${v.sha256}\n${evaluationTable(v.evaluation as unknown as Evaluation)}`,
      );
      return;
    }
    case 'promote': {
      if (!target) throw new UsageError('usage: tribunal model promote VERSION [--no-rescore]');
      const version = await api.version(target);
      const promoted = await data(
        api.client.POST('/models/{id}/promote', {
          params: { path: { id: version.id } },
          body: values['no-rescore'] ? { rescore: false } : {},
        }),
      );
      if (!promoted.scoringRun) return printResult(values, promoted, (p) => `${p.version.name} is now active`);
      remark(values, `${version.name} is now active`);
      const run = await waitForScoring(api, promoted.scoringRun.id);
      // With --json, the promotion with its scoring run as it ended.
      printResult(
        values,
        { ...promoted, scoringRun: run },
        (p) => `re-scored ${p.scoringRun.scored} items; ${p.scoringRun.disputesCreated} new disputes`,
      );
      return;
    }
    case 'score': {
      if (!target) throw new UsageError('usage: tribunal model score DATASET [--version V] [--budget N] [--no-select]');
      const body = {
        select: !values['no-select'],
        ...(values.version ? { modelVersionId: (await api.version(values.version)).id } : {}),
        ...(values.budget !== undefined ? { selection: { budget: Number(values.budget) } } : {}),
      };
      const run = await data(api.client.POST('/datasets/{id}/score', { params: { path: { id: await api.dataset(target) } }, body }));
      const done = await waitForScoring(api, run.id);
      printResult(
        values,
        done,
        (d) => `scored ${d.scored} items${d.disputesCreated === null ? '' : `; ${d.disputesCreated} new disputes`}`,
      );
      return;
    }
    case 'policy': {
      if (!target) throw new UsageError('usage: tribunal model policy DATASET [--set JSON]');
      const id = await api.dataset(target);
      let change: Record<string, unknown> | undefined;
      if (values.set !== undefined) {
        try {
          change = JSON.parse(values.set) as Record<string, unknown>;
        } catch {
          throw new UsageError('--set must be JSON, e.g. {"retrainEveryLabels": 50, "autoPromote": true}');
        }
      }
      console.log(
        JSON.stringify(
          change === undefined
            ? await data(api.client.GET('/datasets/{id}/model-policy', { params: { path: { id } } }))
            : await data(api.client.PUT('/datasets/{id}/model-policy', { params: { path: { id } }, body: change })),
          null,
          2,
        ),
      );
      return;
    }
    default:
      throw new UsageError(`usage: tribunal ${MODEL_USAGE}`);
  }
}
