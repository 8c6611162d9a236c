import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeLlm, schemaProblem, type ChatRequest, type JsonSchema, type Reply } from '../../../test/support/fake-llm.js';
import {
  describeJudgeOutput,
  judgeResponseFormat,
  judgeSchema,
  LlmJudge,
  parseJudgeReply,
  responseFormatRefusal,
  type LlmJudgeInput,
  type LlmJudgeOptions,
} from '../src/index.js';

const INPUT: LlmJudgeInput = {
  question: 'Which room is the sensor in?',
  answers: ['kitchen', 'hall', 'attic'],
  context: 'a floor plan',
  turns: [{ seat: 'A', answer: 1, text: 'The hall: <v_quote>door opens</v_quote>.' }],
};

const VERDICT = JSON.stringify({ probabilities: [0.2, 0.6, 0.2], note: 'the verified quote points to the hall' });

describe('the reply schema a judge model is asked for', () => {
  it('asks for one probability from 0 to 1 per answer and a note, strictly', () => {
    const format = judgeResponseFormat(3);
    expect(format.type).toBe('json_schema');
    expect(format.json_schema.name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(format.json_schema.strict).toBe(true);
    expect(format.json_schema.schema).toEqual(judgeSchema(3));
    expect(judgeSchema(4)).toMatchObject({
      type: 'object',
      properties: {
        probabilities: { type: 'array', items: { type: 'number', minimum: 0, maximum: 1 }, minItems: 4, maxItems: 4 },
        note: { type: 'string' },
      },
      required: ['probabilities', 'note'],
      additionalProperties: false,
    });
  });

  it('is met by a verdict, and broken by the wrong number of answers, a value out of range or a missing note', () => {
    const schema = judgeSchema(3) as JsonSchema;
    expect(schemaProblem(JSON.parse(VERDICT), schema)).toBeNull();
    expect(schemaProblem({ probabilities: [0.5, 0.5], note: '' }, schema)).toMatch(/fewer than 3/);
    expect(schemaProblem({ probabilities: [0.5, 0.5, 0, 0], note: '' }, schema)).toMatch(/more than 3/);
    expect(schemaProblem({ probabilities: [1.5, 0, 0], note: '' }, schema)).toMatch(/probabilities\[0\] is above 1/);
    expect(schemaProblem({ probabilities: [1, 0, 0] }, schema)).toMatch(/note is missing/);
    expect(schemaProblem({ probabilities: [1, 0, 0], note: '', extra: 1 }, schema)).toMatch(/extra is not in the schema/);
  });
});

describe('parseJudgeReply', () => {
  it('reads the first JSON object, in prose or alone, and normalises the probabilities', () => {
    expect(parseJudgeReply(VERDICT, 3)).toEqual({ probabilities: [0.2, 0.6, 0.2], note: 'the verified quote points to the hall' });
    expect(parseJudgeReply('Sure! ```json\n{"probabilities": [2, 1, 1]}\n```', 3)).toEqual({
      probabilities: [0.5, 0.25, 0.25],
      note: null,
    });
  });

  it('refuses a reply with no JSON, bad JSON, the wrong number of probabilities, or all zero', () => {
    expect(() => parseJudgeReply('I think it is the kitchen.', 3)).toThrow(/holds no JSON object/);
    expect(() => parseJudgeReply('{"probabilities": [0.5, }', 3)).toThrow(/not valid JSON/);
    expect(() => parseJudgeReply('{"probabilities": [0.5, 0.5]}', 3)).toThrow(/must be 3 non-negative numbers, got \[0.5,0.5\]/);
    expect(() => parseJudgeReply('{"probabilities": [0.5, -0.5, 1]}', 3)).toThrow(/non-negative/);
    expect(() => parseJudgeReply('{"probabilities": [0, 0, 0]}', 3)).toThrow(/zero probability/);
  });
});

describe('what counts as an endpoint refusing response_format', () => {
  let llm: FakeLlm;
  let client: OpenAI;
  let failure: Reply = {};
  beforeAll(async () => {
    llm = await new FakeLlm(() => failure).start();
    client = new OpenAI({ baseURL: llm.url, apiKey: 'none', maxRetries: 0 });
  });
  afterAll(() => llm.stop());

  /** The error the openai client throws for a server's answer. */
  async function errorFor(status: number, body: unknown): Promise<unknown> {
    failure = { status, body };
    return client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }).then(
      () => expect.unreachable('the request should fail'),
      (error: unknown) => error,
    );
  }

  it('is a 400 or 422 naming response_format or a JSON schema, in the words of OpenAI, vLLM, llama.cpp and FastAPI servers', async () => {
    const refusals: [number, unknown][] = [
      [
        400,
        {
          error: {
            message: "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.",
            type: 'invalid_request_error',
            param: 'response_format',
            code: null,
          },
        },
      ],
      [
        400,
        {
          error: {
            message: "Unsupported parameter: 'response_format' is not supported with this model.",
            type: 'invalid_request_error',
            param: 'response_format',
            code: 'unsupported_parameter',
          },
        },
      ],
      [
        400,
        {
          error: {
            message:
              "Invalid schema for response_format 'verdict': In context=('properties', 'probabilities'), 'minItems' is not permitted.",
            type: 'invalid_request_error',
            param: 'response_format',
            code: null,
          },
        },
      ],
      // vLLM's own error body, without an `error` wrapper.
      [
        400,
        {
          object: 'error',
          message: "1 validation error: ('body', 'response_format', 'type') Input should be 'text' or 'json_object'",
          type: 'BadRequestError',
          param: null,
          code: 400,
        },
      ],
      [
        400,
        {
          object: 'error',
          message: 'The provided JSON schema contains features not supported by xgrammar.',
          type: 'BadRequestError',
          code: 400,
        },
      ],
      [
        400,
        {
          error: {
            code: 400,
            message: 'response_format type must be one of "text" or "json_object", but got: json_schema',
            type: 'invalid_request_error',
          },
        },
      ],
      [422, { detail: [{ loc: ['body', 'response_format'], msg: 'extra fields not permitted', type: 'value_error.extra' }] }],
    ];
    for (const [status, body] of refusals) {
      const refusal = responseFormatRefusal(await errorFor(status, body));
      expect(refusal, JSON.stringify(body)).toMatch(new RegExp(`^${status} `));
    }
    expect(responseFormatRefusal(await errorFor(...refusals[0]!))).toContain("'response_format' of type 'json_schema' is not supported");
  });

  it('is not any other error: a 400 about something else, a server error, a rate limit, or no answer at all', async () => {
    const others: [number, unknown][] = [
      [
        400,
        {
          error: {
            message: "This model's maximum context length is 8192 tokens.",
            type: 'invalid_request_error',
            param: 'messages',
            code: 'context_length_exceeded',
          },
        },
      ],
      [400, { error: { message: "Unsupported parameter: 'temperature' is not supported with this model.", param: 'temperature' } }],
      [500, { error: { message: 'response_format handling crashed', type: 'server_error' } }],
      [503, { error: { message: 'json_schema compiler overloaded' } }],
      [429, { error: { message: 'Rate limit reached for requests with response_format' } }],
      [401, { error: { message: 'Incorrect API key provided' } }],
    ];
    for (const [status, body] of others) expect(responseFormatRefusal(await errorFor(status, body)), JSON.stringify(body)).toBeNull();
    expect(responseFormatRefusal(new Error('response_format'))).toBeNull();
    const unreachable = new OpenAI({ baseURL: 'http://127.0.0.1:1/v1', apiKey: 'none', maxRetries: 0 });
    const connection = await unreachable.chat.completions.create({ model: 'm', messages: [] }).catch((error: unknown) => error);
    expect(responseFormatRefusal(connection)).toBeNull();
  });
});

