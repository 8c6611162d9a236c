import 'reflect-metadata';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Logger, type INestApplicationContext, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { ConfigError, loadConfig, type ProcessRole, type TribunalConfig } from '#tribunal/config';
import { AuthService, DemoService } from '#tribunal/core';
import { openApiDocument } from '../../api/src/openapi/document.js';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { TribunalLogger } from './logger.js';
import { RootModule } from './root.module.js';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

export interface RunningProcess {
  app: INestApplicationContext;
  config: TribunalConfig;
  /** The HTTP address, when the process serves the API. */
  url: string | undefined;
  /** The admin key, when this start created the first admin. */
  adminKey: string | null;
  /** The demo judge's key, when this start seeded the demo. */
  judgeKey: string | null;
  /** When this start seeded the demo and its loop runs in the background: the debates of its audit round. */
  demoLoop: { auditDebates: number } | null;
}

/** The built web app: apps/web/dist, seen from the sources (tests) or from dist/ (a build). */
function webAppDir(): string | undefined {
  return ['../../web/dist', '../../../../apps/web/dist']
    .map((relative) => fileURLToPath(new URL(relative, import.meta.url)))
    .find((dir) => existsSync(join(dir, 'index.html')));
}

/** The OpenAPI document, served at /docs (and /docs-json). */
function serveOpenApi(app: NestExpressApplication): void {
  const document = openApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json' });
}

/**
 * Starts a process with the given roles: `api` (HTTP and sockets), `worker` (debate jobs),
 * `trainer`. All three in one process is the embedded default.
 */
export async function startProcess(
  roles: readonly ProcessRole[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<RunningProcess> {
  const config = loadConfig(env);
  const logger = new TribunalLogger({ logLevels: LEVELS.slice(0, LEVELS.indexOf(config.logLevel) + 1), json: config.logFormat === 'json' });
  const root = RootModule.forRoles(config, roles);
  if (!roles.includes('api')) {
    const app = await NestFactory.createApplicationContext(root, { logger });
    app.enableShutdownHooks();
    return { app, config, url: undefined, adminKey: null, judgeKey: null, demoLoop: null };
  }
  // No body parser before the routes: the API's guard reads a body only once the caller is
  // authenticated and allowed, with the route's own limit (apps/api/src/http/body.ts).
  const app = await NestFactory.create<NestExpressApplication>(root, { logger, bodyParser: false });
  app.useWebSocketAdapter(new IoAdapter(app));
  // Behind reverse proxies, the client's address (for the limit on failed authentications) is the
  // entry of X-Forwarded-For that the configured proxies added; a direct client's header is not believed.
  app.set('trust proxy', config.trustProxy);
  app.enableShutdownHooks();
  serveOpenApi(app);
  const web = webAppDir();
  if (web) app.useStaticAssets(web, { index: 'index.html' });
  else new Logger('Tribunal').warn('the web app is not built (npm run build:web); the API alone is served');
  // Node closes a kept-alive connection after 5 s idle by default. When the event loop is held longer
  // than that (the embedded database runs its queries on this thread), the idle timer fires before the
  // next request on the connection is read and the client sees ECONNRESET: the experiment, whose client
  // shares this process, lost runs so. A minute's grace (longer than a proxy's usual 60 s, so a reverse
  // proxy never reuses a connection the server is closing) makes that rare; the CLI's client retries the rest.
  const server = app.getHttpServer() as Server;
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  try {
    await app.listen(config.port, config.host);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    await app.close();
    throw new ConfigError(
      `${config.host}:${config.port} is in use by another process; stop it, or set PORT (and HOST) to listen elsewhere`,
    );
  }
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://${config.host}:${address.port}`;
  const adminKey = await app.get(AuthService).bootstrapAdmin();
  const demo = adminKey && config.demo ? await app.get(DemoService).seed() : null;
  return {
    app,
    config,
    url,
    adminKey,
    judgeKey: demo?.judgeKey ?? null,
    demoLoop: demo?.loop ? { auditDebates: demo.auditDebates } : null,
  };
}

/** What the first start prints once, after everything else: the keys, and where to look. */
function banner(running: RunningProcess, adminKey: string): string {
  const { url, judgeKey, demoLoop } = running;
  const lines = ['', '  First start: an admin was created. Its API key, shown this once:', '', `    ${adminKey}`, ''];
  if (judgeKey) lines.push('  A demo judge was created too, with a debate waiting for it. Its key:', '', `    ${judgeKey}`, '');
  if (demoLoop) {
    lines.push(
      `  The demo loop runs in the background for a minute or so: ${demoLoop.auditDebates} audit debates judged by`,
      '  simulated judges, a first model trained on their labels, the dataset re-scored with it, and a',
      '  second round of debates on the disputes the model chose. Sign in with the admin key and watch:',
      '',
      `    ${url}/#/models    the model's versions, training curves and held-out figures`,
      `    ${url}/#/compare   judges' accuracy, calibration and reward under each protocol`,
      `    ${url}/#/labels    the labels as debates settle them`,
      '',
    );
  }
  lines.push(`  Open ${url} and sign in with a key, or try:`, `  curl -H "Authorization: Bearer ${adminKey}" ${url}/debates`, '', '');
  return lines.join('\n');
}

/**
 * The entry point of every app: starts, prints where to look, and exits with a message on a bad
 * setting. On a first start the banner with the keys is the last thing printed at start-up.
 */
export async function runProcess(
  roles: readonly ProcessRole[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<void> {
  try {
    const running = await startProcess(roles, env);
    const logger = new Logger('Tribunal');
    logger.log(`roles: ${roles.join(', ')}`);
    if (running.url) logger.log(`web app and API on ${running.url} (OpenAPI docs at ${running.url}/docs)`);
    if (running.adminKey && running.config.logFormat === 'json') {
      // Shown once whatever LOG_LEVEL says, as the one record that carries a key.
      const record = {
        level: 'log',
        pid: process.pid,
        timestamp: Date.now(),
        context: 'Tribunal',
        message: `first start: an admin was created; its API key is shown this once${running.demoLoop ? '; the demo loop runs in the background' : ''}`,
      };
      process.stdout.write(`${JSON.stringify({ ...record, adminKey: running.adminKey, judgeKey: running.judgeKey ?? undefined })}\n`);
    } else if (running.adminKey) {
      process.stdout.write(banner(running, running.adminKey));
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`tribunal: configuration error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}
