import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JudgeOutcomesView, JudgeRecordView } from '#tribunal/contracts';
import { connectSocket, eventually, http, sql, startTestApp, userKey, type TestApp, type TribunalClient } from '../support/app.js';
import { protocol, startDebate, worldDisputes } from '../support/factories.js';

/**
 * Judges learn from outcomes, and only once nothing on the item is open to them: the answer settled
 * on, the truth and their reward, withheld while another debate on the same item runs or the dispute
 * is to be debated again; then their record over what they were shown.
 */
describe('a judge’s outcomes and record', () => {
  let app: TestApp;
  let researcher: string;
  let j: { key: string; id: string };
  let k: { key: string; id: string };
  let disputes: { id: string; itemId: string }[];
  let socket: TribunalClient;
  const revealed: string[][] = [];

  const truthOf = async (itemId: string) =>
    (await sql<{ truth: number; answers: string[] }>(app, 'SELECT ground_truth AS truth, answers FROM items WHERE id = $1', [itemId]))[0]!;
  const latestLabel = async (itemId: string) =>
    (await sql<{ answer: number }>(app, 'SELECT answer FROM labels WHERE item_id = $1 ORDER BY seq DESC LIMIT 1', [itemId]))[0]?.answer ??
    null;
  const outcomes = async (key: string) => {
    const reply = await http<JudgeOutcomesView>(app, 'GET', '/me/outcomes', key);
    expect(reply.status, reply.text).toBe(200);
    return reply.body;
  };
  const ended = (debateId: string) =>
    eventually(
      `debate ${debateId} to end`,
      async () => (await http(app, 'GET', `/debates/${debateId}`, researcher)).body.status === 'completed',
    );

  /** The judge answers every stage of the debate: uniform after the first round, then `final`. */
  async function judge(debateId: string, key: string, final: number[]): Promise<void> {
    for (const [stage, probabilities] of [
      ['judge-1', final.map(() => 1 / final.length)],
      ['final', final],
    ] as const) {
      await eventually(
        `${stage} of ${debateId}`,
        async () => (await http(app, 'GET', `/debates/${debateId}`, key)).body.awaiting?.stage === stage,
      );
      const answered = await http(app, 'POST', `/debates/${debateId}/verdicts`, key, { stage, probabilities });
      expect(answered.status, answered.text).toBe(200);
    }
  }
  /** Probabilities with `p` on `answer` and the rest on the next answer. */
  const leaning = (answers: number, answer: number, p: number) =>
    Array.from({ length: answers }, (_, i) => (i === answer ? p : i === (answer + 1) % answers ? 1 - p : 0));

  beforeAll(async () => {
    app = await startTestApp();
    researcher = (await userKey(app, 'researcher')).key;
    [j, k] = [await userKey(app, 'judge', 'judge-j'), await userKey(app, 'judge', 'judge-k')];
    ({ disputes } = await worldDisputes(app, researcher, { name: 'outcomes', seed: 21, size: 6 }));
    socket = connectSocket(app, j.key);
    socket.on('outcomes.revealed', ({ debateIds }) => revealed.push(debateIds));
    await new Promise<void>((resolve, reject) => {
      socket.on('connect', resolve);
      socket.on('connect_error', reject);
    });
  });
  afterAll(async () => {
    socket?.close();
    await app?.close();
  });

  it('withholds the outcome while another debate on the same item is open, and reveals it with the reward once both ended', async () => {
    const protocolId = await protocol(app, researcher, 'outcomes-one-judge', { judges: { count: 1, kind: 'human' } });
    const [first, second] = [
      await startDebate(app, researcher, { disputeId: disputes[0]!.id, protocolId, judgeIds: [j.id] }),
      await startDebate(app, researcher, { disputeId: disputes[0]!.id, protocolId, judgeIds: [k.id] }),
    ];
    const { truth, answers } = await truthOf(disputes[0]!.itemId);
    await judge(first, j.key, leaning(answers.length, truth, 0.8));
    await ended(first);

    // The first debate is over and labelled, but the same item's second debate runs: nothing is shown, to either judge.
    expect(await outcomes(j.key)).toEqual({ outcomes: [], withheld: 1 });
    expect(await outcomes(k.key)).toEqual({ outcomes: [], withheld: 0 });
    const record = await http<JudgeRecordView>(app, 'GET', '/me/record', j.key);
    expect(record.body).toMatchObject({ settled: 0, judged: 0, accuracy: null, meanReward: null, withheld: 1, timeline: [] });

    // K puts 0.9 on a wrong answer and 0.1 on the truth.
    await judge(
      second,
      k.key,
      answers.map((_, i) => (i === (truth + 1) % answers.length ? 0.9 : i === truth ? 0.1 : 0)),
    );
    await ended(second);
    const label = await latestLabel(disputes[0]!.itemId);
    const shown = await outcomes(j.key);
    expect(shown.withheld).toBe(0);
    expect(shown.outcomes).toEqual([
      {
        debateId: first,
        endedAt: expect.any(String),
        question: expect.any(String),
        answers,
        final: leaning(answers.length, truth, 0.8),
        continues: 1,
        settlement: label === null ? 'unresolved' : 'labelled',
        settledAnswer: label,
        truth,
        correct: 1,
        agreesWithLabel: label === null ? null : label === truth ? 1 : 0,
        reward: expect.closeTo(Math.log2(0.8) - 0.05, 9),
        scoring: { kind: 'log', base: 2, perTurnPenalty: 0.05 },
      },
    ]);
    // K's own outcome says they were wrong, and what it cost.
    const kShown = await outcomes(k.key);
    expect(kShown.outcomes.map((o) => [o.debateId, o.correct, o.truth])).toEqual([[second, 0, truth]]);
    expect(kShown.outcomes[0]!.reward).toBeCloseTo(Math.log2(0.1) - 0.05, 9);
    // J's open page heard of it, with the debate's id and nothing more.
    await eventually('outcomes.revealed', async () => revealed.some((ids) => ids.includes(first)));
    expect(revealed.flat().every((id) => id === first)).toBe(true);
  });

  it('withholds it while the dispute is to be debated again, reveals it once the next debate settles it; a tie counts half', async () => {
    const protocolId = await protocol(app, researcher, 'outcomes-requeue', {
      judges: { count: 1, kind: 'human' },
      adjudication: { method: 'mean', threshold: 0.7, requeue: { maxDebates: 2 } },
    });
    const dispute = disputes[1]!;
    const { truth, answers } = await truthOf(dispute.itemId);
    const first = await startDebate(app, researcher, { disputeId: dispute.id, protocolId, judgeIds: [j.id] });
    await judge(first, j.key, leaning(answers.length, truth, 0.5));
    await ended(first);
    // 0.5 < 0.7, not clear-cut: the dispute is debated again, by a judge chosen now (J or K).
    const again = await eventually('the second debate', async () => {
      const list = (await http(app, 'GET', '/debates?limit=50', researcher)).body as { id: string; disputeId: string }[];
      return list.find((d) => d.disputeId === dispute.id && d.id !== first)?.id;
    });
    expect((await outcomes(j.key)).outcomes.map((o) => o.debateId)).not.toContain(first);
    expect((await outcomes(j.key)).withheld).toBe(1);

    const seatedIn = new Map<string, { key: string; id: string }>();
    for (const x of [j, k]) {
      for (const a of (await http<{ debateId: string }[]>(app, 'GET', '/assignments', x.key)).body) seatedIn.set(a.debateId, x);
    }
    const judgeOfAgain = seatedIn.get(again)!;
    await judge(again, judgeOfAgain.key, leaning(answers.length, truth, 1));
    await ended(again);

    const label = await latestLabel(dispute.itemId);
    // Pooled over both debates: (0.5 + 1) / 2 = 0.75 on the truth, clear-cut at 0.7.
    expect(label).toBe(truth);
    const outcome = (await outcomes(j.key)).outcomes.find((o) => o.debateId === first)!;
    expect(outcome).toMatchObject({ settlement: 'labelled', settledAnswer: truth, truth, correct: 0.5 });
    expect(outcome.reward).toBeCloseTo(Math.log2(0.5) - 0.05, 9);
  });

  it('keeps each judge’s record over the outcomes shown to them, and to judges only', async () => {
    const mine = await outcomes(j.key);
    const record = (await http<JudgeRecordView>(app, 'GET', '/me/record', j.key)).body;
    const rewards = mine.outcomes.filter((o) => o.truth !== null).map((o) => o.reward!);
    expect(record.settled).toBe(mine.outcomes.length);
    expect(record.judged).toBe(rewards.length);
    expect(record.meanReward).toBeCloseTo(rewards.reduce((a, b) => a + b, 0) / rewards.length, 9);
    expect(record.accuracy).toBeCloseTo(mine.outcomes.reduce((a, o) => a + o.correct!, 0) / mine.outcomes.length, 9);
    expect(record.timeline.map((p) => p.judged)).toEqual(rewards.map((_, i) => i + 1));
    expect(record.timeline.at(-1)!.accuracy).toBeCloseTo(record.accuracy!, 9);
    expect(record.reliability.reduce((n, b) => n + b.count, 0)).toBe(record.judged);
    for (const role of ['researcher', 'admin', 'pipeline'] as const) {
      const key = role === 'admin' ? app.adminKey : role === 'researcher' ? researcher : (await userKey(app, 'pipeline')).key;
      expect((await http(app, 'GET', '/me/record', key)).status).toBe(403);
      expect((await http(app, 'GET', '/me/outcomes', key)).status).toBe(403);
    }
  });

  it('seats no judge on an item whose outcome they may see', async () => {
    // The first item is at rest, and both judges see its outcomes: a new debate on it may seat neither.
    const protocolId = (await http<{ id: string; name: string }[]>(app, 'GET', '/protocols', researcher)).body.find(
      (p) => p.name === 'outcomes-one-judge',
    )!.id;
    const named = await http(app, 'POST', '/debates', researcher, { disputeId: disputes[0]!.id, protocolId, judgeIds: [j.id] });
    expect(named.status).toBe(409);
    expect(named.body.message).toBe(`judgeIds: ${j.id} has seen the outcome of a debate on this item`);
    const chosen = await http(app, 'POST', '/debates', researcher, { disputeId: disputes[0]!.id, protocolId });
    expect(chosen.status).toBe(409);
    expect(chosen.body.message).toMatch(/0 judge users exist who have not seen an outcome on this item/);
    // A judge who has not judged it may be seated.
    const fresh = await userKey(app, 'judge');
    expect((await http(app, 'POST', '/debates', researcher, { disputeId: disputes[0]!.id, protocolId })).status).toBe(201);
    expect((await http<{ debateId: string }[]>(app, 'GET', '/assignments', fresh.key)).body).toHaveLength(1);
  });
});
