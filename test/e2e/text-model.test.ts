import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESETS } from '#tribunal/debate';
import { DEFAULT_POLICY, isHeldOut } from '#tribunal/model';
import { eventually, http, startTestApp, userKey, type TestApp } from '../support/app.js';
import { protocol } from '../support/factories.js';

const RED = ['apple', 'cherry', 'tomato', 'strawberry', 'ruby', 'brick', 'cardinal', 'lobster'];
const BLUE = ['sky', 'ocean', 'sapphire', 'blueberry', 'denim', 'cornflower', 'lagoon', 'glacier'];

/** Text items whose answer follows a word in the question; the labeller always says "red" for the last three blue things. */
function items() {
  return [...RED, ...BLUE].flatMap((thing) =>
    [0, 1, 2].map((k) => {
      const truth = RED.includes(thing) ? 0 : 1;
      const fooled = BLUE.indexOf(thing) >= 5;
      return {
        externalId: `${thing}-${k}`,
        question: `Variant ${k}: what colour is the ${thing}?`,
        answers: ['red', 'blue'],
        context: { kind: 'passage', text: `A note about the ${thing}.` },
        evidence: [{ id: 'p1', kind: 'passage', text: `The ${thing} is ${truth === 0 ? 'red' : 'blue'}.` }],
        simpleLabel: fooled ? 0 : truth,
        groundTruth: truth,
      };
    }),
  );
}

