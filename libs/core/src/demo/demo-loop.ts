import { Injectable, Logger } from '@nestjs/common';
import type { TribunalConfig } from '#tribunal/config';
import { DisputeRepository, LabelRepository, type CampaignEntity } from '#tribunal/persistence';
import { JobQueue } from '#tribunal/queue';
import { CampaignsService } from '../campaigns/campaigns.service.js';
import { InjectConfig } from '../infrastructure/infrastructure.module.js';
import { ModelsService } from '../models/models.service.js';

/** The campaigns of the demo's two rounds, by name. */
export const DEMO_AUDIT = 'demo-audit';
export const DEMO_MODEL_CHOSEN = 'demo-model-chosen';

/** Seconds between two looks at the demo's state while it waits for a round, a training run or a scoring run. */
const TICK_SECONDS = 2;

/** Where the demo loop stands, read from what is persisted. */
type Step = 'waiting' | 'done';

/**
 * The demo loop on the demo world, once, on the first start: after the audit round (a campaign the
 * seed launched), a first model trained on its labels, promoted with the dataset re-scored, and a
 * second round over the disputes that model chose. Each step is the platform's own (campaigns,
 * training jobs, promotion, scoring runs); this only takes the next one when the last has ended.
 *
 * It runs in `demo.advance` jobs, one after another, each deriving the next step from the database
 * (so a job run twice, or a loop interrupted and resumed by the next start, takes no step twice) and
 * queueing the next look a few seconds later until the loop is done. A worker runs one look at a
 * time: a look retried after its process died once it had queued the next one starts a second chain
 * of looks, which takes no step twice either and ends with the first.
 */
@Injectable()
export class DemoLoop {
  private readonly logger = new Logger('Demo');

  constructor(
    @InjectConfig() private readonly config: TribunalConfig,
    private readonly campaigns: CampaignsService,
    private readonly models: ModelsService,
    private readonly disputeRepository: DisputeRepository,
    private readonly labelRepository: LabelRepository,
    private readonly queue: JobQueue,
  ) {}

  /** Queues the loop's first look. */
  async begin(datasetId: string): Promise<void> {
    await this.queue.send('demo.advance', { datasetId, tick: 0 }, { singletonKey: `${datasetId}:0`, startAfterSeconds: TICK_SECONDS });
  }

  /** The `demo.advance` job: takes the next step if the last one has ended, and looks again later unless the loop is done. */
  async advance(datasetId: string, tick: number): Promise<void> {
    if ((await this.step(datasetId)) === 'done') return;
    await this.queue.send(
      'demo.advance',
      { datasetId, tick: tick + 1 },
      { singletonKey: `${datasetId}:${tick + 1}`, startAfterSeconds: TICK_SECONDS },
    );
  }

  /** The loop gave up (a step kept failing): says so; the demo's data stays as it is. */
  stop(reason: string): void {
    this.logger.warn(`demo loop stopped: ${reason}`);
  }

  private async step(datasetId: string): Promise<Step> {
    const campaigns = await this.campaigns.list();
    const audit = campaigns.find((c) => c.name === DEMO_AUDIT);
    if (!audit) return this.end('the audit round is missing');
    if (!ended(audit)) return 'waiting';

    // The oldest training job of the dataset is the loop's first model.
    const [job] = (await this.models.trainingJobs(datasetId)).slice(-1);
    if (!job) {
      const labels = await this.labelRepository.labelsAfter(datasetId, 0);
      this.logger.log(`demo loop: the audit round has ended with ${labels} labels; training a first model on them`);
      await this.models.requestTraining(datasetId, {});
      return 'waiting';
    }
    if (job.status === 'failed' || job.status === 'cancelled') return this.end(`its training job ${job.status}: ${job.error ?? ''}`);
    if (job.status !== 'completed' || !job.modelVersionId) return 'waiting';

    const [run] = (await this.models.scoringRuns(datasetId)).slice(-1);
    if (!run) {
      const version = await this.models.version(job.modelVersionId);
      this.logger.log(
        `demo loop: model version ${version.name} trained (${heldOutFigures(version.evaluation)}); promoting it and re-scoring the dataset`,
      );
      await this.models.promote(version.id, { rescore: true, selection: { budget: this.config.demoDebates } });
      return 'waiting';
    }
    if (run.status === 'failed') return this.end(`re-scoring failed: ${run.error ?? ''}`);
    if (run.status !== 'completed') return 'waiting';

    const second = campaigns.find((c) => c.name === DEMO_MODEL_CHOSEN);
    if (!second) {
      const chosen = (await this.disputeRepository.ofDataset(datasetId)).filter(
        (d) => d.modelVersionId === run.modelVersionId && d.status === 'open',
      );
      if (chosen.length === 0) return this.done(datasetId, 'the model chose no dispute, so there is no second round');
      this.logger.log(`demo loop: the model chose ${chosen.length} disputes; debating them in a second round`);
      await this.campaigns.launch({
        name: DEMO_MODEL_CHOSEN,
        protocolId: audit.protocolId,
        disputeIds: chosen.map((d) => d.id),
        concurrency: audit.concurrency,
        createdBy: null,
      });
      return 'waiting';
    }
    if (!ended(second)) return 'waiting';
    return this.done(datasetId, 'the second round has ended');
  }

  private async done(datasetId: string, how: string): Promise<Step> {
    const labels = await this.labelRepository.labelsAfter(datasetId, 0);
    this.logger.log(`demo loop: done; ${how}. The dataset has ${labels} labels`);
    return 'done';
  }

  private end(reason: string): Step {
    this.stop(reason);
    return 'done';
  }
}

/** A campaign that will start no more debates: completed, or cancelled by someone. */
function ended(campaign: CampaignEntity): boolean {
  return campaign.status !== 'running';
}

/** "held-out accuracy: intended head 0.71, naive baseline 0.64, on 40 items" from a version's evaluation. */
function heldOutFigures(evaluation: Record<string, unknown>): string {
  const heldOut = evaluation.heldOut as
    { items: number; intended: { accuracy: number | null }; baseline: { accuracy: number | null } | null } | undefined;
  if (!heldOut) return 'no held-out evaluation';
  const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(2));
  return `held-out accuracy: intended head ${fmt(heldOut.intended.accuracy)}, naive baseline ${fmt(heldOut.baseline?.accuracy)}, on ${heldOut.items} items`;
}
