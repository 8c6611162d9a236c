import { Module } from '@nestjs/common';
import { AnalyticsService } from './analytics.service.js';

/** Analytics over finished debates: judge and debater standings, protocol comparisons. */
@Module({ providers: [AnalyticsService], exports: [AnalyticsService] })
export class AnalyticsModule {}
