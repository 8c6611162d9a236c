import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module.js';
import { DatasetsModule } from '../datasets/datasets.module.js';
import { ModelsModule } from '../models/models.module.js';
import { ProtocolsModule } from '../protocols/protocols.module.js';
import { DebatesModule } from '../debates/debates.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { DemoLoop } from './demo-loop.js';
import { DemoService } from './demo.service.js';

/**
 * The demo of a first start: a world dataset, its audit round, a debate for a demo judge (DemoService,
 * in the API role), and the loop that carries on from the audit round (DemoLoop, in the worker role).
 */
@Module({
  imports: [DatasetsModule, ModelsModule, ProtocolsModule, DebatesModule, CampaignsModule, IdentityModule],
  providers: [DemoService, DemoLoop],
  exports: [DemoService, DemoLoop],
})
export class DemoModule {}
