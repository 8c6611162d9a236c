import type OpenAI from 'openai';
import type { Debater, SpeechRequest } from './debater.js';
import { DEFAULT_DEBATER_SYSTEM, DEFAULT_DEBATER_TURN, render, speechPromptValues } from './prompts.js';

export interface OpenAiDebaterOptions {
  model: string;
  temperature?: number;
  topP?: number;
  timeoutMs: number;
  prompts?: { debaterSystem?: string; debaterTurn?: string };
}

export function speechMessages(
  request: SpeechRequest,
  prompts: OpenAiDebaterOptions['prompts'] = {},
): OpenAI.Chat.ChatCompletionMessageParam[] {
  const values = speechPromptValues(request);
  return [
    { role: 'system', content: render(prompts.debaterSystem ?? DEFAULT_DEBATER_SYSTEM, values) },
    { role: 'user', content: render(prompts.debaterTurn ?? DEFAULT_DEBATER_TURN, values) },
  ];
}

/** A debater behind any OpenAI-compatible chat endpoint, streamed token by token. */
export class OpenAiDebater implements Debater {
  constructor(
    private readonly client: OpenAI,
    private readonly options: OpenAiDebaterOptions,
  ) {}

  async speak(request: SpeechRequest, onText: (delta: string) => void, signal?: AbortSignal): Promise<string> {
    const stream = await this.client.chat.completions.create(
      {
        model: this.options.model,
        messages: speechMessages(request, this.options.prompts),
        stream: true,
        temperature: this.options.temperature,
        top_p: this.options.topP,
        max_tokens: request.limits.tokens,
      },
      { signal, timeout: this.options.timeoutMs, maxRetries: 0 },
    );
    let text = '';
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta?.content;
      if (delta) {
        text += delta;
        onText(delta);
      }
    }
    if (!text.trim()) throw new Error(`model ${this.options.model} returned an empty speech`);
    return text;
  }

  /** Several candidate speeches at once, not streamed: for best-of-N. */
  async candidates(request: SpeechRequest, n: number, signal?: AbortSignal): Promise<string[]> {
    const completion = await this.client.chat.completions.create(
      {
        model: this.options.model,
        messages: speechMessages(request, this.options.prompts),
        n,
        temperature: this.options.temperature ?? 0.8,
        top_p: this.options.topP,
        max_tokens: request.limits.tokens,
      },
      { signal, timeout: this.options.timeoutMs, maxRetries: 0 },
    );
    const texts = completion.choices.map((c) => c.message.content ?? '').filter((t) => t.trim());
    if (texts.length === 0) throw new Error(`model ${this.options.model} returned no candidate speech`);
    return texts;
  }
}
