import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DEBATE_PROTOCOL, type JudgeDebateView, type ProtocolSpec } from '#tribunal/contracts';
import { eventually, http, startTestApp, userKey, type TestApp } from '../support/app.js';
import { protocol, startDebate, worldDisputes } from '../support/factories.js';

describe('protocols from the literature, with human judges', () => {
  let app: TestApp;
  let researcher: string;
  let judge: { key: string; id: string };
  let disputes: { id: string; itemId: string }[];
  let presets: Record<string, ProtocolSpec>;

  const view = async (debateId: string) => (await http<JudgeDebateView>(app, 'GET', `/debates/${debateId}`, judge.key)).body;
  const awaited = (debateId: string, stage: string) =>
    eventually(`the judge to be asked at ${stage}`, async () => {
      const v = await view(debateId);
      return v.awaiting?.stage === stage ? v : undefined;
    });
  const verdict = (debateId: string, body: Record<string, unknown>) => http(app, 'POST', `/debates/${debateId}/verdicts`, judge.key, body);

  beforeAll(async () => {
    app = await startTestApp();
    researcher = (await userKey(app, 'researcher')).key;
    judge = await userKey(app, 'judge');
    ({ disputes } = await worldDisputes(app, researcher, { name: 'presets', seed: 31, size: 10 }));
    presets = (await http(app, 'GET', '/protocols/presets', researcher)).body;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('accepts every preset as it is', async () => {
    expect(Object.keys(presets).sort()).toEqual([
      'direct',
      'khan-2024-consultancy',
      'khan-2024-debate',
      'khan-2024-interactive',
      'nyu-2023-consultancy',
      'nyu-2023-debate',
    ]);
    for (const [name, spec] of Object.entries(presets)) {
      const created = await http(app, 'POST', '/protocols', researcher, { name, spec });
      expect(created.status, `${name}: ${created.text}`).toBe(201);
      expect(created.body).toMatchObject({ name, version: 1, kind: spec.kind });
    }
  });

  it('runs the NYU rules: a prior, simultaneous openings, feedback, and the judge ending the debate', async () => {
    const protocolId = await protocol(app, researcher, 'nyu-run', presets['nyu-2023-debate']);
    const debateId = await startDebate(app, researcher, { disputeId: disputes[0]!.id, protocolId, judgeIds: [judge.id] });

    const prior = await awaited(debateId, 'judge-0');
    expect(prior.turns).toEqual([]);
    expect(prior.awaiting).toEqual({ stage: 'judge-0', mayEnd: true, noteVisibleToDebaters: true, noteLimit: 750 });
    expect(prior.protocol.scoring).toEqual({ kind: 'log', base: 2, perTurnPenalty: 0.05 });
    const tooLong = await verdict(debateId, { stage: 'judge-0', probabilities: [0.2, 0.2, 0.2, 0.2, 0.2], note: 'x'.repeat(751) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.message).toContain('note is 751 characters; the protocol allows 750');
    expect(
      (await verdict(debateId, { stage: 'judge-0', probabilities: [0.2, 0.2, 0.2, 0.2, 0.2], note: 'Which cells are hidden?' })).status,
    ).toBe(200);

    const afterOpenings = await awaited(debateId, 'judge-2');
    expect(afterOpenings.turns.map((t) => [t.index, t.round, t.seat])).toEqual([
      [0, 1, 'A'],
      [1, 1, 'B'],
    ]);
    // Clear-cut under the presets' rule: at least 0.99 on one answer.
    const decisive = [0.0025, 0.0025, 0.99, 0.0025, 0.0025];
    expect((await verdict(debateId, { stage: 'judge-2', probabilities: decisive, endDebate: true })).status).toBe(200);

    const ended = await eventually('the judge to end the debate', async () => {
      const v = await view(debateId);
      return v.status === 'completed' ? v : undefined;
    });
    expect(ended.turns).toHaveLength(2);
    expect(ended.myVerdicts.map((v) => [v.stage, v.endsDebate])).toEqual([
      ['judge-0', false],
      ['judge-2', true],
    ]);
    const pipeline = (await userKey(app, 'pipeline')).key;
    const labels = (await http(app, 'GET', '/labels?after=0&limit=1000', pipeline)).text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(labels.find((l) => l.provenance.debates[0].id === debateId)).toMatchObject({ answer: 2, distribution: decisive });
  });

  it('refuses an early end where the protocol does not allow one', async () => {
    const protocolId = await protocol(app, researcher, 'no-early-end', { judges: { count: 1, kind: 'human' } });
    const debateId = await startDebate(app, researcher, { disputeId: disputes[1]!.id, protocolId, judgeIds: [judge.id] });
    await awaited(debateId, 'judge-1');
    const refused = await verdict(debateId, { stage: 'judge-1', probabilities: [0.2, 0.2, 0.2, 0.2, 0.2], endDebate: true });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain('endDebate: this protocol does not let judges end the debate at stage judge-1');
  });

  it('fails a debate whose judge misses the deadline, saying why', async () => {
    const protocolId = await protocol(app, researcher, 'deadline', { judges: { count: 1, kind: 'human', deadlineSeconds: 1 } });
    const debateId = await startDebate(app, researcher, { disputeId: disputes[2]!.id, protocolId, judgeIds: [judge.id] });
    const failed = await eventually('the deadline', async () => {
      const { body } = await http(app, 'GET', '/debates?status=failed', researcher);
      return (body as { id: string; failureReason: string }[]).find((d) => d.id === debateId);
    });
    expect(failed.failureReason).toBe('1 judge(s) did not answer at stage judge-1 within 1 s');
    const late = await verdict(debateId, { stage: 'judge-1', probabilities: [0.2, 0.2, 0.2, 0.2, 0.2] });
    expect(late.status).toBe(409);
    expect(late.body.message).toContain('it has failed');
  });

  it('runs the direct baseline with no speeches at all', async () => {
    const protocolId = await protocol(app, researcher, 'direct-simulated', { ...presets.direct, judges: { count: 1, kind: 'simulated' } });
    const debateId = await startDebate(app, researcher, { disputeId: disputes[3]!.id, protocolId });
    const ended = await eventually('the direct judgement', async () => {
      const v = (await http<JudgeDebateView>(app, 'GET', `/debates/${debateId}`, researcher)).body;
      return v.status === 'completed' ? v : undefined;
    });
    expect(ended.turns).toEqual([]);
    expect(ended.seats).toEqual([]);
  });

  it('names what is wrong with a protocol that breaks the rules of its kind', async () => {
    const bad = await http(app, 'POST', '/protocols', researcher, {
      name: 'bad-kinds',
      spec: {
        ...DEFAULT_DEBATE_PROTOCOL,
        kind: 'interactive',
        structure: { opening: [{ type: 'judge', charLimit: 100 }], repeating: [], closing: [] },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.problems).toEqual(
      expect.arrayContaining([
        'spec.structure must hold at least one round of speeches for interactive',
        'spec.structure of an interactive protocol needs a judge round with visibleToDebaters, where the judge asks questions',
        'spec.structure.opening.0: charLimit and quoteLimit apply to speech rounds',
        'spec.end.maxRepeats must be 0 when spec.structure.repeating is empty',
      ]),
    );
  });
});
