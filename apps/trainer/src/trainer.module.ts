import { Injectable, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import type { TribunalConfig } from '#tribunal/config';
import { InjectConfig, TrainingModule, TrainingService } from '#tribunal/core';
import { deviceName, parseDevice, resolveDevice } from '#tribunal/model';
import { JobQueue } from '#tribunal/queue';

/**
 * Consumes training jobs, one at a time: a trainer process owns one device (run one process per GPU,
 * each with its own TRIBUNAL_TRAINER_DEVICE=cuda:N). The device is resolved at start, so the log says
 * which it is, once: a job that demands a GPU fails on a CPU trainer with the reason it is one.
 */
@Injectable()
class TrainingJobs implements OnApplicationBootstrap {
  private readonly logger = new Logger('Trainer');

  constructor(
    @InjectConfig() private readonly config: TribunalConfig,
    private readonly queue: JobQueue,
    private readonly training: TrainingService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const configured = parseDevice(this.config.trainerDevice);
    const resolved = await resolveDevice(configured);
    const { device, warning } = resolved;
    if (warning) this.logger.warn(warning);
    this.logger.log(
      `trainer on ${deviceName(device)} (TRIBUNAL_TRAINER_DEVICE=${this.config.trainerDevice}); consuming training jobs one at a time`,
    );
    await this.queue.work('model.train', 1, ({ trainingJobId }, { lastAttempt }) =>
      this.queue.settle(lastAttempt, () => this.training.run(trainingJobId, resolved), {
        retrying: (reason) => this.logger.warn(`training job ${trainingJobId}: ${reason}; it will be retried from its last checkpoint`),
        giveUp: (reason) => this.training.giveUp(trainingJobId, reason),
      }),
    );
  }
}

/** The trainer role: trains two-head model versions (and their naive baselines) from labels. */
@Module({ imports: [TrainingModule], providers: [TrainingJobs] })
export class TrainerModule {}
