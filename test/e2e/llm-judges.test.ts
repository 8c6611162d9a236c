import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs, eventually, http, sql, startTestApp, userKey, type LogRecord, type TestApp } from '../support/app.js';
import { protocol, SPEECHES_JUDGE_SPEECHES, startDebate, worldDisputes } from '../support/factories.js';
import { FakeLlm, type ChatRequest, type Reply } from '../support/fake-llm.js';

/** The answers of the item a judge prompt is about. */
function answersOf(request: ChatRequest): string[] {
  const line = /^Answers: (.*)$/m.exec(request.messages[0]!.content)![1]!;
  return [...line.matchAll(/\d+: "([^"]*)"/g)].map((m) => m[1]!);
}

/** A judge model sure of the second answer; in free text it writes a sentence around the JSON, as models do. */
function judgeReply(request: ChatRequest): Reply {
  const width = answersOf(request).length;
  const verdict = JSON.stringify({
    probabilities: Array.from({ length: width }, (_, i) => (i === 1 ? 0.6 : 0.4 / (width - 1))),
    note: 'the verified readings point to the second answer',
  });
  return { text: request.response_format ? verdict : `Having read both debaters, my verdict: ${verdict}` };
}

describe('judge models asked for structured output, and through free text where the endpoint refuses it', () => {
  let structured: FakeLlm;
  let plain: FakeLlm;
  let app: TestApp;
  let logs: LogRecord[];
  let researcher: string;
  let disputes: { id: string }[];

  beforeAll(async () => {
    structured = await new FakeLlm(judgeReply, 'honour').start();
    plain = await new FakeLlm(judgeReply, 'refuse').start();
    app = await startTestApp({
      TRIBUNAL_ENDPOINTS: JSON.stringify({
        structured: { baseUrl: structured.url, timeoutSeconds: 30 },
        plain: { baseUrl: plain.url, timeoutSeconds: 30 },
      }),
    });
    logs = captureLogs(app);
    researcher = (await userKey(app, 'researcher')).key;
    ({ disputes } = await worldDisputes(app, researcher, { name: 'model-judges', seed: 16, size: 6 }));
  });
  afterAll(async () => {
    await app?.close();
    await structured?.stop();
    await plain?.stop();
  });

  /** Runs a debate judged by model "judge" on the endpoint to its end; returns its id, its verdicts and what its log says of the judge. */
  async function judgedDebate(endpoint: string, dispute: number) {
    const protocolId = await protocol(app, researcher, `judged-on-${endpoint}`, {
      ...SPEECHES_JUDGE_SPEECHES,
      judges: { count: 1, kind: 'llm', endpoint, model: 'judge' },
    });
    const debateId = await startDebate(app, researcher, { disputeId: disputes[dispute]!.id, protocolId });
    const ended = await eventually('the debate to end', async () => {
      const view = await http(app, 'GET', `/debates/${debateId}`, researcher);
      return ['completed', 'failed'].includes(view.body.status) ? view.body : undefined;
    });
    expect(ended.status, ended.failureReason).toBe('completed');
    const verdicts = await sql<{ stage: string; probabilities: number[]; note: string | null }>(
      app,
      'SELECT stage, probabilities, note FROM verdicts WHERE debate_id = $1 ORDER BY created_at',
      [debateId],
    );
    const said = logs.filter((r) => r.context === 'Debates' && r.message.startsWith(`debate ${debateId}: judge model`));
    return { debateId, verdicts, said: said.map((r) => ({ level: r.level, message: r.message.slice(`debate ${debateId}: `.length) })) };
  }

  /** The verdict the script gives, for an item with `width` answers. */
  const expected = (width: number) => Array.from({ length: width }, (_, i) => (i === 1 ? 0.6 : 0.4 / (width - 1)));

  it("judges through response_format's JSON schema where the endpoint honours it, and says so in the debate's log", async () => {
    const { verdicts, said } = await judgedDebate('structured', 0);
    expect(said).toEqual([
      {
        level: 'log',
        message:
          'judge model "judge" (endpoint "structured", slot 0, stage judge-1) answered through structured output (response_format json_schema)',
      },
      {
        level: 'log',
        message:
          'judge model "judge" (endpoint "structured", slot 0, stage final) answered through structured output (response_format json_schema)',
      },
    ]);
    expect(structured.requests).toHaveLength(2);
    for (const request of structured.requests) {
      const width = answersOf(request).length;
      expect(request.response_format).toMatchObject({
        type: 'json_schema',
        json_schema: { strict: true, schema: { properties: { probabilities: { minItems: width, maxItems: width } } } },
      });
    }
    const width = answersOf(structured.requests[0]!).length;
    expect(verdicts.map((v) => v.stage)).toEqual(['judge-1', 'final']);
    for (const verdict of verdicts) {
      expect(verdict.note).toBe('the verified readings point to the second answer');
      verdict.probabilities.forEach((p, i) => expect(p).toBeCloseTo(expected(width)[i]!, 9));
    }
  });

  it("parses free text where the endpoint refuses response_format, asks that endpoint without it from then on, and says so in the debate's log", async () => {
    const { verdicts, said } = await judgedDebate('plain', 1);
    expect(said).toEqual([
      {
        level: 'warn',
        message:
          'judge model "judge" (endpoint "plain", slot 0, stage judge-1) was refused response_format by the endpoint ' +
          "(400 Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.); answered in free text, parsed",
      },
      {
        level: 'log',
        message:
          'judge model "judge" (endpoint "plain", slot 0, stage final) answered in free text, parsed (the endpoint refused response_format earlier in this process)',
      },
    ]);
    // One refused attempt, then the prompt alone: the same prompt each time.
    expect(plain.requests.map((r) => r.response_format?.type ?? 'none')).toEqual(['json_schema', 'none', 'none']);
    expect(plain.requests[1]!.messages).toEqual(plain.requests[0]!.messages);
    const width = answersOf(plain.requests[0]!).length;
    expect(verdicts.map((v) => v.stage)).toEqual(['judge-1', 'final']);
    for (const verdict of verdicts) {
      expect(verdict.note).toBe('the verified readings point to the second answer');
      verdict.probabilities.forEach((p, i) => expect(p).toBeCloseTo(expected(width)[i]!, 9));
    }
    // The other endpoint is still asked for structured output.
    const before = structured.requests.length;
    await judgedDebate('structured', 2);
    expect(structured.requests.slice(before).map((r) => r.response_format?.type)).toEqual(['json_schema', 'json_schema']);
  });
});
