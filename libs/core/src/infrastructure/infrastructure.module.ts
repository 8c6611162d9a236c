import { Inject, Injectable, Logger, Module, type DynamicModule, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import type { TribunalConfig } from '#tribunal/config';
import {
  ArchiveRepository,
  CampaignRepository,
  Database,
  databaseTarget,
  DatasetRepository,
  DebateRepository,
  ExperimentRepository,
  IdentityRepository,
  LabelRepository,
  ModelRepository,
  WebhookRepository,
} from '#tribunal/persistence';
import { JobQueue } from '#tribunal/queue';

export const CONFIG = Symbol('TribunalConfig');

/** Closes the queue before the database it runs on, whatever order Nest tears providers down in. */
@Injectable()
export class RuntimeLifecycle implements OnApplicationShutdown {
  constructor(
    private readonly database: Database,
    private readonly queue: JobQueue,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.queue.stop();
    await this.database.close();
  }
}

export function runtimeProviders(config: TribunalConfig): Provider[] {
  const logger = new Logger('Database');
  return [
    { provide: CONFIG, useValue: config },
    {
      provide: Database,
      useFactory: async () => {
        const database = await Database.open(databaseTarget(config));
        logger.log(config.databaseUrl ? `PostgreSQL at ${new URL(config.databaseUrl).host}` : `embedded database in ${config.dataDir}`);
        const applied = await database.migrate();
        if (applied.length > 0) logger.log(`applied migrations: ${applied.join(', ')}`);
        return database;
      },
    },
    { provide: JobQueue, useFactory: (database: Database) => JobQueue.start(database, { policy: config.queue }), inject: [Database] },
    { provide: IdentityRepository, useFactory: (d: Database) => new IdentityRepository(d.dataSource), inject: [Database] },
    { provide: DatasetRepository, useFactory: (d: Database) => new DatasetRepository(d.dataSource), inject: [Database] },
    { provide: DebateRepository, useFactory: (d: Database) => new DebateRepository(d.dataSource), inject: [Database] },
    {
      provide: LabelRepository,
      useFactory: (d: Database, debates: DebateRepository) => new LabelRepository(d.dataSource, debates),
      inject: [Database, DebateRepository],
    },
    { provide: CampaignRepository, useFactory: (d: Database) => new CampaignRepository(d.dataSource), inject: [Database] },
    { provide: WebhookRepository, useFactory: (d: Database) => new WebhookRepository(d.dataSource), inject: [Database] },
    { provide: ModelRepository, useFactory: (d: Database) => new ModelRepository(d.dataSource), inject: [Database] },
    { provide: ExperimentRepository, useFactory: (d: Database) => new ExperimentRepository(d.dataSource), inject: [Database] },
    { provide: ArchiveRepository, useFactory: (d: Database) => new ArchiveRepository(d.dataSource), inject: [Database] },
    RuntimeLifecycle,
  ];
}

export const InjectConfig = (): ParameterDecorator => Inject(CONFIG);

/**
 * What every feature module stands on, built once per process: the settings, the database (migrated
 * on open), the job queue and the repositories. Global, so feature modules inject them without importing it.
 */
@Module({})
export class InfrastructureModule {
  static forRoot(config: TribunalConfig): DynamicModule {
    const providers = runtimeProviders(config);
    return { module: InfrastructureModule, global: true, providers, exports: providers };
  }
}
