import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DebaterDebateView } from '#tribunal/contracts';
import { connectSocket, eventually, http, startTestApp, userKey, type TestApp, type TribunalClient } from '../support/app.js';
import { protocol, startDebate, textDisputes } from '../support/factories.js';

const STORY = 'The butler signed the letter at dawn. The cook was away at the market all morning.';

describe('people who speak for manual seats', () => {
  let app: TestApp;
  let researcher: string;
  let disputes: string[];
  const sockets: TribunalClient[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    researcher = (await userKey(app, 'researcher')).key;
    disputes = await textDisputes(app, researcher, 'letters', STORY, 6);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await app?.close();
  });

  it('seats the named debaters, refuses anyone else their seat, and lists the debate in their queue', async () => {
    const [ada, bo, judge] = [await userKey(app, 'debater', 'ada'), await userKey(app, 'debater', 'bo'), await userKey(app, 'judge')];
    const protocolId = await protocol(app, researcher, 'two-people', {
      debaters: [{ backend: 'manual', deadlineSeconds: 3600 }, { backend: 'manual' }],
      judges: { count: 1, kind: 'human', context: 'hidden' },
    });
    const refused = async (body: Record<string, unknown>, message: string) => {
      const answer = await http(app, 'POST', '/debates', researcher, { disputeId: disputes[0], protocolId, ...body });
      expect(answer.status, answer.text).toBe(400);
      expect(answer.body.message).toContain(message);
    };
    await refused({ debaterIds: [ada.id] }, 'debaterIds must name 2 distinct debaters, one per manual seat');
    await refused({ debaterIds: [ada.id, ada.id] }, 'debaterIds must name 2 distinct debaters');
    await refused({ debaterIds: [ada.id, judge.id] }, `debaterIds: ${judge.id} is not a debater`);

    const debateId = await startDebate(app, researcher, {
      disputeId: disputes[0]!,
      protocolId,
      judgeIds: [judge.id],
      debaterIds: [ada.id, bo.id],
    });
    const seat = await eventually('the first speech to be asked of ada', async () => {
      const view = await http<DebaterDebateView>(app, 'GET', `/debates/${debateId}/seat`, ada.key);
      return view.body.speaking ? view.body : undefined;
    });
    expect(seat.seat).toBe('A');
    expect(seat.evidence).toEqual([{ id: 'story', kind: 'passage', text: STORY }]);
    expect(seat.speaking).toMatchObject({ index: 0, simultaneous: false, limits: { chars: 1200 } });
    // The first speech is due an hour after the debate started.
    const started = (await http(app, 'GET', '/debates', researcher)).body.find((d: { id: string }) => d.id === debateId).createdAt;
    expect(Date.parse(seat.speaking!.dueAt!) - Date.parse(started)).toBe(3600 * 1000);
    const queue = await http(app, 'GET', '/assignments', ada.key);
    expect(queue.body).toEqual([expect.objectContaining({ debateId, awaiting: 'speech', question: 'Who wrote the letter?' })]);
    expect((await http(app, 'GET', '/assignments', bo.key)).body).toEqual([expect.objectContaining({ debateId, awaiting: null })]);

    // Nobody speaks for a seat but its holder: not the other debater, not a researcher, not a stranger.
    const speak = (key: string, seatName: string, text: string) =>
      http(app, 'POST', `/debates/${debateId}/speeches`, key, { seat: seatName, text });
    expect((await speak(bo.key, 'A', 'mine now')).status).toBe(403);
    expect((await speak(researcher, 'A', 'mine now')).body.message).toBe('seat A is held by a debater; only they speak for it');
    const stranger = await userKey(app, 'debater');
    expect((await speak(stranger.key, 'A', 'hello')).body.message).toBe(`you do not speak in debate ${debateId}`);
    expect((await http(app, 'GET', `/debates/${debateId}/seat`, stranger.key)).status).toBe(403);
    // A debater does not follow the debate as a judge does.
    expect((await http(app, 'GET', `/debates/${debateId}`, ada.key)).status).toBe(403);
    const socket = connectSocket(app, ada.key);
    sockets.push(socket);
    expect(await socket.timeout(5000).emitWithAck('debate.join', { debateId })).toMatchObject({ ok: false, status: 403 });

    // Over the limit: refused, naming it; then spoken, with a quotation the server verifies.
    expect((await speak(ada.key, 'A', 'x'.repeat(1201))).body.message).toContain('the speech is 1201 characters; the limit is 1200');
    const updates: string[] = [];
    socket.on('seat.update', ({ debateId: id }) => updates.push(id));
    const joined = await socket.timeout(5000).emitWithAck('seat.join', { debateId });
    expect(joined).toMatchObject({ ok: true, data: { seat: 'A', speaking: { index: 0 } } });
    const spoken = await speak(ada.key, 'A', 'It was the butler: <quote>the butler signed the letter</quote>.');
    expect(spoken.status, spoken.text).toBe(201);
    await eventually('the seats to hear that the debate moved', async () => updates.length > 0);
    // What reaches the seats' room says nothing of what was said.
    const judgeView = await http(app, 'GET', `/debates/${debateId}`, judge.key);
    expect(judgeView.body.turns[0].citations).toEqual([expect.objectContaining({ kind: 'quote', verified: true })]);
    expect(judgeView.body.context).toEqual({});
    expect(judgeView.text).not.toContain('at the market');
    for (const hidden of [ada.id, bo.id, 'ada', '"bo"', 'userId']) expect(judgeView.text).not.toContain(hidden);
    const researcherView = await http(app, 'GET', `/debates/${debateId}/sources`, researcher);
    expect(researcherView.body.quotes).toEqual([{ turn: 0, seat: 'A', at: [19, 62], evidenceId: 'story', span: [0, 28] }]);
    expect((await http(app, 'GET', `/debates/${debateId}/sources`, judge.key)).status).toBe(403);
  });

  it("fails the debate when a person's speech is not given by the protocol's deadline, saying so", async () => {
    const ada = await userKey(app, 'debater');
    const protocolId = await protocol(app, researcher, 'timed-speech', {
      kind: 'consultancy',
      assignment: 'random',
      debaters: [{ backend: 'manual', deadlineSeconds: 1 }],
      judges: { count: 1, kind: 'simulated' },
    });
    const debateId = await startDebate(app, researcher, { disputeId: disputes[1]!, protocolId, debaterIds: [ada.id] });
    const failed = await eventually('the debate to fail', async () => {
      const summary = (await http(app, 'GET', '/debates?status=failed', researcher)).body as { id: string; failureReason: string }[];
      return summary.find((d) => d.id === debateId);
    });
    expect(failed.failureReason).toBe('debater A did not give speech 0 within 1 s');
  });

  it('refuses a deadline on a seat no person speaks for, naming the field', async () => {
    const answer = await http(app, 'POST', '/protocols', researcher, {
      name: 'timed-machine',
      spec: {
        ...(await http(app, 'GET', '/protocols/presets', researcher)).body['khan-2024-debate'],
        debaters: [{ backend: 'builtin', deadlineSeconds: 5 }, { backend: 'builtin' }],
      },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toContain('spec.debaters.0: deadlineSeconds applies to manual debaters (people)');
  });
});
