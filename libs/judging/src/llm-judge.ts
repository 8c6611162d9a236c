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

/** A judge model behind an OpenAI-compatible endpoint; it sees only what a human judge would. */
export class LlmJudge {
  constructor(
    private readonly client: OpenAI,
    private readonly options: { model: string; timeoutMs: number; prompt?: string },
  ) {}

  async judge(input: LlmJudgeInput, signal?: AbortSignal): Promise<{ probabilities: number[]; note: string | null }> {
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
    const completion = await this.client.chat.completions.create(
      { model: this.options.model, messages: [{ role: 'user', content: prompt }], temperature: 0 },
      { signal, timeout: this.options.timeoutMs, maxRetries: 0 },
    );
    return parseJudgeReply(completion.choices[0]?.message.content ?? '', input.answers.length);
  }
}
