import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import {
  AnalyticsModule,
  ArchiveModule,
  CampaignsModule,
  DatasetsModule,
  DebatesModule,
  DemoModule,
  ExperimentsModule,
  IdentityModule,
  LabelsModule,
  LiveEventsModule,
  ModelsModule,
  OperationsModule,
  OutcomesModule,
  ProtocolsModule,
  WebhooksModule,
} from '#tribunal/core';
import { ApiKeyGuard } from './auth/api-key.guard.js';
import { CONTROLLERS } from './http/controllers.js';
import { DomainErrorFilter } from './http/errors.filter.js';
import { RequestValidationPipe } from './http/validation.js';
import { DebateGateway } from './socket/debate.gateway.js';

/** The API role: HTTP routes, the OpenAPI document, and the socket.io gateway for judges. */
@Module({
  imports: [
    IdentityModule,
    DatasetsModule,
    ArchiveModule,
    ProtocolsModule,
    DebatesModule,
    CampaignsModule,
    AnalyticsModule,
    WebhooksModule,
    LabelsModule,
    ModelsModule,
    ExperimentsModule,
    OperationsModule,
    LiveEventsModule,
    OutcomesModule,
    // A first start seeds the demo (apps/bootstrap/src/start-process.ts).
    DemoModule,
  ],
  controllers: CONTROLLERS,
  providers: [
    DebateGateway,
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_FILTER, useClass: DomainErrorFilter },
    {
      provide: APP_PIPE,
      useValue: new RequestValidationPipe(),
    },
  ],
})
export class ApiModule {}
