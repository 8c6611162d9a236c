import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  stream?: boolean;
  n?: number;
  max_tokens?: number;
  temperature?: number;
}

/** How the server answers one request. */
export interface Reply {
  /** Answer with this HTTP status and an error body instead. */
  status?: number;
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

  constructor(public reply: (request: ChatRequest, index: number) => Reply) {}

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
        .end(JSON.stringify({ error: { message: `scripted failure ${plan.status}`, type: 'server_error' } }));
      return;
    }
    const texts = Array.isArray(plan.text) ? plan.text : [plan.text ?? ''];
    const id = `chatcmpl-${index}`;
    if (!request.stream) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: request.model,
          choices: texts.map((content, i) => ({ index: i, message: { role: 'assistant', content }, finish_reason: 'stop' })),
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
