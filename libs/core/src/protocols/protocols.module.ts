import { Module } from '@nestjs/common';
import { LlmEndpointsModule } from '../llm-endpoints/llm-endpoints.module.js';
import { ProtocolsService } from './protocols.service.js';

/** Debate protocols: named, validated specifications of how a debate runs. */
@Module({ imports: [LlmEndpointsModule], providers: [ProtocolsService], exports: [ProtocolsService] })
export class ProtocolsModule {}