describe('a text dataset: uploaded items, hashed n-gram features, then a pipeline’s own embeddings', () => {
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

  const count = async (table: string) => (await db.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;

  it('refuses a bad upload, naming every item and field, and writes nothing', async () => {
    const bad = items().slice(0, 3) as Record<string, unknown>[];
    bad[1] = { ...bad[1], simpleLabel: 5 };
    bad[2] = { ...bad[2], features: [1, 2], colour: 'x' };
    const refused = await http(app, 'POST', '/datasets', researcher, { name: 'broken', items: bad });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain('items[1].simpleLabel must be an index into answers (0 to 1) or null, got 5');
    expect(refused.body.message).toContain('items[2].colour is not an item field');
    expect(refused.body.message).toContain('1 of 3 items have features: give every item features, or none');
    expect(await count('datasets')).toBe(0);
    expect(await count('items')).toBe(0);
  });

  it('labels text items through judged debates, trains on hashed n-grams, then on uploaded embeddings', async () => {
    const uploaded = await http(app, 'POST', '/datasets', researcher, { name: 'colours', items: items() });
    expect(uploaded.status, uploaded.text).toBe(201);
    const datasetId = uploaded.body.id;
    expect(uploaded.body.items).toBe(48);

    // Complex labels from a judge answering directly, over HTTP, on every item of the training split
    // (held-out items are never disputed).
    const disputes = await http(app, 'POST', `/datasets/${datasetId}/disputes`, researcher, { auditFraction: 1 });
    const training = items().filter((item) => !isHeldOut(item.externalId, DEFAULT_POLICY.heldOutFraction)).length;
    expect(training).toBeGreaterThan(30);
    expect(disputes.body).toHaveLength(training);
    const judge = await userKey(app, 'judge');
    const protocolId = await protocol(app, researcher, 'direct-human', { ...PRESETS.direct!, judges: { count: 1, kind: 'human' } });
    const { rows: truths } = await db.query(`SELECT id, ground_truth FROM items WHERE dataset_id = $1`, [datasetId]);
    const truthOf = new Map(truths.map((r) => [r.id, r.ground_truth as number]));
    for (const dispute of disputes.body as { id: string; itemId: string }[]) {
      const started = await http(app, 'POST', '/debates', researcher, { disputeId: dispute.id, protocolId, judgeIds: [judge.id] });
      expect(started.status, started.text).toBe(201);
      const view = await eventually('the judge to be asked', async () => {
        const v = (await http(app, 'GET', `/debates/${started.body.id}`, judge.key)).body;
        return v.awaiting ? v : undefined;
      });
      const probabilities = truthOf.get(dispute.itemId) === 0 ? [0.995, 0.005] : [0.005, 0.995];
      const verdict = await http(app, 'POST', `/debates/${started.body.id}/verdicts`, judge.key, {
        stage: view.awaiting.stage,
        probabilities,
      });
      expect(verdict.status, verdict.text).toBe(200);
    }
    await eventually(`${training} labels`, async () => (await count('labels')) === training);

    const train = async (): Promise<{ config: { features: { kind: string; size: number } }; evaluation: Record<string, any> }> => {
      const job = await http(app, 'POST', '/training-jobs', researcher, { datasetId, settings: { steps: 300 } });
      expect(job.status, job.text).toBe(201);
      const done = await eventually('training', async () => {
        const view = (await http(app, 'GET', `/training-jobs/${job.body.id}`, researcher)).body;
        return view.status === 'completed' || view.status === 'failed' ? view : undefined;
      });
      expect(done.error).toBeNull();
      return (await http(app, 'GET', `/models/${done.modelVersionId}`, researcher)).body;
    };

    const hashed = await train();
    expect(hashed.config.features).toEqual({ kind: 'hashed-ngrams', size: 2048, n: 2 });
    expect(hashed.evaluation.reference).toBe('ground-truth');
    expect(hashed.evaluation.heldOut.items).toBeGreaterThan(0);

    // A pipeline supplies its own embeddings; a wrong length is refused and changes nothing.
    const pipeline = (await userKey(app, 'pipeline')).key;
    const embed = (id: string) => [RED.some((w) => id.startsWith(w)) ? 1 : -1, id.length / 10, 0.5];
    const { rows: all } = await db.query(`SELECT external_id FROM items WHERE dataset_id = $1`, [datasetId]);
    const partial = await http(app, 'PUT', `/datasets/${datasetId}/features`, pipeline, {
      items: [{ externalId: all[0].external_id, features: [1, 2] }],
    });
    expect(partial.status).toBe(200);
    const mismatched = await http(app, 'PUT', `/datasets/${datasetId}/features`, pipeline, {
      items: [{ externalId: all[1].external_id, features: [1, 2, 3] }],
    });
    expect(mismatched.status).toBe(400);
    expect(mismatched.body.message).toContain('would have lengths 2, 3');
    const unknown = await http(app, 'PUT', `/datasets/${datasetId}/features`, pipeline, {
      items: [{ externalId: 'nope', features: [1, 2, 3] }],
    });
    expect(unknown.body.message).toContain('no items with externalId nope');
    const { rows: untouched } = await db.query(`SELECT features FROM items WHERE dataset_id = $1 AND external_id = $2`, [
      datasetId,
      all[1].external_id,
    ]);
    expect(untouched[0].features).toBeNull();
    const full = await http(app, 'PUT', `/datasets/${datasetId}/features`, pipeline, {
      items: all.map((r) => ({ externalId: r.external_id, features: embed(r.external_id) })),
    });
    expect(full.status, full.text).toBe(200);
    expect(full.body.updated).toBe(48);

    const embedded = await train();
    expect(embedded.config.features).toEqual({ kind: 'provided', size: 3 });
    // The first embedding is the answer: the intended head learns it, held out included.
    expect(embedded.evaluation.heldOut.intended.accuracy).toBeGreaterThan(0.8);

    // Scoring reads the same features the version was trained on.
    const promoted = await http(
      app,
      'POST',
      `/models/${(await http(app, 'GET', `/models?datasetId=${datasetId}`, researcher)).body[0].id}/promote`,
      researcher,
      {
        rescore: false,
      },
    );
    expect(promoted.status, promoted.text).toBe(200);
    const run = await http(app, 'POST', `/datasets/${datasetId}/score`, researcher, { select: false });
    const scored = await eventually('scoring', async () => {
      const r = (await http(app, 'GET', `/scoring-runs/${run.body.id}`, researcher)).body;
      return r.status === 'completed' ? r : undefined;
    });
    expect(scored.scored).toBe(48);
    expect(scored.disputesCreated).toBe(0);
  }, 240_000);
});
