import { Module } from '@nestjs/common';
import { DebatesModule } from '../debates/debates.module.js';
import { LiveEventsModule } from '../live-events/live-events.module.js';
import { CampaignsService } from './campaigns.service.js';

/** Campaigns: batches of debates over a dataset's disputes, filled as debates finish. */
@Module({ imports: [DebatesModule, LiveEventsModule], providers: [CampaignsService], exports: [CampaignsService] })
export class CampaignsModule {}
