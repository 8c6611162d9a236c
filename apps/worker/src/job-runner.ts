import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { TribunalConfig } from '#tribunal/config';
import {
  AdjudicationService,
  CampaignsService,
  DebateRunner,
  DebatesService,
  DemoLoop,
  InjectConfig,
  JudgingService,
  LabelsService,
  ModelsService,
  ScoringService,
  WebhooksService,
} from '#tribunal/core';
import { JobQueue } from '#tribunal/queue';

/**
 * Subscribes this process to the queue: every job goes straight to the domain service that owns it.
 * A debate step that still fails on its last attempt ends the debate as failed, with the reason, so
 * that nothing waits forever on an endpoint that keeps failing.
 */
@Injectable()
export class JobRunner implements OnApplicationBootstrap {
  private readonly logger = new Logger('Worker');

  constructor(
    @InjectConfig() private readonly config: TribunalConfig,
    private readonly queue: JobQueue,
    private readonly debates: DebatesService,
    private readonly runner: DebateRunner,
    private readonly judging: JudgingService,
    private readonly adjudication: AdjudicationService,
    private readonly campaigns: CampaignsService,
    private readonly webhooks: WebhooksService,
    private readonly labels: LabelsService,
    private readonly scoring: ScoringService,
    private readonly models: ModelsService,
    private readonly demo: DemoLoop,
  ) {}

  private orFail(debateId: string, lastAttempt: boolean, step: () => Promise<unknown>): Promise<void> {
    return this.queue.settle(lastAttempt, step, {
      retrying: (reason) => this.logger.warn(`debate ${debateId}: ${reason}; the step will be retried`),
      giveUp: (reason) => this.debates.fail(debateId, reason),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const concurrency = this.config.workerConcurrency;
    await this.queue.work('debate.advance', concurrency, ({ debateId }, { lastAttempt }) =>
      this.orFail(debateId, lastAttempt, () => this.runner.advance(debateId)),
    );
    // Queued by earlier versions, one per judge and per end of a debate: each resumes the debate's run.
    await this.queue.work('judge.auto', concurrency, async ({ assignmentId }, { lastAttempt }) => {
      const debateId = await this.judging.debateOf(assignmentId);
      if (debateId) await this.orFail(debateId, lastAttempt, () => this.runner.advance(debateId));
    });
    await this.queue.work('debate.adjudicate', concurrency, ({ debateId }, { lastAttempt }) =>
      this.orFail(debateId, lastAttempt, () => this.runner.advance(debateId)),
    );
    await this.queue.work('debate.deadline', concurrency, ({ debateId, stage }) => this.judging.deadline(debateId, stage));
    await this.queue.work('campaign.fill', 1, ({ campaignId }) => this.campaigns.fill(campaignId));
    await this.queue.work('dispute.requeue', concurrency, ({ disputeId, protocolId, after }) =>
      this.adjudication.requeue(disputeId, protocolId, after),
    );
    await this.queue.work('webhook.deliver', concurrency, ({ deliveryId }, { lastAttempt }) =>
      this.webhooks.deliver(deliveryId, lastAttempt, (seq) => this.labels.bySeq(seq)),
    );
    await this.queue.work('model.score', 1, ({ scoringRunId }, { lastAttempt }) =>
      this.queue.settle(lastAttempt, () => this.scoring.run(scoringRunId), { giveUp: (reason) => this.scoring.fail(scoringRunId, reason) }),
    );
    // A label's consequences, each owned by its module. One at a time per process, so that two labels
    // arriving together do not both find N new labels and queue training twice.
    await this.queue.work('label.created', 1, async ({ labelId }) => {
      const label = await this.labels.byId(labelId);
      if (!label) return;
      await this.webhooks.onLabel(label);
      await this.models.retrainCheck(label.datasetId);
    });
    await this.queue.work('demo.advance', 1, ({ datasetId, tick }, { lastAttempt }) =>
      this.queue.settle(lastAttempt, () => this.demo.advance(datasetId, tick), { giveUp: async (reason) => this.demo.stop(reason) }),
    );
    this.logger.log(`consuming debate jobs, ${concurrency} at a time per queue`);
  }
}
