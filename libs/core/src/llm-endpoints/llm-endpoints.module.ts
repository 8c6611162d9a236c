import { Module } from '@nestjs/common';
import { LlmEndpoints } from './llm-endpoints.js';

/** The language-model endpoints (OpenAI-compatible) that debaters and LLM judges call. */
@Module({ providers: [LlmEndpoints], exports: [LlmEndpoints] })
export class LlmEndpointsModule {}
