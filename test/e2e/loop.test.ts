import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DEBATE_PROTOCOL, type JudgeDebateView, type TurnView } from '#tribunal/contracts';
import { connectSocket, eventually, http, startTestApp, userKey, type TestApp, type TribunalClient } from '../support/app.js';
import { protocol, startDebate, worldDisputes } from '../support/factories.js';

/** Everything a judge receives, to check blinding on every payload. */
class JudgeSession {
  readonly received: unknown[] = [];
  readonly turns = new Map<number, TurnView>();
  readonly statuses: { status: string; awaiting: string | null }[] = [];
  readonly socket: TribunalClient;

  constructor(
    private readonly app: TestApp,
    readonly key: string,
  ) {
    this.socket = connectSocket(app, key);
    this.socket.onAny((_event, payload) => this.received.push(payload));
    this.socket.on('turn.created', ({ turn }) => this.turns.set(turn.index, turn));
    this.socket.on('debate.status', ({ status, awaiting }) => this.statuses.push({ status, awaiting }));
  }

  async get<T>(path: string): Promise<T> {
    const result = await http<T>(this.app, 'GET', path, this.key);
    this.received.push(result.body);
    expect(result.status, result.text).toBe(200);
    return result.body;
  }

  async join(debateId: string): Promise<JudgeDebateView> {
    const reply = await this.socket.timeout(10_000).emitWithAck('debate.join', { debateId });
    this.received.push(reply);
    if (!reply.ok) throw new Error(reply.error);
    for (const turn of reply.data.turns) this.turns.set(turn.index, turn);
    return reply.data;
  }

  async submitBySocket(debateId: string, stage: string, probabilities: number[], note: string) {
    const reply = await this.socket.timeout(10_000).emitWithAck('verdict.submit', { debateId, stage, probabilities, note });
    this.received.push(reply);
    return reply;
  }

  /** Polls the judge's own view until it awaits `stage`. */
  awaiting(debateId: string, stage: string): Promise<JudgeDebateView> {
    return eventually(`judge awaited at ${stage}`, async () => {
      const view = await this.get<JudgeDebateView>(`/debates/${debateId}`);
      return view.awaiting?.stage === stage ? view : undefined;
    });
  }
}

