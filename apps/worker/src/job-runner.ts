import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { TribunalConfig } from '../../../libs/config/src/index.js';
import { AdjudicationService, DebatesService, InjectConfig, JudgingService } from '../../../libs/core/src/index.js';
import { JobQueue } from '../../../libs/queue/src/index.js';

/** Subscribes this process to the queue: every job goes straight to the domain service that owns it. */
@Injectable()
export class JobRunner implements OnApplicationBootstrap {
  private readonly logger = new Logger('Worker');

  constructor(
    @InjectConfig() private readonly config: TribunalConfig,
    private readonly queue: JobQueue,
    private readonly debates: DebatesService,
    private readonly judging: JudgingService,
    private readonly adjudication: AdjudicationService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const concurrency = this.config.workerConcurrency;
    await this.queue.work('debate.advance', concurrency, ({ debateId }) => this.debates.advance(debateId));
    await this.queue.work('judge.simulate', concurrency, ({ assignmentId, stage }) => this.judging.simulate(assignmentId, stage));
    await this.queue.work('debate.adjudicate', concurrency, async ({ debateId }) => {
      await this.adjudication.adjudicate(debateId);
    });
    this.logger.log(`consuming debate jobs, ${concurrency} at a time per queue`);
  }
}
