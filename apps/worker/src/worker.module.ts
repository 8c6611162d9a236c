import { Module } from '@nestjs/common';
import {
  AdjudicationModule,
  CampaignsModule,
  DebatesModule,
  DemoModule,
  LabelsModule,
  ModelsModule,
  OrchestrationModule,
  ScoringModule,
  WebhooksModule,
} from '#tribunal/core';
import { JobRunner } from './job-runner.js';

/** The worker role: runs debates, simulated judges, adjudication, campaigns, webhook deliveries, scoring and the demo loop from the job queue. */
@Module({
  imports: [
    DebatesModule,
    OrchestrationModule,
    AdjudicationModule,
    CampaignsModule,
    WebhooksModule,
    LabelsModule,
    ScoringModule,
    ModelsModule,
    DemoModule,
  ],
  providers: [JobRunner],
})
export class WorkerModule {}
