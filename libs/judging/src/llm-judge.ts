import { APIError } from 'openai';
import type OpenAI from 'openai';

export interface JudgeTranscriptTurn {
  seat: string;
  answer: number;
  /** The speech as a judge reads it: quotations marked verified or not. */
  text: string;
}

export interface LlmJudgeInput {
  question: string;
  answers: string[];
  /** What the judge may see of the item, as text. */
  context: string;
  turns: JudgeTranscriptTurn[];
}

export const DEFAULT_JUDGE_PROMPT = `You are judging a debate. You cannot see the source material; you see only what the debaters wrote.
Quotations the server checked against the source are marked <v_quote>…</v_quote>; unchecked or false ones <u_quote>…</u_quote>.
Question: {{question}}
Answers: {{answers}}
What you can see of the item: {{context}}

{{transcript}}

Reply with JSON only: {"probabilities": [one number per answer, summing to 1], "note": "one sentence of reasoning"}`;

/**
 * How a judge model is asked for its verdict: `json_schema` through the request's `response_format`
 * (the server constrains the reply to the schema), `text` by the prompt alone (the reply is parsed),
 * `auto` the first, falling back to the second where the endpoint refuses it.
 */
export type JudgeResponseFormat = 'auto' | 'json_schema' | 'text';

/** How one verdict was obtained, for the debate's log. */
export type JudgeOutput =
  | { via: 'json_schema' }
  /** `configured`: the endpoint is set to `text`; `refused`: it refused `response_format` now, `refused-before`: earlier in this process. */
  | { via: 'text'; because: 'configured' | 'refused' | 'refused-before'; refusal?: string };

export interface LlmVerdict {
  probabilities: number[];
  note: string | null;
  output: JudgeOutput;
}

/** The JSON schema of a judge model's reply: a probability (0 to 1) per answer, and a note. */
export function judgeSchema(answers: number): Record<string, unknown> {
  return {
    type: 'object',
    properties: {
      probabilities: {
        type: 'array',
        description: 'one probability per answer, in the order the answers are listed, summing to 1',
        items: { type: 'number', minimum: 0, maximum: 1 },
        minItems: answers,
        maxItems: answers,
      },
      note: { type: 'string', description: 'one sentence of reasoning' },
    },
    // Strict structured outputs want every property required and no others.
    required: ['probabilities', 'note'],
    additionalProperties: false,
  };
}

/** The `response_format` a judge model is asked with. */
export function judgeResponseFormat(answers: number): OpenAI.ResponseFormatJSONSchema {
  return { type: 'json_schema', json_schema: { name: 'verdict', strict: true, schema: judgeSchema(answers) } };
}

/**
 * Whether an endpoint's error refuses `response_format` itself (so the same request without it may
 * succeed), and in the endpoint's words: an HTTP 400 or 422 whose error names `response_format` or
 * a JSON schema. That covers OpenAI's "Invalid parameter: 'response_format'…" and
 * "Unsupported parameter" errors (which name the parameter), vLLM's and llama.cpp's 400s about the
 * format or the schema, and FastAPI-style 422 validation errors located at `response_format`. Any
 * other error (a 400 about something else, 429, 5xx, a timeout) is not a refusal: it is thrown as
 * it is, and the queue retries the step.
 */
export function responseFormatRefusal(error: unknown): string | null {
  if (!(error instanceof APIError) || (error.status !== 400 && error.status !== 422)) return null;
  const words = `${error.message} ${error.param ?? ''} ${JSON.stringify(error.error ?? null)}`;
  return /response_format|json[\s_-]?schema/i.test(words) ? error.message.slice(0, 300) : null;
}

/** Reads a judge model's reply: the first JSON object with a probability per answer, normalised to sum to 1. */
export function parseJudgeReply(reply: string, answers: number): { probabilities: number[]; note: string | null } {
  const match = /\{[\s\S]*\}/.exec(reply);
  if (!match) throw new Error(`the judge model's reply holds no JSON object: ${reply.slice(0, 200)}`);
  let parsed: { probabilities?: unknown; note?: unknown };
  try {
    parsed = JSON.parse(match[0]) as typeof parsed;
  } catch {
    throw new Error(`the judge model's reply is not valid JSON: ${match[0].slice(0, 200)}`);
  }
  const values = parsed.probabilities;
  if (!Array.isArray(values) || values.length !== answers || !values.every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0)) {
    throw new Error(`the judge model's probabilities must be ${answers} non-negative numbers, got ${JSON.stringify(values)}`);
  }
  const total = (values as number[]).reduce((a, b) => a + b, 0);
  if (total <= 0) throw new Error('the judge model gave every answer zero probability');
  return { probabilities: (values as number[]).map((v) => v / total), note: typeof parsed.note === 'string' ? parsed.note : null };
}

