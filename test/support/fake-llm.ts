import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  stream?: boolean;
  n?: number;
  max_tokens?: number;
  temperature?: number;
  response_format?: { type: string; json_schema?: { name?: string; strict?: boolean; schema?: JsonSchema } };
}

/** The part of JSON Schema a judge's reply schema uses. */
export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
}

/** How the server answers one request. */
export interface Reply {
  /** Answer with this HTTP status and an error body instead. */
  status?: number;
  /** With `status`: this JSON body (a real server's own words) rather than a generic error. */
  body?: unknown;
  /** Decline in the message's `refusal` field, with no content, as OpenAI models may under structured outputs. */
  refusal?: string;
  /** The completion's text (for `n` > 1, one per choice). */
  text?: string | string[];
  /** Streaming: characters per chunk, and the pause before each chunk. */
  chunkSize?: number;
  delayMs?: number;
  /** Streaming: send a chunk that is not JSON after this many chunks. */
  malformedAfter?: number;
  /** Streaming: close the connection, without `[DONE]`, after this many chunks. */
  closeAfter?: number;
  /** Never answer (the client must time out). */
  hang?: boolean;
  /** Return `text` as it is even where a schema was asked for, as a server that ignores `response_format` does. */
  unconstrained?: boolean;
}

/**
 * What the server does with `response_format`: `honour` it (the reply must conform to the schema,
 * as constrained decoding makes it), or `refuse` it with a 400 naming the parameter, as OpenAI does
 * for a model without structured outputs (and vLLM, llama.cpp's server in their own words).
 */
export type ResponseFormatSupport = 'honour' | 'refuse';

/** Where `value` breaks `schema`, or null where it conforms (the keywords of `JsonSchema` only). */
export function schemaProblem(value: unknown, schema: JsonSchema, at = '$'): string | null {
  switch (schema.type ?? 'none') {
    case 'object': {
      if (!value || typeof value !== 'object' || Array.isArray(value)) return `${at} is not an object`;
      const record = value as Record<string, unknown>;
      for (const key of schema.required ?? []) if (!(key in record)) return `${at}.${key} is missing`;
      for (const [key, item] of Object.entries(record)) {
        const property = schema.properties?.[key];
        if (!property) {
          if (schema.additionalProperties === false) return `${at}.${key} is not in the schema`;
          continue;
        }
        const problem = schemaProblem(item, property, `${at}.${key}`);
        if (problem) return problem;
      }
      return null;
    }
    case 'array': {
      if (!Array.isArray(value)) return `${at} is not an array`;
      if (schema.minItems !== undefined && value.length < schema.minItems) return `${at} has fewer than ${schema.minItems} items`;
      if (schema.maxItems !== undefined && value.length > schema.maxItems) return `${at} has more than ${schema.maxItems} items`;
      for (const [i, item] of value.entries()) {
        const problem = schema.items ? schemaProblem(item, schema.items, `${at}[${i}]`) : null;
        if (problem) return problem;
      }
      return null;
    }
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return `${at} is not a number`;
      if (schema.minimum !== undefined && value < schema.minimum) return `${at} is below ${schema.minimum}`;
      if (schema.maximum !== undefined && value > schema.maximum) return `${at} is above ${schema.maximum}`;
      return null;
    case 'string':
      return typeof value === 'string' ? null : `${at} is not a string`;
    default:
      return `${at}: the fake server does not know the schema type ${JSON.stringify(schema.type)}`;
  }
}

/**
 * An OpenAI-compatible chat completions server on loopback, speaking the real protocol (JSON, and
 * server-sent events when streaming), whose replies a test scripts, faults included.
 */
export class FakeLlm {
  readonly requests: ChatRequest[] = [];
  private server!: Server;
  private readonly open = new Set<ServerResponse>();
  url = '';