describe('LlmJudge asking for structured output, and falling back to free text', () => {
  const servers: FakeLlm[] = [];
  /** A judge model on a server that honours or refuses response_format, answering `reply` (a verdict by default). */
  async function endpoint(support: 'honour' | 'refuse', reply: (request: ChatRequest) => Reply = () => ({ text: VERDICT })) {
    const llm = await new FakeLlm(reply, support).start();
    servers.push(llm);
    const client = new OpenAI({ baseURL: llm.url, apiKey: 'none', maxRetries: 0 });
    const refusals = new Map<string, string>();
    const judge = (options: Partial<LlmJudgeOptions> = {}) =>
      new LlmJudge(client, { model: 'judge', timeoutMs: 5000, refusals, ...options });
    return { llm, refusals, judge };
  }
  afterAll(() => Promise.all(servers.map((s) => s.stop())));

  it('asks with the schema for as many answers as the item has, and reads the constrained reply', async () => {
    const { llm, judge } = await endpoint('honour');
    const verdict = await judge().judge(INPUT);
    expect(verdict).toEqual({
      probabilities: [0.2, 0.6, 0.2],
      note: 'the verified quote points to the hall',
      output: { via: 'json_schema' },
    });
    expect(llm.requests).toHaveLength(1);
    expect(llm.requests[0]!.response_format).toEqual(judgeResponseFormat(3));
    expect(llm.requests[0]!.messages[0]!.content).toContain('1: "hall"');
    expect(describeJudgeOutput(verdict.output)).toBe('answered through structured output (response_format json_schema)');
  });

  it('falls back to the prompt alone where the endpoint refuses, and goes straight to it for that model afterwards', async () => {
    const { llm, refusals, judge } = await endpoint('refuse');
    const first = await judge().judge(INPUT);
    expect(first.probabilities).toEqual([0.2, 0.6, 0.2]);
    expect(first.output).toMatchObject({ via: 'text', because: 'refused' });
    expect(describeJudgeOutput(first.output)).toMatch(
      /^was refused response_format by the endpoint \(400 Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model\.\); answered in free text, parsed$/,
    );
    expect(llm.requests.map((r) => r.response_format?.type ?? 'none')).toEqual(['json_schema', 'none']);
    expect(llm.requests[1]!.messages).toEqual(llm.requests[0]!.messages);
    expect([...refusals.keys()]).toEqual(['judge']);

    // Another judge on the same endpoint and model skips the failing attempt.
    const second = await judge().judge(INPUT);
    expect(second.output).toMatchObject({ via: 'text', because: 'refused-before' });
    expect(describeJudgeOutput(second.output)).toBe(
      'answered in free text, parsed (the endpoint refused response_format earlier in this process)',
    );
    expect(llm.requests.map((r) => r.response_format?.type ?? 'none')).toEqual(['json_schema', 'none', 'none']);

    // A model the endpoint has not refused yet is asked with the schema first.
    await judge({ model: 'other' }).judge(INPUT);
    expect(llm.requests.slice(3).map((r) => [r.model, r.response_format?.type ?? 'none'])).toEqual([
      ['other', 'json_schema'],
      ['other', 'none'],
    ]);
  });

  it('never sends response_format to an endpoint set to text, and never falls back on one set to json_schema', async () => {
    const refusing = await endpoint('refuse');
    const text = await refusing.judge({ responseFormat: 'text' }).judge(INPUT);
    expect(text.output).toEqual({ via: 'text', because: 'configured' });
    expect(refusing.llm.requests.map((r) => r.response_format)).toEqual([undefined]);

    await expect(refusing.judge({ responseFormat: 'json_schema' }).judge(INPUT)).rejects.toThrow(
      /^the endpoint refused response_format, and is set to responseFormat "json_schema": 400 Invalid parameter: 'response_format'/,
    );
    expect(refusing.llm.requests).toHaveLength(2);
    expect(refusing.refusals.size).toBe(0);
  });

  it('does not fall back on other failures: they are thrown for the queue to retry, and nothing is remembered', async () => {
    const failing = await endpoint('honour', () => ({ status: 503 }));
    await expect(failing.judge().judge(INPUT)).rejects.toThrow(/^503 scripted failure 503/);
    expect(failing.llm.requests).toHaveLength(1);
    expect(failing.refusals.size).toBe(0);

    const declining = await endpoint('honour', () => ({ refusal: 'I cannot judge this.' }));
    await expect(declining.judge().judge(INPUT)).rejects.toThrow('the judge model declined to answer: I cannot judge this.');

    // A server that takes response_format but ignores it: the reply is still read if it holds the verdict.
    const ignoring = await endpoint('honour', () => ({ text: `My verdict: ${VERDICT}`, unconstrained: true }));
    expect(await ignoring.judge().judge(INPUT)).toMatchObject({ probabilities: [0.2, 0.6, 0.2], output: { via: 'json_schema' } });
    const rambling = await endpoint('honour', () => ({ text: 'I think it is the kitchen.', unconstrained: true }));
    await expect(rambling.judge().judge(INPUT)).rejects.toThrow(/holds no JSON object/);
    expect(rambling.refusals.size).toBe(0);
  });
});
