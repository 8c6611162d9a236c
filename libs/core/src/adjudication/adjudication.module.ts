import { Module } from '@nestjs/common';
import { DebatesModule } from '../debates/debates.module.js';
import { LiveEventsModule } from '../live-events/live-events.module.js';
import { OutcomesModule } from '../outcomes/outcomes.module.js';
import { AdjudicationService } from './adjudication.service.js';

/** Turns a judged debate into a label (pooling earlier debates) and re-queues disputes that need more debates. */
@Module({
  imports: [DebatesModule, LiveEventsModule, OutcomesModule],
  providers: [AdjudicationService],
  exports: [AdjudicationService],
})
export class AdjudicationModule {}
