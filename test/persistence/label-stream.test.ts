import { get, type ClientRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL_SCHEMA_VERSION, type LabelRecord } from '#tribunal/contracts';
import { labelRecord } from '#tribunal/core';
import { LabelRepository, UnitOfWork, type NewLabel } from '#tribunal/persistence';
import { eventually, http, sql, startTestApp, TEST_DATABASES, userKey, type AnyTestApp } from '../support/app.js';

/**
 * Strings that a step escaping them twice, or not at all, would change: COPY's text format doubles a
 * backslash and writes control characters as escapes, CSV quotes, SQL literals need their quotes and
 * backslashes escaped, and a replacement string reads `$&`.
 */
const AWKWARD = [
  'back\\slash',
  'two \\\\ backslashes and \\n, not a newline',
  'a "quoted" word',
  "it's",
  'new\nline',
  'carriage\r\nreturn',
  'tab\there',
  'controls \u0001\u0002\u001b\u001f\u007f',
  '\\.',
  '\\N',
  'comma, semicolon; pipe |',
  'é, 漢字, 😀, \u2028\u2029',
  "replacement $& $' $` $1",
];

/** Bulk labels written by SQL, enough that a pull is many socket buffers long. */
const BULK = 20_000;

describe.each(TEST_DATABASES)('streamed label pulls, on %s', (database) => {
  let app: AnyTestApp;
  let pipeline: string;
  let datasetId: string;
  let itemId: string;

  const pull = async (query: string) => {
    const result = await http(app, 'GET', `/labels?${query}`, pipeline);
    expect(result.status, result.text).toBe(200);
    return result;
  };

  /**
   * Starts a pull and, once its first bytes have come, goes away (`stall`: stops reading and stays).
   * By node:http, whose destroyed request closes its connection (fetch leaves another one open, which
   * the server's close then waits for).
   */
  const startPull = (stall = false) =>
    new Promise<ClientRequest>((resolve, reject) => {
      const request = get(`${app.url}/labels?after=0`, { headers: { authorization: `Bearer ${pipeline}` }, agent: false }, (response) => {
        if (response.statusCode !== 200) reject(new Error(`GET /labels answered ${response.statusCode}`));
        response.once('data', (chunk: Buffer) => {
          if (chunk.length === 0) reject(new Error('an empty first chunk'));
          if (stall) response.pause();
          else request.destroy();
          resolve(request);
        });
      });
      request.on('error', (error) => {
        if (!request.destroyed) reject(error);
      });
    });

  beforeAll(async () => {
    app = await startTestApp({}, { database });
    pipeline = (await userKey(app, 'pipeline')).key;
    [{ id: datasetId }] = await sql<{ id: string }>(app, `INSERT INTO datasets (name, source) VALUES ('stream', 'upload') RETURNING id`);
    [{ id: itemId }] = await sql<{ id: string }>(
      app,
      `INSERT INTO items (dataset_id, external_id, context, evidence, question, answers, simple_label)
       VALUES ($1, 'item', '{}', '[]', 'Which?', '["a","b"]', 0) RETURNING id`,
      [datasetId],
    );
  });
  afterAll(async () => {
    await app?.close();
  });

  it('writes each label byte for byte as the database serialises it, whatever its strings hold', async () => {
    const unitOfWork = app.running.app.get(UnitOfWork);
    const labels = app.running.app.get(LabelRepository);
    for (const [i, text] of AWKWARD.entries()) {
      const label: NewLabel = {
        itemId,
        datasetId,
        answer: i % 2,
        distribution: [0.5, 0.5],
        method: text,
        agreesWithSimple: i % 2 === 0,
        provenance: {
          disputeId: itemId,
          debates: [{ id: itemId, protocolId: itemId, protocolName: text, protocolVersion: 1 }],
          verdicts: [text],
        },
        schemaVersion: LABEL_SCHEMA_VERSION,
      };
      await unitOfWork.run((tx) => labels.append(tx, label));
    }
    const response = await pull('after=0');
    expect(response.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    expect(response.headers.get('x-label-schema-version')).toBe(String(LABEL_SCHEMA_VERSION));
    // The same text as the database's own JSON through a plain query (no COPY), one label a line.
    const queried = await labels.after({ after: '0' }, 1000);
    expect(response.text).toBe(queried.map((row) => row.json + '\n').join(''));
    const lines = response.text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(AWKWARD.length);
    for (const [i, line] of lines.entries()) {
      const record = JSON.parse(line) as LabelRecord;
      expect(record.method).toBe(AWKWARD[i]);
      expect(record.provenance.debates[0]!.protocolName).toBe(AWKWARD[i]);
      expect(record.provenance.verdicts).toEqual([AWKWARD[i]]);
      expect(record).toEqual(labelRecord((await labels.bySeq(record.seq))!));
    }
    // Each string is a filter too, written into the query as a literal.
    for (const [i, text] of AWKWARD.entries()) {
      const only = await pull(`after=0&protocol=${encodeURIComponent(text)}`);
      expect(only.text).toBe(lines[i] + '\n');
    }
    const small = await pull('after=0&set=small&limit=3');
    expect(small.text).toBe([0, 2, 4].map((i) => lines[i] + '\n').join(''));
    expect((await pull(`after=${AWKWARD.length}`)).text).toBe('');
    // A form of ISO 8601 that Date cannot read is refused before any query (the COPY takes it as a literal).
    for (const path of ['/labels?since=2009-W01-1', '/labels/count?since=2009-W01-1']) {
      const refused = await http(app, 'GET', path, pipeline);
      expect(refused.status, refused.text).toBe(400);
      expect(JSON.stringify(refused.body)).toContain('since must be a calendar date and time');
    }
  });

  it('frees what a pull holds when its reader goes away or stops reading, and keeps answering', async () => {
    await sql(
      app,
      `INSERT INTO labels (seq, item_id, dataset_id, answer, distribution, method, agrees_with_simple, provenance, schema_version)
       SELECT (SELECT coalesce(max(seq), 0) FROM labels) + g, $1, $2, g % 2, ARRAY[0.9, 0.1], 'mean', g % 3 = 0,
              jsonb_build_object('disputeId', $4::text, 'debates', jsonb_build_array(jsonb_build_object('id', $4::text,
                'protocolId', $4::text, 'protocolName', 'bulk-' || g, 'protocolVersion', 1)), 'verdicts', '[]'::jsonb), 1
       FROM generate_series(1, $3::int) g`,
      [itemId, datasetId, BULK, itemId],
    );
    const total = AWKWARD.length + BULK;
    // More aborted pulls, one after another and many at once, than the pool has connections.
    for (let i = 0; i < 25; i++) await startPull();
    await Promise.all(Array.from({ length: 12 }, () => startPull()));
    // Readers that take nothing (as many as may stream at once): the server stops at their
    // back-pressure, and everyone else is answered.
    const stalled = await Promise.all(Array.from({ length: 4 }, () => startPull(true)));
    expect((await http(app, 'GET', '/labels/count', pipeline)).body).toEqual({ count: total });
    for (const request of stalled) request.destroy();

    const whole = await pull('after=0');
    const seqs = whole.text
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as { seq: string }).seq);
    expect(seqs).toEqual(Array.from({ length: total }, (_, i) => String(i + 1)));
    expect((await pull('after=100&limit=5')).text.trimEnd().split('\n')).toHaveLength(5);
    if (database === 'postgres') {
      // No COPY is left running on the server: each aborted pull's connection was closed.
      await eventually('the aborted pulls to end on the server', async () => {
        const [{ n }] = await sql<{ n: number }>(
          app,
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE 'COPY (SELECT row_to_json%' AND pid <> pg_backend_pid()`,
        );
        return n === 0;
      });
    }
  });

  it('writes each label’s time as the record has it, with milliseconds and Z, whatever its fraction of a second', async () => {
    const times = [
      '2026-01-02 03:04:05+00',
      '2026-01-02 03:04:05.5+00',
      '2026-01-02 03:04:05.05+00',
      '2026-01-02 03:04:05.123+00',
      '2026-01-02 03:04:05.1234+00',
      '2026-12-31 23:59:59.999999+00',
      '1999-07-08 09:10:11.000001-05:30',
    ];
    const [{ after }] = await sql<{ after: string }>(app, `SELECT coalesce(max(seq), 0)::text AS after FROM labels`);
    await sql(
      app,
      `INSERT INTO labels (seq, item_id, dataset_id, answer, distribution, method, agrees_with_simple, provenance, schema_version, created_at)
       SELECT $3::bigint + o, $1, $2, 0, ARRAY[0.9, 0.1], 'mean', true, '{"disputeId":"d","debates":[],"verdicts":[]}', 1, t::timestamptz
       FROM unnest($4::text[]) WITH ORDINALITY AS x(t, o)`,
      [itemId, datasetId, after, times],
    );
    const response = await pull(`after=${after}`);
    const labels = app.running.app.get(LabelRepository);
    expect(response.text).toBe((await labels.after({ after }, 100)).map((row) => row.json + '\n').join(''));
    const written = response.text
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as LabelRecord).createdAt);
    expect(written).toEqual(times.map((t) => new Date(t.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).toISOString()));
  });
});
