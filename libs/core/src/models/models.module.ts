import { Module } from '@nestjs/common';
import { LiveEventsModule } from '../live-events/live-events.module.js';
import { ModelsService } from './models.service.js';

/** The two-head model's lifecycle: policy, training requests, versions, promotion, scoring runs. */
@Module({ imports: [LiveEventsModule], providers: [ModelsService], exports: [ModelsService] })
export class ModelsModule {}
