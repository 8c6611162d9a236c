import { Module, type DynamicModule } from '@nestjs/common';
import type { ProcessRole, TribunalConfig } from '#tribunal/config';
import { InfrastructureModule } from '#tribunal/core';
import { ApiModule } from '../../api/src/api.module.js';
import { TrainerModule } from '../../trainer/src/trainer.module.js';
import { WorkerModule } from '../../worker/src/worker.module.js';

/** A process: the shared infrastructure, and the module of each role it runs. */
@Module({})
export class RootModule {
  static forRoles(config: TribunalConfig, roles: readonly ProcessRole[]): DynamicModule {
    const modules = { api: ApiModule, worker: WorkerModule, trainer: TrainerModule };
    return { module: RootModule, imports: [InfrastructureModule.forRoot(config), ...roles.map((role) => modules[role])] };
  }
}
