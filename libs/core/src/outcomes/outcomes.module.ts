import { Module } from '@nestjs/common';
import { LiveEventsModule } from '../live-events/live-events.module.js';
import { OutcomesService } from './outcomes.service.js';

/** Judges' outcomes: what they may see of their settled debates, and their record. */
@Module({
  imports: [LiveEventsModule],
  providers: [OutcomesService],
  exports: [OutcomesService],
})
export class OutcomesModule {}