  constructor(
    public reply: (request: ChatRequest, index: number) => Reply,
    public responseFormat: ResponseFormatSupport = 'honour',
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.open) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /**
   * What a request's `response_format` earns: OpenAI's 400 where the server refuses it (or the format
   * is malformed), a 500 where the script's reply does not conform to the schema (a mistake in the
   * test: a constraining server cannot produce it), or nothing.
   */
  private formatRefusal(
    format: NonNullable<ChatRequest['response_format']>,
    texts: string[],
    plan: Reply,
  ): { status: number; error: Record<string, unknown> } | null {
    const invalid = (message: string) => ({
      status: 400,
      error: { message, type: 'invalid_request_error', param: 'response_format', code: null },
    });
    if (this.responseFormat === 'refuse') {
      return invalid(`Invalid parameter: 'response_format' of type '${format.type}' is not supported with this model.`);
    }
    if (format.type !== 'json_schema') return invalid(`Invalid value: '${format.type}'. Supported values are: 'text' and 'json_schema'.`);
    const { name, schema } = format.json_schema ?? {};
    if (!name || !/^[a-zA-Z0-9_-]{1,64}$/.test(name) || !schema) {
      return invalid("Missing required parameter: 'response_format.json_schema.name' or 'response_format.json_schema.schema'.");
    }
    if (plan.unconstrained || plan.refusal) return null;
    for (const text of texts) {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return { status: 500, error: { message: `the scripted reply is not JSON, but a schema was asked for: ${text.slice(0, 80)}` } };
      }
      const problem = schemaProblem(value, schema);
      if (problem) return { status: 500, error: { message: `the scripted reply does not conform to the schema: ${problem}` } };
    }
    return null;
  }

  /** Requests from debaters (streamed), as opposed to judges'. */
  get speechRequests(): ChatRequest[] {
    return this.requests.filter((r) => r.stream);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found' } }));
      return;
    }
    let body = '';
    for await (const chunk of req) body += chunk;
    const request = JSON.parse(body) as ChatRequest;
    const index = this.requests.push(request) - 1;
    const plan = this.reply(request, index);
    this.open.add(res);
    res.on('close', () => this.open.delete(res));
    if (plan.hang) return;
    if (plan.status && plan.status >= 400) {
      res
        .writeHead(plan.status, { 'content-type': 'application/json' })
        .end(JSON.stringify(plan.body ?? { error: { message: `scripted failure ${plan.status}`, type: 'server_error' } }));
      return;
    }
    const texts = Array.isArray(plan.text) ? plan.text : [plan.text ?? ''];
    const format = request.response_format;
    if (format && format.type !== 'text') {
      const refusal = this.formatRefusal(format, texts, plan);
      if (refusal) {
        res.writeHead(refusal.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: refusal.error }));
        return;
      }
    }
    const id = `chatcmpl-${index}`;
    if (!request.stream) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: request.model,
          choices: texts.map((content, i) => ({
            index: i,
            message: plan.refusal ? { role: 'assistant', content: null, refusal: plan.refusal } : { role: 'assistant', content },
            finish_reason: 'stop',
          })),
          usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
        }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const text = texts[0]!;
    const size = plan.chunkSize ?? 12;
    const chunks = Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));
    const event = (delta: Record<string, string>, finish: string | null) =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model: request.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    res.write(event({ role: 'assistant' }, null));
    for (const [i, chunk] of chunks.entries()) {
      if (plan.delayMs) await new Promise((r) => setTimeout(r, plan.delayMs));
      if (res.destroyed) return;
      if (plan.malformedAfter === i) {
        res.end('data: {"choices": [ this is not json\n\n');
        return;
      }
      if (plan.closeAfter === i) {
        res.destroy();
        return;
      }
      res.write(event({ content: chunk }, null));
    }
    res.write(event({}, 'stop'));
    res.end('data: [DONE]\n\n');
  }
}

/** The answer a debater argues, read back from the prompt the server received. */
export function assignedAnswer(request: ChatRequest): string {
  return /You argue that the answer is "([^"]*)"/.exec(request.messages[0]?.content ?? '')?.[1] ?? '?';
}

/** The first sensor id listed in a built-in world prompt. */
export function firstEvidenceId(request: ChatRequest): string {
  return /\[\[(s-\d+-\d+)\]\]/.exec(request.messages[0]?.content ?? '')?.[1] ?? 's-0-0';
}
