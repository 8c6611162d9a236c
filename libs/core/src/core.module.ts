import { Module, type DynamicModule } from '@nestjs/common';
import type { TribunalConfig } from '#tribunal/config';
import { AdjudicationService } from './adjudication.service.js';
import { AnalyticsService } from './analytics.service.js';
import { ArchiveService } from './archive.service.js';
import { AuthLimiter } from './auth-limiter.js';
import { AuthService } from './auth.service.js';
import { CampaignsService } from './campaigns.service.js';
import { DatasetsService } from './datasets.service.js';
import { DebateEvents } from './debate-events.js';
import { DebatesService } from './debates.service.js';
import { DemoService } from './demo.service.js';
import { DisputesService } from './disputes.service.js';
import { ExperimentsService } from './experiments.service.js';
import { JudgingService } from './judging.service.js';
import { LabelsService } from './labels.service.js';
import { ModelEndpoints } from './model-endpoints.js';
import { OperationsService } from './operations.service.js';
import { ModelsService } from './models.service.js';
import { ScoringService } from './scoring.service.js';
import { TrainingService } from './training.service.js';
import { ProtocolsService } from './protocols.service.js';
import { SpeechesService } from './speeches.service.js';
import { WebhooksService } from './webhooks.service.js';
import { runtimeProviders } from './runtime.js';

const SERVICES = [
  AuthService,
  AuthLimiter,
  DatasetsService,
  DisputesService,
  ProtocolsService,
  DebatesService,
  JudgingService,
  AdjudicationService,
  LabelsService,
  DebateEvents,
  DemoService,
  CampaignsService,
  ModelEndpoints,
  SpeechesService,
  AnalyticsService,
  WebhooksService,
  ArchiveService,
  ModelsService,
  TrainingService,
  ScoringService,
  OperationsService,
  ExperimentsService,
];

/** The application layer every process shares: database, queue, repositories and domain services. */
@Module({})
export class CoreModule {
  static forRoot(config: TribunalConfig): DynamicModule {
    const runtime = runtimeProviders(config);
    return {
      module: CoreModule,
      global: true,
      providers: [...runtime, ...SERVICES],
      exports: [...runtime, ...SERVICES],
    };
  }
}
