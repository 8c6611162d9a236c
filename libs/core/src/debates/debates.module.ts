import { Module } from '@nestjs/common';
import { LiveEventsModule } from '../live-events/live-events.module.js';
import { LlmEndpointsModule } from '../llm-endpoints/llm-endpoints.module.js';
import { OperationsModule } from '../operations/operations.module.js';
import { OutcomesModule } from '../outcomes/outcomes.module.js';
import { DebatesService } from './debates.service.js';
import { SpeechesService } from './speeches.service.js';
import { JudgingService } from './judging.service.js';

/** Debates: starting them, their speeches, and the judges' verdicts at each stage. */
@Module({
  imports: [LiveEventsModule, LlmEndpointsModule, OperationsModule, OutcomesModule],
  providers: [DebatesService, SpeechesService, JudgingService],
  exports: [DebatesService, SpeechesService, JudgingService],
})
export class DebatesModule {}
