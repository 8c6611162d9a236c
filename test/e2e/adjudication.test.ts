import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, http, startTestApp, userKey, type TestApp } from '../support/app.js';
import { protocol, startDebate, worldDisputes } from '../support/factories.js';

describe('adjudication: pooled judges, the clear-cut rule, and re-queued disputes', () => {
  let app: TestApp;
  let researcher: string;
  let pipeline: string;
  let judges: { key: string; id: string }[];
  let disputes: { id: string }[];

  /** Both judges answer every stage of a debate, each with the distribution given. */
  async function judge(debateId: string, answers: number[][]): Promise<void> {
    for (const stage of ['judge-1', 'final']) {
      for (const [i, j] of judges.entries()) {
        await eventually(
          `${stage} for judge ${i}`,
          async () => (await http(app, 'GET', `/debates/${debateId}`, j.key)).body.awaiting?.stage === stage,
        );
        const answered = await http(app, 'POST', `/debates/${debateId}/verdicts`, j.key, { stage, probabilities: answers[i] });
        expect(answered.status, answered.text).toBe(200);
      }
    }
  }
  const dispute = async (id: string) =>
    (
      (await http(app, 'GET', `/datasets/${datasetId}/disputes`, researcher)).body as {
        id: string;
        status: string;
        reasons: { kind: string; detail: string }[];
      }[]
    ).find((d) => d.id === id)!;
  let datasetId: string;

  beforeAll(async () => {
    app = await startTestApp();
    researcher = (await userKey(app, 'researcher')).key;
    pipeline = (await userKey(app, 'pipeline')).key;
    judges = [await userKey(app, 'judge'), await userKey(app, 'judge')];
    ({ datasetId, disputes } = await worldDisputes(app, researcher, { name: 'adjudication', seed: 6, size: 6 }));
  });
  afterAll(async () => {
    await app?.close();
  });

  it('debates a dispute again when it is not clear-cut, and pools every debate of it into the label', async () => {
    const protocolId = await protocol(app, researcher, 'twice', {
      judges: { count: 2, kind: 'human' },
      adjudication: { method: 'mean', threshold: 0.8, requeue: { maxDebates: 3 } },
    });
    const first = await startDebate(app, researcher, { disputeId: disputes[0]!.id, protocolId });
    const hesitant = [0, 0.15, 0.7, 0.15, 0];
    await judge(first, [hesitant, hesitant]);
    // 0.7 < 0.8: the dispute is debated again, and says why.
    const second = await eventually('the second debate', async () => {
      const list = (await http(app, 'GET', '/debates?limit=50', researcher)).body as { id: string; disputeId: string }[];
      return list.find((d) => d.disputeId === disputes[0]!.id && d.id !== first)?.id;
    });
    const reopened = await dispute(disputes[0]!.id);
    expect(reopened.status).toBe('debating');
    expect(reopened.reasons.at(-1)).toEqual({
      kind: 'judges-disagree',
      detail: expect.stringContaining('not clear-cut after 1 debate(s) (0.7 < 0.8)'),
    });
    const sure = [0, 0, 1, 0, 0];
    await judge(second, [sure, sure]);
    const label = await eventually('the label', async () => {
      const text = (await http(app, 'GET', `/labels?after=0&datasetId=${datasetId}`, pipeline)).text.trim();
      return text ? JSON.parse(text.split('\n')[0]!) : undefined;
    });
    // (0.7 + 0.7 + 1 + 1) / 4 = 0.85 on answer 2, from both debates.
    expect(label.answer).toBe(2);
    expect(label.distribution[2]).toBeCloseTo(0.85, 10);
    expect(label.provenance.debates.map((d: { id: string }) => d.id).sort()).toEqual([first, second].sort());
    expect(label.provenance.verdicts).toHaveLength(4);
    expect((await dispute(disputes[0]!.id)).status).toBe('labelled');
  });

  it('leaves a dispute unlabelled when unanimity is required and the judges disagree', async () => {
    const protocolId = await protocol(app, researcher, 'unanimous', {
      judges: { count: 2, kind: 'human' },
      adjudication: { method: 'log-pool', threshold: 0.6, unanimous: true },
    });
    const debateId = await startDebate(app, researcher, { disputeId: disputes[1]!.id, protocolId });
    await judge(debateId, [
      [0, 0.05, 0.9, 0.05, 0],
      [0, 0.6, 0.4, 0, 0],
    ]);
    await eventually(
      'the debate to end',
      async () => (await http(app, 'GET', `/debates/${debateId}`, researcher)).body.status === 'completed',
    );
    expect((await dispute(disputes[1]!.id)).status).toBe('unresolved');
    const labels = (await http(app, 'GET', `/labels?after=0&protocol=unanimous`, pipeline)).text;
    expect(labels).toBe('');
  });
});
