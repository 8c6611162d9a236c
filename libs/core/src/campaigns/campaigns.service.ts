import { Injectable, Logger } from '@nestjs/common';
import { campaignRoom, Conflict, Invalid, NotFound, type CampaignProgressView } from '#tribunal/contracts';
import {
  CampaignFull,
  CampaignRepository,
  UnitOfWork,
  type CampaignEntity,
  DisputeRepository,
  ProtocolRepository,
} from '#tribunal/persistence';
import { JobQueue } from '#tribunal/queue';
import { LiveEvents } from '../live-events/live-events.js';
import { DebatesService } from '../debates/debates.service.js';

export interface LaunchCampaign {
  name: string;
  protocolId: string;
  /** The disputes to debate, in order; or every open dispute of a dataset. */
  disputeIds?: string[];
  datasetId?: string;
  concurrency: number;
  createdBy: string | null;
}

/** A protocol run over many disputes, at most `concurrency` debates at a time, with progress as it goes. */
@Injectable()
export class CampaignsService {
  private readonly logger = new Logger(CampaignsService.name);

  constructor(
    private readonly protocolRepository: ProtocolRepository,
    private readonly disputeRepository: DisputeRepository,
    private readonly campaignRepository: CampaignRepository,
    private readonly debates: DebatesService,
    private readonly unitOfWork: UnitOfWork,
    private readonly queue: JobQueue,
    private readonly events: LiveEvents,
  ) {}

  async launch(request: LaunchCampaign): Promise<CampaignEntity> {
    if (!(await this.protocolRepository.byId(request.protocolId))) throw new NotFound(`protocol ${request.protocolId} does not exist`);
    let disputeIds = request.disputeIds ?? [];
    if (request.datasetId) {
      const open = (await this.disputeRepository.ofDataset(request.datasetId)).filter((d) => d.status === 'open');
      disputeIds = [...disputeIds, ...open.map((d) => d.id)];
    }
    disputeIds = [...new Set(disputeIds)];
    if (disputeIds.length === 0) throw new Invalid('a campaign needs disputes: give disputeIds, or a datasetId with open disputes');
    const missing = await this.disputeRepository.missing(disputeIds);
    if (missing.length > 0) throw new Invalid(`disputeIds: ${missing.slice(0, 5).join(', ')} do not exist`);
    const { name, protocolId, concurrency, createdBy } = request;
    const campaign = await this.unitOfWork.run(async (tx) => {
      const created = await this.campaignRepository.create(tx, { name, protocolId, concurrency, createdBy }, disputeIds);
      await this.queue.send('campaign.fill', { campaignId: created.id }, { singletonKey: `${created.id}:launch` }, tx);
      return created;
    });
    this.logger.log(`campaign ${campaign.id} "${campaign.name}": ${disputeIds.length} disputes, ${request.concurrency} at a time`);
    return campaign;
  }

  /** The `campaign.fill` job: starts debates while there is room, then reports progress. Safe to run at once in many workers. */
  async fill(campaignId: string): Promise<void> {
    // Read at once: the campaign and how many of its debates run.
    const [campaign, running] = await Promise.all([this.campaignRepository.get(campaignId), this.campaignRepository.running(campaignId)]);
    if (!campaign) return;
    let status = campaign.status;
    if (status === 'running') {
      // As many as there is room for: each start's claim still checks, under the campaign's lock.
      const room = campaign.concurrency - running;
      let started = 0;
      for (const entry of room > 0 ? await this.campaignRepository.waiting(campaignId, room) : []) {
        try {
          await this.debates.start({
            disputeId: entry.disputeId,
            protocolId: campaign.protocolId,
            campaignId,
            claim: (tx, debateId) => this.campaignRepository.claim(tx, entry.id, debateId),
          });
          started++;
        } catch (error) {
          if (error instanceof CampaignFull) break;
          // A dispute that cannot be debated (say, no judges free) leaves the campaign waiting, visibly.
          if (error instanceof Conflict || error instanceof Invalid) {
            this.logger.warn(`campaign ${campaignId}: cannot start dispute ${entry.disputeId}: ${error.message}`);
            break;
          }
          throw error;
        }
      }
      // Done only when nothing runs: a debate running now queues a fill of its own when it ends.
      if (running === 0 && started === 0 && (await this.campaignRepository.completeIfDone(campaignId))) {
        status = 'completed';
        this.logger.log(`campaign ${campaignId} completed`);
      }
    }
    const progress: CampaignProgressView = { campaignId, status, ...(await this.campaignRepository.progress(campaignId)) };
    this.events.emitTo(campaignRoom(campaignId), 'campaign.progress', progress);
  }

  async progress(campaignId: string): Promise<CampaignProgressView> {
    const campaign = await this.campaignRepository.get(campaignId);
    if (!campaign) throw new NotFound(`campaign ${campaignId} does not exist`);
    return { campaignId, status: campaign.status, ...(await this.campaignRepository.progress(campaignId)) };
  }

  async cancel(campaignId: string): Promise<CampaignProgressView> {
    await this.progress(campaignId);
    await this.campaignRepository.cancel(campaignId);
    return this.progress(campaignId);
  }

  list(): Promise<CampaignEntity[]> {
    return this.campaignRepository.list();
  }
}
