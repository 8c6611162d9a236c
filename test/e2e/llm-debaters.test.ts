import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProtocolSpec, TurnView } from '#tribunal/contracts';
import { connectSocket, eventually, http, startTestApp, userKey, type TestApp } from '../support/app.js';
import { protocol, startDebate, worldDisputes } from '../support/factories.js';
import { assignedAnswer, FakeLlm, type ChatRequest, type Reply } from '../support/fake-llm.js';

/** A speech quoting one real sensor reading exactly, one invented reading, and citing a sensor by id. */
function speech(request: ChatRequest, tag = ''): string {
  const [, id, reading] = /\[\[(s-\d+-\d+)\]\] (Sensor at [^\n]+)/.exec(request.messages[0]!.content)!;
  return `${tag}I argue for "${assignedAnswer(request)}". Look: <quote>${reading!.toUpperCase()}</quote> and <quote>a sofa made of cheese</quote>, see [[${id}]].`;
}

/** The answer index a judge prompt's last speech argues, and that speech. */
function lastArgument(request: ChatRequest): { answer: number; text: string } {
  const prompt = request.messages[0]!.content;
  const answers = [...prompt.matchAll(/(\d+): "([^"]*)"/g)].map((m) => m[2]!);
  const speeches = [...prompt.matchAll(/Debater [A-H] \(arguing "([^"]*)"\):\n([^]*?)(?=\n\nDebater |\n\nReply with JSON)/g)];
  const last = speeches.at(-1)!;
  return { answer: answers.indexOf(last[1]!), text: last[2]! };
}

function oneHot(at: number, p: number, width = 5): number[] {
  return Array.from({ length: width }, (_, i) => (i === at ? p : (1 - p) / (width - 1)));
}

const seen = new Map<string, number>();
/** Counts requests per debater model and seat, so a fault can hit only the first attempt. */
function attempt(request: ChatRequest): number {
  const key = `${request.model}:${request.messages[0]!.content.slice(0, 40)}:${request.messages[1]?.content.length}`;
  const n = seen.get(key) ?? 0;
  seen.set(key, n + 1);
  return n;
}

function script(request: ChatRequest): Reply {
  if (request.model === 'judge') return { text: JSON.stringify({ probabilities: oneHot(2, 0.9), note: 'the cited readings settle it' }) };
  if (request.model === 'rater') {
    const { answer, text } = lastArgument(request);
    return { text: JSON.stringify({ probabilities: oneHot(answer, text.includes('candidate-1') ? 0.9 : 0.3), note: 'rated' }) };
  }
  if (!request.stream) return { text: [0, 1, 2].map((i) => speech(request, `candidate-${i}: `)) };
  const first = attempt(request) === 0;
  switch (request.model) {
    case 'flaky':
      return first ? { status: 500 } : { text: speech(request) };
    case 'broken':
      return { status: 503 };
    case 'garbled':
      return first ? { text: speech(request), malformedAfter: 1 } : { text: speech(request) };
    case 'cut':
      return first ? { text: speech(request), closeAfter: 2 } : { text: speech(request) };
    case 'slow':
      return first ? { hang: true } : { text: speech(request) };
    case 'verbose':
      return request.messages[1]!.content.includes('was refused')
        ? { text: speech(request, 'Briefly: ') }
        : { text: speech(request) + ' blah'.repeat(400) };
    default:
      return { text: speech(request), chunkSize: 6, delayMs: 15 };
  }
}

const openai = (model: string, extra: Partial<ProtocolSpec['debaters'][number]> = {}) => ({
  backend: 'openai' as const,
  endpoint: 'fake',
  model,
  ...extra,
});

describe('debaters and judges behind an OpenAI-compatible endpoint', () => {
  let llm: FakeLlm;
  let app: TestApp;
  let researcher: string;
  let disputes: { id: string }[];

  beforeAll(async () => {
    llm = await new FakeLlm(script).start();
    app = await startTestApp({
      TRIBUNAL_ENDPOINTS: JSON.stringify({ fake: { baseUrl: llm.url, apiKey: 'test-key', timeoutSeconds: 30 } }),
      TRIBUNAL_JOB_RETRIES: '2',
      TRIBUNAL_JOB_RETRY_DELAY_SECONDS: '1',
    });
    researcher = (await userKey(app, 'researcher')).key;
    ({ disputes } = await worldDisputes(app, researcher, { name: 'llm', seed: 21, size: 12 }));
  });
  afterAll(async () => {
    await app?.close();
    await llm?.stop();
  });

  it('streams speeches into the room, verifies quotations, and shows each debater only what it may see', async () => {
    const protocolId = await protocol(app, researcher, 'llm-live', {
      kind: 'debate',
      structure: {
        opening: [{ type: 'simultaneous' }],
        repeating: [{ type: 'judge', visibleToDebaters: true }, { type: 'sequential' }],
        closing: [],
      },
      end: { maxRepeats: 1, judgeMayEnd: false },
      limits: { chars: 1500, quoteChars: 200, citations: 3, overLimit: 'truncate' },
      debaters: [openai('streamer'), openai('streamer')],
    });
    const observer = connectSocket(app, researcher);
    const deltas = new Map<number, string>();
    const turns: TurnView[] = [];
    observer.on('turn.delta', ({ index, offset, text }) => deltas.set(index, (offset === 0 ? '' : (deltas.get(index) ?? '')) + text));
    observer.on('turn.created', ({ turn }) => turns.push(turn));
    await new Promise<void>((resolve) => observer.on('connect', () => resolve()));
    const debateId = await startDebate(app, researcher, { disputeId: disputes[0]!.id, protocolId });
    expect(await observer.timeout(5000).emitWithAck('debate.join', { debateId })).toMatchObject({ ok: true });
    await eventually('four speeches', async () => turns.length === 4, 30_000);

    // Sequential speeches streamed in pieces, which add up to the persisted speech. The simultaneous
    // openings are not streamed: they reach the room together once both are given, in seat order,
    // bearing the same moment, so that which was written first tells a judge nothing.
    for (const turn of turns) if (deltas.has(turn.index)) expect(deltas.get(turn.index)).toBe(turn.text);
    expect([...deltas.keys()].sort()).toEqual([2, 3]);
    expect(turns.slice(0, 2).map((t) => t.index)).toEqual([0, 1]);
    expect(turns[0]!.createdAt).toBe(turns[1]!.createdAt);
    const snapshot = (await http(app, 'GET', `/debates/${debateId}`, researcher)).body as { turns: TurnView[] };
    expect(snapshot.turns.slice(0, 2).map((t) => t.createdAt)).toEqual([turns[0]!.createdAt, turns[0]!.createdAt]);
    const first = turns.find((t) => t.index === 0)!;
    expect(first.citations.map((c) => [c.kind, c.verified])).toEqual([
      ['quote', true],
      ['quote', false],
      ['evidence', true],
    ]);
    expect(first.citations[1]!.excerpt).toBeNull();

    // Simultaneous openers saw nothing of each other; the sequential second speaker saw the first, and the judge's feedback.
    const requests = llm.speechRequests.filter((r) => r.model === 'streamer');
    const openers = requests.slice(0, 2);
    for (const r of openers) expect(r.messages[1]!.content).toContain('(nothing has been said yet)');
    const lastRequest = requests.at(-1)!;
    const third = turns.find((t) => t.index === 2)!;
    expect(lastRequest.messages[1]!.content).toContain(third.text);
    expect(lastRequest.messages[1]!.content).toContain('Judge (judge-1)');
    expect(requests.every((r) => r.messages[0]!.content.includes('You argue that the answer is'))).toBe(true);

    const ended = await eventually('the debate to end', async () => {
      const view = await http(app, 'GET', `/debates/${debateId}`, researcher);
      return view.body.status === 'completed' ? view.body : undefined;
    });
    expect(ended.drafts).toEqual([]);
    observer.close();
  });

  it('retries failed, garbled, cut and stalled streams, and fails a debate whose endpoint keeps failing, with the reason', async () => {
    const started: Record<string, string> = {};
    for (const [i, model] of ['flaky', 'garbled', 'cut', 'slow', 'broken', 'verbose'].entries()) {
      const protocolId = await protocol(app, researcher, `faults-${model}`, {
        kind: 'consultancy',
        assignment: 'random',
        structure: { opening: [], repeating: [{ type: 'sequential' }], closing: [] },
        end: { maxRepeats: 1, judgeMayEnd: false },
        limits: { chars: 400, citations: 3, overLimit: 'retry', retries: 1 },
        speechTimeoutSeconds: 2,
        debaters: [openai(model)],
      });
      started[model] = await startDebate(app, researcher, { disputeId: disputes[1 + i]!.id, protocolId });
    }
    const outcome = async (model: string) =>
      eventually(
        `the ${model} debate to end`,
        async () => {
          const { body } = await http(app, 'GET', `/debates?limit=100`, researcher);
          const debate = (body as { id: string; status: string; failureReason: string | null }[]).find((d) => d.id === started[model]);
          return debate && ['completed', 'failed'].includes(debate.status) ? debate : undefined;
        },
        45_000,
      );
    for (const model of ['flaky', 'garbled', 'cut', 'slow', 'verbose']) expect((await outcome(model)).status, model).toBe('completed');
    const broken = await outcome('broken');
    expect(broken.status).toBe('failed');
    expect(broken.failureReason).toMatch(/gave up after 3 attempts: 503/);
    const verbose = await http(app, 'GET', `/debates/${started.verbose}`, researcher);
    expect(verbose.body.turns[0].text).toMatch(/^Briefly: /);
    expect(llm.requests.some((r) => r.model === 'verbose' && r.messages[1]!.content.includes('the limit is 400'))).toBe(true);
  });

  it('keeps the best of several candidate speeches by a judge model, and lets a model judge', async () => {
    const protocolId = await protocol(app, researcher, 'best-of', {
      debaters: [
        openai('sampler', { bestOf: { n: 3, endpoint: 'fake', model: 'rater' } }),
        openai('sampler', { bestOf: { n: 3, endpoint: 'fake', model: 'rater' } }),
      ],
      judges: { count: 1, kind: 'llm', endpoint: 'fake', model: 'judge' },
    });
    const pipeline = (await userKey(app, 'pipeline')).key;
    const debateId = await startDebate(app, researcher, { disputeId: disputes[8]!.id, protocolId });
    const ended = await eventually(
      'the best-of debate to end',
      async () => {
        const view = await http(app, 'GET', `/debates/${debateId}`, researcher);
        return view.body.status === 'completed' || view.body.status === 'failed' ? view.body : undefined;
      },
      30_000,
    );
    expect(ended.status).toBe('completed');
    expect(ended.turns).toHaveLength(4);
    for (const turn of ended.turns as TurnView[]) expect(turn.text).toMatch(/^candidate-1: /);
    expect(llm.requests.filter((r) => r.model === 'sampler' && r.n === 3).length).toBe(4);
    const labels = (await http(app, 'GET', '/labels?after=0&limit=1000', pipeline)).text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(labels.find((l) => l.provenance.debates[0].id === debateId)).toMatchObject({ answer: 2 });
  });

  it('refuses a protocol naming an endpoint that is not configured', async () => {
    const refused = await http(app, 'POST', '/protocols', researcher, {
      name: 'nowhere',
      spec: {
        ...(await http(app, 'GET', '/protocols/presets', researcher)).body['khan-2024-debate'],
        debaters: [openai('m', { endpoint: 'nowhere' }), openai('m')],
      },
    });
    expect(refused.status, refused.text).toBe(400);
    expect(refused.body.message, refused.text).toContain(
      'spec.debaters.0.endpoint "nowhere" is not configured (TRIBUNAL_ENDPOINTS has fake)',
    );
  });
});
