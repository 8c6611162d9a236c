import { Inject, Injectable, Logger, Module, type DynamicModule, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import type { TribunalConfig } from '#tribunal/config';
import {
  ArchiveRepository,
  CampaignRepository,
  Database,
  databaseTarget,
  DatasetRepository,
  DebateRepository,
  DisputeRepository,
  ExperimentRepository,
  IdentityRepository,
  LabelRepository,
  ModelRepository,
  OutcomeRepository,
  ProtocolRepository,
  ScoringRepository,
  TrainingRepository,
  UnitOfWork,
  WebhookRepository,
} from '#tribunal/persistence';
import { JobQueue } from '#tribunal/queue';

export const CONFIG = Symbol('TribunalConfig');
/** The queue this process started, or null in a CLI command, which never starts one. */
const STARTED_QUEUE = Symbol('StartedJobQueue');

export interface InfrastructureOptions {
  /** Start the job queue (a process's roles); a CLI command does not, and any use of the queue there throws. */
  queue: boolean;
}

/** Closes the queue before the database it runs on, whatever order Nest tears providers down in. */
@Injectable()
export class RuntimeLifecycle implements OnApplicationShutdown {
  constructor(
    private readonly database: Database,
    @Inject(STARTED_QUEUE) private readonly queue: JobQueue | null,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.queue?.stop();
    await this.database.close();
  }
}

/** Stands in for the queue where none is started: services that could use it are built, and fail loudly if they do. */
function queueNotStarted(): JobQueue {
  return new Proxy({} as JobQueue, {
    // Only the queue's own methods: Nest probes providers for `then` and lifecycle hooks.
    get: (_target, property) =>
      Object.getOwnPropertyNames(JobQueue.prototype).includes(String(property)) && property !== 'constructor'
        ? () => {
            throw new Error(`the job queue is not started in a command (JobQueue.${String(property)})`);
          }
        : undefined,
  });
}

export function runtimeProviders(config: TribunalConfig, options: InfrastructureOptions = { queue: true }): Provider[] {
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
    {
      provide: STARTED_QUEUE,
      useFactory: (database: Database) => (options.queue ? JobQueue.start(database, { policy: config.queue }) : null),
      inject: [Database],
    },
    { provide: JobQueue, useFactory: (queue: JobQueue | null) => queue ?? queueNotStarted(), inject: [STARTED_QUEUE] },
    { provide: UnitOfWork, useFactory: (d: Database) => new UnitOfWork(d.dataSource), inject: [Database] },
    { provide: IdentityRepository, useFactory: (d: Database) => new IdentityRepository(d.dataSource), inject: [Database] },
    { provide: DatasetRepository, useFactory: (d: Database) => new DatasetRepository(d.dataSource), inject: [Database] },
    { provide: DisputeRepository, useFactory: (d: Database) => new DisputeRepository(d.dataSource), inject: [Database] },
    { provide: ProtocolRepository, useFactory: (d: Database) => new ProtocolRepository(d.dataSource), inject: [Database] },
    { provide: DebateRepository, useFactory: (d: Database) => new DebateRepository(d.dataSource), inject: [Database] },
    { provide: LabelRepository, useFactory: (d: Database) => new LabelRepository(d.dataSource), inject: [Database] },
    { provide: CampaignRepository, useFactory: (d: Database) => new CampaignRepository(d.dataSource), inject: [Database] },
    { provide: WebhookRepository, useFactory: (d: Database) => new WebhookRepository(d.dataSource), inject: [Database] },
    { provide: ModelRepository, useFactory: (d: Database) => new ModelRepository(d.dataSource), inject: [Database] },
    { provide: TrainingRepository, useFactory: (d: Database) => new TrainingRepository(d.dataSource), inject: [Database] },
    { provide: ScoringRepository, useFactory: (d: Database) => new ScoringRepository(d.dataSource), inject: [Database] },
    { provide: ExperimentRepository, useFactory: (d: Database) => new ExperimentRepository(d.dataSource), inject: [Database] },
    { provide: ArchiveRepository, useFactory: (d: Database) => new ArchiveRepository(d.dataSource), inject: [Database] },
    { provide: OutcomeRepository, useFactory: (d: Database) => new OutcomeRepository(d.dataSource), inject: [Database] },
    RuntimeLifecycle,
  ];
}

export const InjectConfig = (): ParameterDecorator => Inject(CONFIG);

/**
 * What every feature module stands on, built once per process: the settings, the database (migrated
 * on open), the job queue, the unit of work and the repositories. Global, so feature modules inject them without importing it.
 */
@Module({})
export class InfrastructureModule {
  static forRoot(config: TribunalConfig, options: InfrastructureOptions = { queue: true }): DynamicModule {
    const providers = runtimeProviders(config, options);
    return { module: InfrastructureModule, global: true, providers, exports: providers };
  }
}
