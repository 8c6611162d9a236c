import { ConsoleLogger, Module, type DynamicModule, type INestApplicationContext, type LogLevel, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { TribunalConfig } from '#tribunal/config';
import { InfrastructureModule } from '#tribunal/core';

@Module({})
class CommandModule {
  static with(config: TribunalConfig, modules: readonly Type[]): DynamicModule {
    return { module: CommandModule, imports: [InfrastructureModule.forRoot(config, { queue: false }), ...modules] };
  }
}

/** Nest's console logger with every level on standard error: a command's standard output carries its result alone. */
class CommandLogger extends ConsoleLogger {
  protected override printMessages(
    messages: unknown[],
    context?: string,
    logLevel?: LogLevel,
    _stream?: 'stdout' | 'stderr',
    errorStack?: unknown,
    params?: Record<string, unknown>,
  ): void {
    super.printMessages(messages, context, logLevel, 'stderr', errorStack, params);
  }
}

/**
 * Runs a command's work on the database with the feature modules it needs (and the shared
 * infrastructure: the settings, the migrated database, the repositories; not the job queue, which a
 * command never starts), then closes the database. Nest's start-up lines and a failure to open the
 * database are not logged (the command reports the failure); the services' own logs are, on
 * standard error (a command's `--json` result is all its standard output holds).
 */
export async function withModules<T>(
  config: TribunalConfig,
  modules: readonly Type[],
  work: (context: INestApplicationContext) => Promise<T>,
): Promise<T> {
  const context = await NestFactory.createApplicationContext(CommandModule.with(config, modules), { logger: false, abortOnError: false });
  context.useLogger(new CommandLogger());
  try {
    return await work(context);
  } finally {
    await context.close();
  }
}