/** How a verdict was obtained, in words, for the debate's log. */
export function describeJudgeOutput(output: JudgeOutput): string {
  if (output.via === 'json_schema') return 'answered through structured output (response_format json_schema)';
  switch (output.because) {
    case 'configured':
      return 'answered in free text, parsed (the endpoint is set to responseFormat "text")';
    case 'refused':
      return `was refused response_format by the endpoint (${output.refusal}); answered in free text, parsed`;
    case 'refused-before':
      return 'answered in free text, parsed (the endpoint refused response_format earlier in this process)';
  }
}

export interface LlmJudgeOptions {
  model: string;
  timeoutMs: number;
  prompt?: string;
  /** `auto` unless the endpoint is configured otherwise. */
  responseFormat?: JudgeResponseFormat;
  /**
   * The models this endpoint refused `response_format` for in this process, with its words; shared by
   * the judges built on the endpoint, so that after one refusal the others go straight to free text.
   */
  refusals?: Map<string, string>;
}

/**
 * A judge model behind an OpenAI-compatible endpoint; it sees only what a human judge would. The
 * prompt is the same whichever way the reply is asked for: it says what the numbers mean, the schema
 * constrains their form.
 */
export class LlmJudge {
  constructor(
    private readonly client: OpenAI,
    private readonly options: LlmJudgeOptions,
  ) {}

  async judge(input: LlmJudgeInput, signal?: AbortSignal): Promise<LlmVerdict> {
    const transcript = input.turns.length
      ? input.turns.map((t) => `Debater ${t.seat} (arguing "${input.answers[t.answer]}"):\n${t.text}`).join('\n\n')
      : '(no debater spoke; answer from what you can see)';
    const values: Record<string, string> = {
      question: input.question,
      answers: input.answers.map((a, i) => `${i}: "${a}"`).join(', '),
      context: input.context,
      transcript,
    };
    const prompt = (this.options.prompt ?? DEFAULT_JUDGE_PROMPT).replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (w, n: string) => values[n] ?? w);
    const answers = input.answers.length;
    const mode = this.options.responseFormat ?? 'auto';
    const refusals = this.options.refusals;
    if (mode === 'text') return { ...(await this.ask(prompt, answers, false, signal)), output: { via: 'text', because: 'configured' } };
    if (mode === 'auto' && refusals?.has(this.options.model)) {
      const refusal = refusals.get(this.options.model);
      return { ...(await this.ask(prompt, answers, false, signal)), output: { via: 'text', because: 'refused-before', refusal } };
    }
    try {
      return { ...(await this.ask(prompt, answers, true, signal)), output: { via: 'json_schema' } };
    } catch (error) {
      const refusal = responseFormatRefusal(error);
      if (refusal === null) throw error;
      if (mode === 'json_schema') {
        throw new Error(`the endpoint refused response_format, and is set to responseFormat "json_schema": ${refusal}`, { cause: error });
      }
      refusals?.set(this.options.model, refusal);
      return { ...(await this.ask(prompt, answers, false, signal)), output: { via: 'text', because: 'refused', refusal } };
    }
  }

  private async ask(
    prompt: string,
    answers: number,
    structured: boolean,
    signal: AbortSignal | undefined,
  ): Promise<{ probabilities: number[]; note: string | null }> {
    const completion = await this.client.chat.completions.create(
      {
        model: this.options.model,
        messages: [{ role: 'user', content: prompt }],
        temperature: 0,
        ...(structured ? { response_format: judgeResponseFormat(answers) } : {}),
      },
      { signal, timeout: this.options.timeoutMs, maxRetries: 0 },
    );
    const message = completion.choices[0]?.message;
    // A model may decline a structured request outright (OpenAI's `refusal`), with no content.
    if (!message?.content && message?.refusal) throw new Error(`the judge model declined to answer: ${message.refusal.slice(0, 200)}`);
    return parseJudgeReply(message?.content ?? '', answers);
  }
}