describe('the loop, end to end, on PostgreSQL', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('a judge follows a debate live and gives verdicts; the label reaches a pipeline; nothing blinded leaks', async () => {
    const researcher = await userKey(app, 'researcher');
    const pipeline = await userKey(app, 'pipeline');
    const [one, two] = [await userKey(app, 'judge'), await userKey(app, 'judge')];

    const dataset = await http(app, 'POST', '/datasets/world', researcher.key, { name: 'rooms', seed: 11, size: 30 });
    expect(dataset.status, dataset.text).toBe(201);
    const disputes = await http<{ id: string; itemId: string }[]>(app, 'POST', `/datasets/${dataset.body.id}/disputes`, researcher.key, {
      auditFraction: 0.3,
      minBlindCells: 3,
      seed: 5,
    });
    expect(disputes.status, disputes.text).toBe(201);
    expect(disputes.body.length).toBeGreaterThan(0);
    const protocol = await http(app, 'POST', '/protocols', researcher.key, {
      name: 'live-two-judges',
      spec: { ...DEFAULT_DEBATE_PROTOCOL, judges: { count: 2, kind: 'human' } },
    });
    expect(protocol.status, protocol.text).toBe(201);

    const judgeOne = new JudgeSession(app, one.key);
    const judgeTwo = new JudgeSession(app, two.key);
    const dispute = disputes.body[0]!;
    const started = await http(app, 'POST', '/debates', researcher.key, {
      disputeId: dispute.id,
      protocolId: protocol.body.id,
      judgeIds: [one.id, two.id],
    });
    expect(started.status, started.text).toBe(201);
    const debateId: string = started.body.id;

    const assignments = await judgeOne.get<{ debateId: string }[]>('/assignments');
    expect(assignments.map((a) => a.debateId)).toContain(debateId);
    const first = await judgeOne.join(debateId);
    await judgeTwo.join(debateId);
    expect(first.answers.length).toBe(5);
    expect(first.seats.map((s) => s.seat)).toEqual(['A', 'B']);

    // Round 0 ends; both judges give probabilities, one over the socket and one over HTTP.
    await judgeOne.awaiting(debateId, 'judge-1');
    const uniform = [0.2, 0.2, 0.2, 0.2, 0.2];
    expect(await judgeOne.submitBySocket(debateId, 'judge-1', uniform, 'judge-one-secret-note')).toMatchObject({ ok: true });
    expect(await judgeOne.submitBySocket(debateId, 'judge-1', uniform, 'again')).toMatchObject({ ok: true, data: { duplicate: true } });
    await judgeTwo.awaiting(debateId, 'judge-1');
    const viaHttp = await http(app, 'POST', `/debates/${debateId}/verdicts`, two.key, { stage: 'judge-1', probabilities: uniform });
    judgeTwo.received.push(viaHttp.body);
    expect(viaHttp.status, viaHttp.text).toBe(200);

    // Final verdicts: a clear-cut outcome on answer 2.
    await judgeOne.awaiting(debateId, 'final');
    const decisive = [0, 0.05, 0.9, 0.05, 0];
    expect(await judgeOne.submitBySocket(debateId, 'final', decisive, 'judge-one-final-secret')).toMatchObject({ ok: true });
    await judgeTwo.awaiting(debateId, 'final');
    expect(await judgeTwo.submitBySocket(debateId, 'final', [0, 0.1, 0.8, 0.1, 0], 'two')).toMatchObject({ ok: true });

    await eventually('the completed event', async () => judgeOne.statuses.some((s) => s.status === 'completed'));
    // Every speech streamed in, in the protocol's order: two rounds of seats A then B.
    expect([...judgeOne.turns.keys()].sort()).toEqual([0, 1, 2, 3]);
    expect([...judgeOne.turns.values()].sort((a, b) => a.index - b.index).map((t) => t.seat)).toEqual(['A', 'B', 'A', 'B']);

    // The pipeline pulls the label as NDJSON, and nothing after it.
    const pulled = await eventually('a label', async () => {
      const result = await http(app, 'GET', '/labels?after=0', pipeline.key);
      return result.text.trim() ? result : undefined;
    });
    expect(pulled.headers.get('content-type')).toContain('application/x-ndjson');
    const labels = pulled.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(labels).toHaveLength(1);
    expect(labels[0]).toMatchObject({ schemaVersion: 1, answer: 2, itemId: dispute.itemId, method: 'mean' });
    expect(labels[0].distribution[2]).toBeCloseTo(0.85);
    expect(labels[0].provenance.debates[0].id).toBe(debateId);
    expect(labels[0].provenance.verdicts).toHaveLength(2);
    const rest = await http(app, 'GET', `/labels?after=${labels[0].seq}`, pipeline.key);
    expect(rest.text).toBe('');

    // Blinding: what each judge received, all of it.
    const items = await http<{ id: string; simpleLabel: number; evidence: { id: string; text: string }[] }[]>(
      app,
      'GET',
      `/datasets/${dataset.body.id}/items?limit=1000`,
      researcher.key,
    );
    const item = items.body.find((i) => i.id === dispute.itemId)!;
    const cited = new Set([...judgeOne.turns.values()].flatMap((t) => t.citations.filter((c) => c.verified).map((c) => c.evidenceId)));
    for (const [session, otherNote] of [
      [judgeOne, 'two'],
      [judgeTwo, 'judge-one-'],
    ] as const) {
      const everything = JSON.stringify(session.received);
      // Four turns, the stage changes and the answers to their verdicts (built-in speeches, written whole, stream no deltas).
      expect(session.received.length).toBeGreaterThanOrEqual(8);
      for (const field of [
        'simpleLabel',
        'groundTruth',
        'agreesWithSimple',
        'meta',
        'features',
        'intended',
        'instrumental',
        'evidence',
        'trueCount',
        'hiddenCount',
      ]) {
        expect(everything, `a judge received "${field}"`).not.toContain(`"${field}":`);
      }
      expect(everything).not.toContain(`"note":"${otherNote}`);
      for (const unit of item.evidence) {
        if (!cited.has(unit.id)) expect(everything, `uncited evidence ${unit.id} reached a judge`).not.toContain(JSON.stringify(unit.text));
      }
    }
    judgeOne.socket.close();
    judgeTwo.socket.close();
  });

  it('runs a debate with simulated judges to a label without anyone watching', async () => {
    const researcher = await userKey(app, 'researcher');
    const { disputes } = await worldDisputes(app, researcher.key, { name: 'headless', seed: 3, size: 20 });
    const protocolId = await protocol(app, researcher.key, 'simulated');
    const debateId = await startDebate(app, researcher.key, { disputeId: disputes[0]!.id, protocolId });
    const ended = await eventually('the debate to end', async () => {
      const view = await http(app, 'GET', `/debates/${debateId}`, researcher.key);
      return view.body.status === 'completed' ? view.body : undefined;
    });
    expect(ended.turns).toHaveLength(4);
    expect(ended.turns.every((t: TurnView) => t.citations.every((c) => c.verified))).toBe(true);
  });
});
