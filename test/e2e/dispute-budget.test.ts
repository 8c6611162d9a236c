import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isHeldOut } from '#tribunal/model';
import { eventually, http, startTestApp, userKey, type TestApp } from '../support/app.js';
import { debateOpenDisputes, protocol } from '../support/factories.js';

describe('disputes on a budget, from the training split only', () => {
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

  /** Runs a training job to its end; returns its final view, which must show no error. */
  const train = async (request: Record<string, unknown>): Promise<{ trainingJobId: string; modelVersionId: string }> => {
    const job = await http(app, 'POST', '/training-jobs', researcher, request);
    expect(job.status, job.text).toBe(201);
    const view = await eventually(
      `training job ${job.body.id} to end`,
      async () => {
        const v = (await http(app, 'GET', `/training-jobs/${job.body.id}`, researcher)).body;
        return ['completed', 'failed'].includes(v.status) ? v : undefined;
      },
      120_000,
    );
    expect(view.error).toBeNull();
    return view;
  };

  /** Every disputed item's external id, in the order they were disputed. */
  const disputed = async (datasetId: string): Promise<string[]> =>
    (
      await db.query(
        `SELECT i.external_id FROM disputes d JOIN items i ON i.id = d.item_id WHERE i.dataset_id = $1 ORDER BY d.created_at, i.external_id`,
        [datasetId],
      )
    ).rows.map((r: { external_id: string }) => r.external_id);

  it('never disputes a held-out item, and the loop never spends more than its budget across rounds', async () => {
    const heldOutFraction = 0.3;
    const world = await http(app, 'POST', '/datasets/world', researcher, { name: 'budgeted', seed: 21, size: 300 });
    expect(world.status, world.text).toBe(201);
    const datasetId = world.body.id as string;
    const policy = await http(app, 'PUT', `/datasets/${datasetId}/model-policy`, researcher, {
      heldOutFraction,
      selection: { maxDisputedFraction: 0.1, auditFraction: 0.05 },
    });
    expect(policy.status, policy.text).toBe(200);
    const items = (await http(app, 'GET', `/datasets/${datasetId}/items?limit=1000`, researcher)).body as { externalId: string }[];
    const training = items.filter((i) => !isHeldOut(i.externalId, heldOutFraction)).length;
    const budget = Math.floor(0.1 * training);

    // Round 1, by hand: an audit of half the budget; every item is eligible for the rule, none held out.
    const first = await http(app, 'POST', `/datasets/${datasetId}/disputes`, researcher, {
      auditFraction: 0.05,
      minBlindCells: 0,
      seed: 3,
    });
    expect(first.status, first.text).toBe(201);
    // minBlindCells 0 flags every training room, so only the budget stops the selection.
    expect(first.body).toHaveLength(budget);
    expect((await disputed(datasetId)).filter((id) => isHeldOut(id, heldOutFraction))).toEqual([]);

    // Asking again, the budget is spent: nothing more.
    const again = await http(app, 'POST', `/datasets/${datasetId}/disputes`, researcher, { auditFraction: 1, minBlindCells: 0, seed: 4 });
    expect(again.status, again.text).toBe(201);
    expect(again.body).toEqual([]);

    // Round 2, by the model: debates, a version, promotion and re-scoring with the whole dataset flagged
    // as far as the model is concerned; the budget still holds, and no held-out item is chosen.
    const protocolId = await protocol(app, researcher, 'budgeted-labels', { judges: { count: 1, kind: 'simulated' } });
    await debateOpenDisputes(app, researcher, { datasetId, protocolId, name: 'budgeted-r1' });
    const trained = await train({ datasetId, settings: { steps: 40 } });

    // The same labels, few of them: a job may train on a seeded sample of the complex labels only.
    const few = await train({ datasetId, settings: { steps: 20 }, complexLabels: 3, methods: ['complex-only'] });
    const { rows: snapshots } = await db.query(
      `SELECT jsonb_array_length(snapshot->'large') AS large, (snapshot->>'labelledItems')::int AS labelled FROM training_jobs WHERE id = $1`,
      [few.trainingJobId],
    );
    const { rows: labels } = await db.query(`SELECT count(DISTINCT item_id)::int AS n FROM labels WHERE dataset_id = $1`, [datasetId]);
    expect(labels[0].n).toBeGreaterThan(3);
    expect(snapshots[0]).toEqual({ large: 3, labelled: labels[0].n });
    const sampledVersion = (await http(app, 'GET', `/models/${few.modelVersionId}`, researcher)).body;
    expect(sampledVersion.evaluation.methods['complex-only'].labels).toBe(3);
    const refused = await http(app, 'POST', '/training-jobs', researcher, { datasetId, complexLabels: 0 });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain('complexLabels must be a whole number of at least 1, or null for every label, got 0');

    // Raise the policy's budget to 20%: a scoring run asking for more than the policy allows is held to it.
    await http(app, 'PUT', `/datasets/${datasetId}/model-policy`, researcher, { selection: { maxDisputedFraction: 0.2 } });
    const promoted = await http(app, 'POST', `/models/${trained.modelVersionId}/promote`, researcher, {
      rescore: true,
      selection: { margin: 0, divergence: 0, auditFraction: 1, maxDisputedFraction: 0.5 },
    });
    expect(promoted.status, promoted.text).toBe(200);
    await eventually(
      'the re-scoring to complete',
      async () => (await http(app, 'GET', `/scoring-runs/${promoted.body.scoringRun.id}`, researcher)).body.status === 'completed',
      60_000,
    );
    const all = await disputed(datasetId);
    expect(all).toHaveLength(Math.floor(0.2 * training));
    expect(new Set(all).size).toBe(all.length);
    expect(all.filter((id) => isHeldOut(id, heldOutFraction))).toEqual([]);

    // A scoring run may tighten the budget, never loosen it: at 20% already, asking for 50% adds nothing.
    const rescored = await http(app, 'POST', `/datasets/${datasetId}/score`, researcher, {
      selection: { margin: 0, divergence: 0, auditFraction: 1, maxDisputedFraction: 0.5 },
    });
    expect(rescored.status, rescored.text).toBe(201);
    await eventually(
      'the second scoring to complete',
      async () => (await http(app, 'GET', `/scoring-runs/${rescored.body.id}`, researcher)).body.status === 'completed',
      60_000,
    );
    expect(await disputed(datasetId)).toHaveLength(Math.floor(0.2 * training));
  }, 240_000);

  it('refuses a budget out of range, naming it', async () => {
    const world = await http(app, 'POST', '/datasets/world', researcher, { name: 'budget-refused', seed: 22, size: 10 });
    const refused = await http(app, 'PUT', `/datasets/${world.body.id}/model-policy`, researcher, {
      selection: { maxDisputedFraction: 1.5 },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain('selection.maxDisputedFraction must be a number above 0 and at most 1, or null, got 1.5');
  });
});
