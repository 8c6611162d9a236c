import { ConsoleLogger } from '@nestjs/common';

/**
 * Nest's own start-up lines (each module initialised, each route mapped, each socket message
 * subscribed, the application started): many lines that say nothing a person starting the platform
 * needs, so they are logged at `debug` rather than `log`.
 */
const FRAMEWORK_CONTEXTS = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'WebSocketsController',
  'NestApplication',
]);

/** The processes' logger: Nest's `ConsoleLogger`, with the framework's start-up lines moved down to `debug`. */
export class TribunalLogger extends ConsoleLogger {
  override log(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams.at(-1);
    if (typeof context === 'string' && FRAMEWORK_CONTEXTS.has(context)) this.debug(message, ...optionalParams);
    else super.log(message, ...optionalParams);
  }
}
