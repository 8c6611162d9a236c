import { createHash } from 'node:crypto';
import * as ort from 'onnxruntime-node';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainingPoint, TrainingStatusView } from '#tribunal/contracts';
import { connectSocket, eventually, http, startTestApp, userKey, type TestApp } from '../support/app.js';
import { debateOpenDisputes, labelledWorld } from '../support/factories.js';

describe('the learning loop: score → debates → labels → train → promote → re-score', () => {
  let app: TestApp;
  let researcher: string;
  let db: pg.Client;

  beforeAll(async () => {
    app = await startTestApp({ TRIBUNAL_TRAINER_DEVICE: 'cpu' });
    researcher = (await userKey(app, 'researcher')).key;
    db = new pg.Client({ connectionString: app.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await app?.close();
  });

  it('trains a two-head version beside the naive baseline, promotes it, and lets it choose the next disputes', async () => {
    // Load data; before any model, a random audit sample stands in for the model's choice.
    const { datasetId, protocolId } = await labelledWorld(app, researcher, { name: 'learning', seed: 11, size: 240 }, 0.35);
    const { rows: labelled } = await db.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE agrees_with_simple)::int AS small FROM labels WHERE dataset_id = $1`,
      [datasetId],
    );
    expect(labelled[0].n).toBeGreaterThan(20);

    // Train, following the run live.
    const observer = connectSocket(app, researcher);
    const points: TrainingPoint[] = [];
    const statuses: string[] = [];
    observer.on('training.progress', (p) => {
      if (p.point) points.push(p.point);
      statuses.push(p.status);
    });
    const job = await http(app, 'POST', '/training-jobs', researcher, {
      datasetId,
      architecture: { hidden: [32], activation: 'relu' },
      settings: { steps: 150, evalEvery: 25, checkpointEvery: 50, learningRate: 0.01 },
    });
    expect(job.status, job.text).toBe(201);
    const joined = await observer.timeout(5000).emitWithAck('training.join', { trainingJobId: job.body.id });
    expect(joined.ok).toBe(true);
    const done = await eventually(
      'the training job to finish',
      async () => {
        const view = (await http<TrainingStatusView>(app, 'GET', `/training-jobs/${job.body.id}`, researcher)).body;
        return view.status === 'completed' || view.status === 'failed' ? view : undefined;
      },
      120_000,
    );
    expect(done.error).toBeNull();
    expect(done.status).toBe('completed');
    expect(done.device).toBe('cpu');
    expect(done.progress.map((p) => p.step)).toEqual([25, 50, 75, 100, 125, 150]);
    await eventually('the live points', async () => points.length >= 6 && statuses.includes('completed'));
    expect(points.map((p) => p.step)).toEqual(expect.arrayContaining([25, 150]));
    observer.close();

    // The version: ONNX with its hash, config, snapshot, and the evaluation where simple labels are wrong.
    const version = (await http(app, 'GET', `/models/${done.modelVersionId}`, researcher)).body;
    expect(version.status).toBe('candidate');
    expect(version.config.features).toEqual({ kind: 'provided', size: expect.any(Number) });
    expect(version.config.snapshotSha256).toMatch(/^[0-9a-f]{64}$/);
    const { heldOut, simpleWrong, reference } = version.evaluation;
    expect(reference).toBe('ground-truth');
    expect(heldOut.items).toBeGreaterThan(20);
    expect(simpleWrong.items).toBeGreaterThan(0);
    for (const head of ['intended', 'instrumental', 'baseline']) {
      expect(heldOut[head].accuracy).toBeGreaterThanOrEqual(0);
      expect(heldOut[head].ece).toBeGreaterThanOrEqual(0);
      expect(simpleWrong[head].count).toBe(simpleWrong.items);
    }
    const { rows: snapshot } = await db.query(`SELECT snapshot FROM training_jobs WHERE id = $1`, [job.body.id]);
    expect(snapshot[0].snapshot.large.length).toBe(snapshot[0].snapshot.large.length);
    expect(snapshot[0].snapshot.heldOut.length).toBe(heldOut.items);
    const heldOutIds = new Set(snapshot[0].snapshot.heldOut.map(([id]: [string]) => id));
    expect(snapshot[0].snapshot.large.some(([id]: [string]) => heldOutIds.has(id))).toBe(false);

    // The ONNX file others can run: its hash is the version's, and it scores with a bare onnxruntime session.
    const download = await fetch(`${app.url}/models/${version.id}/onnx`, { headers: { Authorization: `Bearer ${researcher}` } });
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(version.sha256);
    const session = await ort.InferenceSession.create(bytes);
    const { rows: items } = await db.query(`SELECT features FROM items WHERE dataset_id = $1 LIMIT 2`, [datasetId]);
    const size = version.config.inputSize;
    const out = await session.run({ features: new ort.Tensor('float32', Float32Array.from(items.flatMap((i) => i.features)), [2, size]) });
    expect(out.intended!.dims).toEqual([2, version.config.answers]);

    // Promote: the version becomes active and re-scores the dataset, choosing disputes with reasons.
    const promoted = await http(app, 'POST', `/models/${version.id}/promote`, researcher, {});
    expect(promoted.status, promoted.text).toBe(200);
    expect(promoted.body.version.status).toBe('active');
    const runId = promoted.body.scoringRun.id;
    const run = await eventually('the re-scoring to finish', async () => {
      const r = (await http(app, 'GET', `/scoring-runs/${runId}`, researcher)).body;
      return r.status === 'completed' ? r : undefined;
    });
    expect(run.scored).toBe(240);
    const { rows: predictions } = await db.query(`SELECT count(*)::int AS n FROM predictions WHERE model_version_id = $1`, [version.id]);
    expect(predictions[0].n).toBe(240);
    const { rows: chosen } = await db.query(`SELECT reasons, item_id FROM disputes WHERE model_version_id = $1`, [version.id]);
    expect(chosen.length).toBe(run.disputesCreated);
    expect(chosen.length).toBeGreaterThan(0);
    const kinds = new Set(chosen.flatMap((d) => d.reasons.map((r: { kind: string }) => r.kind)));
    expect([...kinds].every((k) => ['intended-vs-simple', 'heads-disagree', 'audit'].includes(k))).toBe(true);
    // Items disputed before are not disputed again.
    const { rows: twice } = await db.query(
      `SELECT item_id FROM disputes d JOIN items i ON i.id = d.item_id WHERE i.dataset_id = $1 GROUP BY item_id HAVING count(*) > 1`,
      [datasetId],
    );
    expect(twice).toEqual([]);

    // The retraining loop: with a policy of retraining every 5 labels and promoting when better, debating
    // the model's disputes queues a training run by itself.
    const policy = await http(app, 'PUT', `/datasets/${datasetId}/model-policy`, researcher, {
      retrainEveryLabels: 5,
      autoPromote: true,
      training: { settings: { steps: 50, evalEvery: 25 } },
    });
    expect(policy.status, policy.text).toBe(200);
    await debateOpenDisputes(app, researcher, { datasetId, protocolId, name: 'model-chosen' });
    // Debates over the model's disputes put the simple label against the intended head's answer.
    const { rows: seated } = await db.query(
      `SELECT d.seats, i.simple_label, p.intended FROM debates d JOIN disputes s ON s.id = d.dispute_id JOIN items i ON i.id = s.item_id
       JOIN predictions p ON p.item_id = i.id AND p.model_version_id = s.model_version_id
       WHERE s.model_version_id = $1 AND s.reasons @> '[{"kind": "intended-vs-simple"}]'`,
      [version.id],
    );
    expect(seated.length).toBeGreaterThan(0);
    for (const row of seated) {
      const top = row.intended.indexOf(Math.max(...row.intended));
      expect(row.seats.map((s: { answer: number }) => s.answer).sort()).toEqual([row.simple_label, top].sort());
    }
    const retrained = await eventually(
      'a training run triggered by new labels to finish',
      async () => {
        const jobs = (await http<TrainingStatusView[]>(app, 'GET', `/training-jobs?datasetId=${datasetId}`, researcher)).body;
        // Runs take turns (one queued or running per dataset), so the first one compared itself with the promoted version.
        const { rows } = await db.query(
          `SELECT id, status FROM training_jobs WHERE dataset_id = $1 AND trigger = 'labels' ORDER BY created_at LIMIT 1`,
          [datasetId],
        );
        return rows[0]?.status === 'completed' ? jobs.find((j) => j.trainingJobId === rows[0].id) : undefined;
      },
      120_000,
    );
    expect(retrained.progress.at(-1)!.step).toBe(50);
    const second = (await http(app, 'GET', `/models/${retrained.modelVersionId}`, researcher)).body;
    // It was compared with the active version on the same held-out items, and promoted only if better.
    expect(second.evaluation.comparedTo.modelVersionId).toBe(version.id);
    const better = second.evaluation.metric.value > second.evaluation.comparedTo.metric;
    await eventually('promotion to settle', async () => {
      const now = (await http(app, 'GET', `/models/${retrained.modelVersionId}`, researcher)).body;
      return (now.promotedAt !== null) === better;
    });
  }, 600_000);

  it('refuses bad training requests, naming the field, and writes nothing', async () => {
    const datasets = (await http(app, 'GET', '/datasets', researcher)).body;
    const datasetId = datasets[0].id;
    const before = (await db.query(`SELECT count(*)::int AS n FROM training_jobs`)).rows[0].n;
    const bad = await http(app, 'POST', '/training-jobs', researcher, {
      datasetId,
      settings: { steps: -1, lambda: 'x' },
      architecture: { hidden: [0] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('architecture.hidden must be a list');
    expect(bad.body.message).toContain('settings.steps must be an integer from 1');
    expect(bad.body.message).toContain('settings.lambda must be a number');
    const missing = await http(app, 'POST', '/training-jobs', researcher, { datasetId: '00000000-0000-4000-8000-000000000000' });
    expect(missing.status).toBe(404);
    const policy = await http(app, 'PUT', `/datasets/${datasetId}/model-policy`, researcher, { heldOutFraction: 2, bogus: true });
    expect(policy.status).toBe(400);
    expect(policy.body.message).toContain('bogus is not a policy field');
    expect(policy.body.message).toContain('heldOutFraction must be a number from 0 (none held out) to below 1');
    const judge = (await userKey(app, 'judge')).key;
    expect((await http(app, 'POST', '/training-jobs', judge, { datasetId })).status).toBe(403);
    expect((await db.query(`SELECT count(*)::int AS n FROM training_jobs`)).rows[0].n).toBe(before);
  });
});
