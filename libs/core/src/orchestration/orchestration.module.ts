import { Module } from '@nestjs/common';
import { AdjudicationModule } from '../adjudication/adjudication.module.js';
import { DebatesModule } from '../debates/debates.module.js';
import { LiveEventsModule } from '../live-events/live-events.module.js';
import { DebateRunner } from './debate-runner.js';

/** Runs debates from the queue: every step nobody needs to be waited for, from the first speech to the label. */
@Module({
  imports: [DebatesModule, AdjudicationModule, LiveEventsModule],
  providers: [DebateRunner],
  exports: [DebateRunner],
})
export class OrchestrationModule {}
