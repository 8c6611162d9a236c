import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL_SCHEMA_VERSION, type LabelRecord } from '#tribunal/contracts';
import { labelRecord } from '#tribunal/core';
import { LABEL_RECORD_SQL, UnitOfWork, LabelRepository, type NewLabel } from '#tribunal/persistence';
import { http, startTestApp, userKey, type TestApp } from '../support/app.js';
import { tribunal } from '../support/cli.js';
import { worldDisputes } from '../support/factories.js';

const WRITERS = 6;
const EACH = 40;

describe('labels for pipelines', () => {
  let app: TestApp;
  let pipeline: string;
  let datasetId: string;
  let items: { id: string }[];

  const label = (i: number, agrees: boolean, protocolName = 'p'): NewLabel => ({
    itemId: items[i % items.length]!.id,
    datasetId,
    answer: 1,
    distribution: [0.05, 0.9, 0.05, 0, 0],
    method: 'mean',
    agreesWithSimple: agrees,
    provenance: {
      disputeId: items[0]!.id,
      debates: [{ id: items[0]!.id, protocolId: items[0]!.id, protocolName, protocolVersion: 1 }],
      verdicts: [],
    },
    schemaVersion: LABEL_SCHEMA_VERSION,
  });
  const pull = async (query: string) => {
    const result = await http(app, 'GET', `/labels?${query}`, pipeline);
    expect(result.status, result.text).toBe(200);
    return result.text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { seq: string; agreesWithSimple: boolean });
  };

  beforeAll(async () => {
    app = await startTestApp();
    pipeline = (await userKey(app, 'pipeline')).key;
    const researcher = (await userKey(app, 'researcher')).key;
    ({ datasetId } = await worldDisputes(app, researcher, { name: 'labels', seed: 5, size: 10 }));
    items = (await http(app, 'GET', `/datasets/${datasetId}/items`, researcher)).body;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('hands a pipeline polling during concurrent writes every label exactly once, in order', async () => {
    const unitOfWork = app.running.app.get(UnitOfWork);
    const labels = app.running.app.get(LabelRepository);
    let writing = true;
    // Writers hold their transactions open a random while after taking a number, as slow adjudications would.
    const writers = Promise.all(
      Array.from({ length: WRITERS }, async (_, w) => {
        for (let i = 0; i < EACH; i++) {
          await unitOfWork.run(async (tx) => {
            await labels.append(tx, label(w * EACH + i, i % 3 === 0));
            await new Promise((r) => setTimeout(r, Math.random() * 15));
          });
        }
      }),
    ).finally(() => (writing = false));
    const seen: string[] = [];
    let cursor = '0';
    for (;;) {
      const stillWriting = writing;
      const page = await pull(`after=${cursor}&limit=25`);
      seen.push(...page.map((l) => l.seq));
      if (page.length) cursor = page.at(-1)!.seq;
      else if (!stillWriting) break;
    }
    await writers;
    expect(seen).toEqual(Array.from({ length: WRITERS * EACH }, (_, i) => String(i + 1)));
  });

  it('filters by set, dataset, protocol and time, streams everything at once, and counts what a pull returns', async () => {
    const everything = await pull('after=0');
    expect(everything).toHaveLength(WRITERS * EACH);
    // The database writes each line; it is the same record the webhooks send.
    const repository = app.running.app.get(LabelRepository);
    for (const pulled of everything.slice(0, 40)) expect(pulled).toEqual(labelRecord((await repository.bySeq(pulled.seq))!));
    // The SQL projection writes exactly the keys LabelRecord declares (libs/contracts), in its order.
    const keys: { [K in keyof LabelRecord]-?: true } = {
      schemaVersion: true,
      seq: true,
      id: true,
      datasetId: true,
      itemId: true,
      answer: true,
      distribution: true,
      method: true,
      agreesWithSimple: true,
      provenance: true,
      revises: true,
      createdAt: true,
    };
    const declared = Object.keys(keys);
    expect(Object.keys(LABEL_RECORD_SQL)).toEqual(declared);
    const [row] = await repository.after({ after: '0' }, 1);
    const record = JSON.parse(row!.json) as LabelRecord;
    expect(Object.keys(record)).toEqual(declared);
    expect(Object.keys(labelRecord((await repository.bySeq(record.seq))!))).toEqual(declared);
    const small = await pull('after=0&set=small');
    expect(small.length).toBe(everything.filter((l) => l.agreesWithSimple).length);
    expect(small.every((l) => l.agreesWithSimple)).toBe(true);
    expect((await http(app, 'GET', '/labels/count?set=small', pipeline)).body).toEqual({ count: small.length });
    expect((await http(app, 'GET', '/labels/count?after=200', pipeline)).body).toEqual({ count: WRITERS * EACH - 200 });
    expect(await pull(`after=0&datasetId=${datasetId}&protocol=p&limit=7`)).toHaveLength(7);
    expect(await pull('after=0&protocol=another')).toEqual([]);
    expect(await pull('after=0&since=2999-01-01T00:00:00Z')).toEqual([]);
    const response = await http(app, 'GET', '/labels?after=0&limit=1', pipeline);
    expect(response.headers.get('x-label-schema-version')).toBe(String(LABEL_SCHEMA_VERSION));
    const bad = await http(app, 'GET', '/labels?set=medium', pipeline);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('set must be one of the following values: small, large');
  });

  it('pulls into a file with the command line, and resumes where the file ends', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'tribunal-pull-')), 'labels.ndjson');
    const env = { TRIBUNAL_URL: app.url, TRIBUNAL_KEY: pipeline };
    const first = await tribunal(['labels', 'pull', '--out', out, '--set', 'large'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain(`pulled ${WRITERS * EACH} labels after 0 into ${out}`);
    const unitOfWork = app.running.app.get(UnitOfWork);
    const labels = app.running.app.get(LabelRepository);
    for (let i = 0; i < 5; i++) await unitOfWork.run((tx) => labels.append(tx, label(i, true)));
    const second = await tribunal(['labels', 'pull', '--out', out], env);
    expect(second.stderr).toContain(`pulled 5 labels after ${WRITERS * EACH}`);
    const seqs = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { seq: string }).seq);
    expect(seqs).toEqual(Array.from({ length: WRITERS * EACH + 5 }, (_, i) => String(i + 1)));
    const refused = await tribunal(['labels', 'pull'], { TRIBUNAL_URL: app.url, TRIBUNAL_KEY: 'trb_wrong' });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('401');
  });
});
