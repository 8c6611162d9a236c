import { Injectable, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';

@Injectable()
class TrainerStatus implements OnApplicationBootstrap {
  onApplicationBootstrap(): void {
    new Logger('Trainer').log('trainer role started; it has no training jobs to consume yet');
  }
}

/** The trainer role: trains two-head model versions from labels. Its jobs arrive with the model library. */
@Module({ providers: [TrainerStatus] })
export class TrainerModule {}
