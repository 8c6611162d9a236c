import { Injectable, Logger } from '@nestjs/common';
import OpenAI from 'openai';
import type { TribunalConfig } from '#tribunal/config';
import { Invalid, type DebaterSpec, type ProtocolSpec } from '#tribunal/contracts';
import { BestOfDebater, builtinDebater, judgeText, OpenAiDebater, parseCitations, verifyCitations, type Debater } from '#tribunal/debate';
import { describeJudgeOutput, LlmJudge } from '#tribunal/judging';
import { InjectConfig } from '../infrastructure/infrastructure.module.js';

/** The configured OpenAI-compatible endpoints, and the debaters and judges protocols build on them. */
@Injectable()
export class LlmEndpoints {
  private readonly logger = new Logger('Debates');
  private readonly clients = new Map<string, OpenAI>();
  /** Per endpoint, the models it refused `response_format` for in this process (see `LlmJudge`). */
  private readonly refusals = new Map<string, Map<string, string>>();

  constructor(@InjectConfig() private readonly config: TribunalConfig) {}

  /** Refuses a protocol that names an endpoint this installation does not know, or leaves out a model. */
  check(spec: ProtocolSpec): void {
    const uses = [
      ...spec.debaters.flatMap((d, i) =>
        d.backend === 'openai' ? [{ at: `spec.debaters.${i}`, endpoint: d.endpoint, model: d.model }] : [],
      ),
      ...spec.debaters.flatMap((d, i) =>
        d.bestOf ? [{ at: `spec.debaters.${i}.bestOf`, endpoint: d.bestOf.endpoint, model: d.bestOf.model }] : [],
      ),
      ...(spec.judges.kind === 'llm' ? [{ at: 'spec.judges', endpoint: spec.judges.endpoint, model: spec.judges.model }] : []),
    ];
    for (const use of uses) {
      if (!use.endpoint) throw new Invalid(`${use.at}.endpoint is required`);
      if (!use.model) throw new Invalid(`${use.at}.model is required`);
      if (!this.config.endpoints[use.endpoint]) {
        const known = Object.keys(this.config.endpoints);
        throw new Invalid(
          `${use.at}.endpoint "${use.endpoint}" is not configured (TRIBUNAL_ENDPOINTS has ${known.length ? known.join(', ') : 'none'})`,
        );
      }
    }
  }

  private client(name: string): OpenAI {
    const endpoint = this.config.endpoints[name];
    if (!endpoint) throw new Error(`endpoint "${name}" is not configured in this process (TRIBUNAL_ENDPOINTS)`);
    let client = this.clients.get(name);
    if (!client) {
      client = new OpenAI({ baseURL: endpoint.baseUrl, apiKey: endpoint.apiKey, maxRetries: 0, timeout: endpoint.timeoutSeconds * 1000 });
      this.clients.set(name, client);
    }
    return client;
  }

  private timeoutMs(spec: ProtocolSpec, endpoint: string): number {
    return (spec.speechTimeoutSeconds ?? this.config.endpoints[endpoint]?.timeoutSeconds ?? 120) * 1000;
  }

  /** A judge model on a configured endpoint, asked in the endpoint's `responseFormat` (structured output unless it refuses). */
  judge(spec: ProtocolSpec, endpoint: string, model: string): LlmJudge {
    const client = this.client(endpoint);
    let refusals = this.refusals.get(endpoint);
    if (!refusals) this.refusals.set(endpoint, (refusals = new Map()));
    return new LlmJudge(client, {
      model,
      timeoutMs: this.timeoutMs(spec, endpoint),
      prompt: spec.prompts?.judge,
      responseFormat: this.config.endpoints[endpoint]!.responseFormat,
      refusals,
    });
  }

  debater(spec: ProtocolSpec, debater: DebaterSpec): Debater {
    if (debater.backend === 'builtin') return builtinDebater;
    if (debater.backend !== 'openai') throw new Error(`a ${debater.backend} debater does not speak through a model`);
    const model = new OpenAiDebater(this.client(debater.endpoint!), {
      model: debater.model!,
      temperature: debater.temperature,
      topP: debater.topP,
      timeoutMs: this.timeoutMs(spec, debater.endpoint!),
      prompts: spec.prompts,
    });
    if (!debater.bestOf) return model;
    const judge = this.judge(spec, debater.bestOf.endpoint, debater.bestOf.model);
    return new BestOfDebater(
      (request, n, signal) => model.candidates(request, n, signal),
      async (request, candidate, signal) => {
        const citations = verifyCitations(parseCitations(candidate), request.item.evidence);
        const turns = [
          ...request.transcript.flatMap((e) => (e.kind === 'speech' ? [{ seat: e.seat, answer: e.answer, text: e.text }] : [])),
          { seat: request.seat, answer: request.answer, text: judgeText(candidate, citations) },
        ];
        const verdict = await judge.judge({ question: request.item.question, answers: request.item.answers, context: '', turns }, signal);
        if (verdict.output.via === 'text' && verdict.output.because === 'refused') {
          const rater = `best-of rater model "${debater.bestOf!.model}" on endpoint "${debater.bestOf!.endpoint}"`;
          this.logger.warn(`${rater} ${describeJudgeOutput(verdict.output)}`);
        }
        return verdict.probabilities[request.answer] ?? 0;
      },
      debater.bestOf.n,
    );
  }
}
