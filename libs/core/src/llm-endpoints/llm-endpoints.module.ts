import { Module } from '@nestjs/common';
import { ModelEndpoints } from './llm-endpoints.js';

/** The language-model endpoints (OpenAI-compatible) that debaters and LLM judges call. */
@Module({ providers: [ModelEndpoints], exports: [ModelEndpoints] })
export class LlmEndpointsModule {}
