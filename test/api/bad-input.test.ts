import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_DEBATE_PROTOCOL } from '#tribunal/contracts';
import { JudgingService } from '#tribunal/core';
import { connectSocket, eventually, http, sql, startTestApp, userKey, type TestApp } from '../support/app.js';

const TABLES = [
  'users',
  'api_keys',
  'datasets',
  'items',
  'disputes',
  'protocols',
  'debates',
  'turns',
  'citations',
  'judge_assignments',
  'verdicts',
  'labels',
  'campaigns',
  'campaign_entries',
  'speech_drafts',
];

describe('bad input gets a 4xx naming the problem, and writes nothing', () => {
  let app: TestApp;
  let db: pg.Client;
  let researcher: string;
  let judge: { key: string; id: string };
  let datasetId: string;
  let manualDebate: string;

  async function counts(): Promise<Record<string, number>> {
    const result: Record<string, number> = {};
    for (const table of TABLES) result[table] = Number((await db.query(`SELECT count(*) FROM ${table}`)).rows[0].count);
    return result;
  }

  /** Sends a bad request; expects the status and a message containing `names`; checks no row changed. */
  async function refused(method: string, path: string, key: string | undefined, body: unknown, status: number, names: string) {
    const before = await counts();
    const result = await http(app, method, path, key, body);
    expect(result.status, result.text).toBe(status);
    expect(JSON.stringify(result.body.message)).toContain(names);
    expect(await counts()).toEqual(before);
  }

  beforeAll(async () => {
    app = await startTestApp();
    db = new pg.Client({ connectionString: app.databaseUrl });
    await db.connect();
    researcher = (await userKey(app, 'researcher')).key;
    judge = await userKey(app, 'judge');
    datasetId = (await http(app, 'POST', '/datasets/world', researcher, { name: 'bad-input', seed: 4, size: 12 })).body.id;
    const disputes = await http(app, 'POST', `/datasets/${datasetId}/disputes`, researcher, { auditFraction: 1 });
    const protocol = await http(app, 'POST', '/protocols', researcher, {
      name: 'manual',
      spec: { ...DEFAULT_DEBATE_PROTOCOL, debaters: [{ backend: 'manual' }, { backend: 'manual' }], judges: { count: 1, kind: 'human' } },
    });
    manualDebate = (
      await http(app, 'POST', '/debates', researcher, {
        disputeId: disputes.body[0].id,
        protocolId: protocol.body.id,
        judgeIds: [judge.id],
      })
    ).body.id;
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
  });

  it('malformed JSON', async () => {
    await refused('POST', '/datasets/world', researcher, '{"name": "x", "seed": ', 400, 'JSON');
  });

  it('unknown fields', async () => {
    await refused(
      'POST',
      '/datasets/world',
      researcher,
      { name: 'x', seed: 1, size: 5, colour: 'red' },
      400,
      'property colour should not exist',
    );
  });

  it('wrong types and missing fields', async () => {
    await refused('POST', '/datasets/world', researcher, { name: 'x', seed: 'one', size: 5 }, 400, 'seed must be an integer number');
    await refused('POST', '/datasets/world', researcher, { seed: 1, size: 5 }, 400, 'name must be');
    await refused('POST', '/debates', researcher, { disputeId: 'nope', protocolId: 'nope' }, 400, 'disputeId must be a UUID');
    await refused('GET', '/datasets/not-a-uuid/items', researcher, undefined, 400, 'id in the path must be a UUID');
  });

  it('world parameters out of range name the parameter', async () => {
    await refused(
      'POST',
      '/datasets/world',
      researcher,
      { name: 'x', seed: 1, size: 5, params: { hideProbability: 2 } },
      400,
      'params.hideProbability must be between 0 and 1',
    );
  });

  it('uploads: items not a list, an item that is wrong, a __proto__ key at any depth, unknown fields beside them', async () => {
    const item = { externalId: 'q1', question: 'Which?', answers: ['a', 'b'] };
    await refused('POST', '/datasets', researcher, { name: 'up', items: 'many' }, 400, 'items must be an array');
    await refused('POST', '/datasets', researcher, { name: 'up', items: [{ ...item, answers: ['a'] }] }, 400, 'items[0].answers');
    await refused('POST', '/datasets', researcher, { name: 'up', items: [item], colour: 'red' }, 400, 'property colour should not exist');
    // Raw text: a JavaScript object literal would take "__proto__" as its prototype, not as a key.
    const poisoned = `{"name":"up","items":[${JSON.stringify(item)},{"externalId":"q2","question":"Which?","answers":["a","b"],"meta":{"deep":[{"__proto__":{"admin":true}}]}}]}`;
    await refused('POST', '/datasets', researcher, poisoned, 400, 'items[1].meta.deep[0].__proto__ is not allowed');
    await refused(
      'PUT',
      `/datasets/${datasetId}/features`,
      researcher,
      '{"items":[{"__proto__":{}}]}',
      400,
      'items[0].__proto__ is not allowed',
    );
  });

  it('a dataset name already taken', async () => {
    await refused('POST', '/datasets/world', researcher, { name: 'bad-input', seed: 1, size: 5 }, 409, 'already exists');
  });

  it('an invalid protocol names every offending field', async () => {
    const spec = {
      ...DEFAULT_DEBATE_PROTOCOL,
      limits: { chars: 5, citations: 3, overLimit: 'truncate' },
      judges: { count: 1, kind: 'robot' },
    };
    await refused('POST', '/protocols', researcher, { name: 'broken', spec }, 400, 'spec.limits.chars must not be less than 20');
    await refused('POST', '/protocols', researcher, { name: 'broken', spec }, 400, 'spec.judges.kind must be one of the following values');
    await refused('POST', '/protocols', researcher, { name: 'broken', spec: { ...DEFAULT_DEBATE_PROTOCOL, extra: 1 } }, 400, 'spec.extra');
    await refused(
      'POST',
      '/protocols',
      researcher,
      { name: 'broken', spec: { ...DEFAULT_DEBATE_PROTOCOL, debaters: [] } },
      400,
      'spec.debaters must hold at least two',
    );
  });

  it('missing and invalid keys, and a role calling a route it may not', async () => {
    await refused('POST', '/datasets/world', undefined, { name: 'x', seed: 1, size: 5 }, 401, 'missing API key');
    await refused('POST', '/datasets/world', 'trb_forged', { name: 'x', seed: 1, size: 5 }, 401, 'invalid or revoked');
    await refused('POST', '/datasets/world', judge.key, { name: 'x', seed: 1, size: 5 }, 403, 'role judge may not call this route');
  });

  it('a citation that does not exist in the item', async () => {
    await eventually(
      'the debate to wait for seat A',
      async () => (await http(app, 'GET', `/debates/${manualDebate}`, researcher)).body.status !== undefined,
    );
    await refused(
      'POST',
      `/debates/${manualDebate}/speeches`,
      researcher,
      { seat: 'A', text: 'Look at [[s-99-99]].' },
      400,
      '[[s-99-99]] does not exist',
    );
    await refused(
      'POST',
      `/debates/${manualDebate}/speeches`,
      researcher,
      { seat: 'B', text: 'Not my turn.' },
      409,
      'not waiting for a speech from seat B',
    );
    const ok = await http(app, 'POST', `/debates/${manualDebate}/speeches`, researcher, {
      seat: 'A',
      text: 'The sensor [[s-0-0]] says so.',
    });
    expect(ok.status, ok.text).toBe(201);
    const view = await http(app, 'GET', `/debates/${manualDebate}`, researcher);
    expect(view.body.turns[0].citations).toEqual([expect.objectContaining({ evidenceId: 's-0-0', verified: true })]);
  });

  it('campaigns without disputes, over unknown ones, or with no room to run', async () => {
    const protocolId = (await http(app, 'GET', '/protocols', researcher)).body[0].id;
    await refused('POST', '/campaigns', researcher, { name: 'empty', protocolId, concurrency: 2 }, 400, 'a campaign needs disputes');
    await refused(
      'POST',
      '/campaigns',
      researcher,
      { name: 'ghosts', protocolId, concurrency: 2, disputeIds: ['6f1c2b8e-3d4a-4e5f-8a9b-0c1d2e3f4a5b'] },
      400,
      'disputeIds: 6f1c2b8e-3d4a-4e5f-8a9b-0c1d2e3f4a5b do not exist',
    );
    await refused(
      'POST',
      '/campaigns',
      researcher,
      { name: 'stuck', protocolId, concurrency: 0, datasetId },
      400,
      'concurrency must not be less than 1',
    );
  });

  it('verdicts that are not distributions, or for the wrong stage', async () => {
    await refused(
      'POST',
      `/debates/${manualDebate}/verdicts`,
      judge.key,
      { stage: 'final', probabilities: [1, 0, 0, 0, 0] },
      409,
      'not waiting for verdicts at stage final',
    );
    await refused('POST', `/debates/${manualDebate}/verdicts`, judge.key, { stage: 'tomorrow', probabilities: [1] }, 400, 'stage must be');
    await refused(
      'POST',
      `/debates/${manualDebate}/verdicts`,
      judge.key,
      { stage: 'final', probabilities: 'all of them' },
      400,
      'probabilities must be an array',
    );
  });

  it('bad socket input is refused in the acknowledgement, and a socket needs a key', async () => {
    const anonymous = connectSocket(app, undefined);
    const error = await new Promise<Error>((resolve) => anonymous.on('connect_error', resolve));
    expect(error.message).toContain('unauthorized');
    anonymous.close();

    const socket = connectSocket(app, judge.key);
    const before = await counts();
    expect(await socket.timeout(5000).emitWithAck('debate.join', { debateId: 42 } as never)).toMatchObject({
      ok: false,
      status: 400,
      error: expect.stringContaining('debateId must be a UUID'),
    });
    expect(await socket.timeout(5000).emitWithAck('debate.join', { debateId: manualDebate, extra: true } as never)).toMatchObject({
      ok: false,
      status: 400,
      error: expect.stringContaining('property extra should not exist'),
    });
    const other = await userKey(app, 'judge');
    const stranger = connectSocket(app, other.key);
    expect(await stranger.timeout(5000).emitWithAck('debate.join', { debateId: manualDebate })).toMatchObject({ ok: false, status: 403 });
    expect(
      await socket.timeout(5000).emitWithAck('verdict.submit', { debateId: manualDebate, stage: 'judge-1', probabilities: [0.5, 0.5] }),
    ).toMatchObject({ ok: false });
    expect(await counts()).toEqual({ ...before, users: before.users + 1, api_keys: before.api_keys + 1 });
    socket.close();
    stranger.close();
  });

  it('equivalent bad values answer the same status and body, whichever layer or service refuses them', async () => {
    const protocolId = (await http(app, 'GET', '/protocols', researcher)).body[0].id;
    const answers = await Promise.all([
      // The request's validation (a DTO).
      http(app, 'POST', '/training-jobs', researcher, { datasetId, settings: 'fast' }),
      // ModelsService, over a training config.
      http(app, 'POST', '/training-jobs', researcher, { datasetId, settings: { steps: 0 } }),
      // DatasetsService, over world parameters.
      http(app, 'POST', '/datasets/world', researcher, { name: 'x', seed: 1, size: 5, params: { hideProbability: 2 } }),
      // ProtocolsService, over a spec.
      http(app, 'POST', '/protocols', researcher, { name: 'broken', spec: { ...DEFAULT_DEBATE_PROTOCOL, debaters: [] } }),
      // CampaignsService, over a request.
      http(app, 'POST', '/campaigns', researcher, { name: 'empty', protocolId, concurrency: 2 }),
    ]);
    for (const answer of answers) {
      expect(answer.status, answer.text).toBe(400);
      expect(answer.body, answer.text).toEqual({ statusCode: 400, message: expect.any(String), problems: expect.any(Array) });
      expect(answer.body.message).toBe(answer.body.problems.join('; '));
    }
  });

  it('a unique violation in a socket message is acknowledged as a 409 naming what exists, not as an internal error', async () => {
    const judging = app.running.app.get(JudgingService);
    // No socket message writes a row that a unique constraint guards against today: the service
    // stands in for one that does, with a real violation from PostgreSQL (a second user of a name).
    const spy = vi.spyOn(judging, 'submit').mockImplementationOnce(async () => {
      await sql(app, 'INSERT INTO users (name, role) SELECT name, role FROM users WHERE id = $1', [judge.id]);
      return { stage: 'final', duplicate: false };
    });
    const socket = connectSocket(app, judge.key);
    try {
      const name = (await db.query('SELECT name FROM users WHERE id = $1', [judge.id])).rows[0].name as string;
      const reply = await socket
        .timeout(5000)
        .emitWithAck('verdict.submit', { debateId: manualDebate, stage: 'final', probabilities: [0.5, 0.5] });
      expect(spy).toHaveBeenCalledOnce();
      expect(reply).toEqual({ ok: false, status: 409, error: expect.stringContaining('already exists') });
      expect((reply as { error: string }).error).toContain(`(name)=(${name})`);
    } finally {
      spy.mockRestore();
      socket.close();
    }
  });
});
