#!/usr/bin/env node
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SingleBar, Presets } from 'cli-progress';
import { ConfigError, loadConfig, type ProcessRole } from '#tribunal/config';
import { ERROR_KINDS, EXIT_CODES, ROLES, type Role } from '#tribunal/contracts';
import { AuthService, DatasetsModule, DatasetsService, IdentityModule } from '#tribunal/core';
import { DataDirInUseError, Database, databaseTarget, domainErrorOf, writeMigration } from '#tribunal/persistence';
import { withModules } from '../../bootstrap/src/command-context.js';
import { analyticsCommand, ARCHIVE_USAGE, importCommand } from './archive-command.js';
import { LABELS_USAGE, labelsCommand } from './labels-command.js';
import { MODEL_USAGE, modelCommand } from './model-command.js';
import { EXPERIMENT_USAGE, experimentCommand } from './experiment-command.js';
import { PROTOCOLS_USAGE, protocolsCommand, UsageError } from './protocols-command.js';
import { runProcess } from '../../bootstrap/src/start-process.js';

const USAGE = `tribunal <command>

  start [--roles api,worker,trainer] [--no-demo]
                                        run the platform (all roles in one process by default);
                                        --no-demo: no demo on a fresh database (TRIBUNAL_DEMO=off)
  migrate                               apply pending database migrations
  world load --name N [--seed S] [--size K] [--params JSON]
                                        generate and load a dataset of the built-in world
  users create NAME ROLE                create a user (${ROLES.join(', ')}) and print its API key
  ${PROTOCOLS_USAGE}
  ${LABELS_USAGE}
  ${MODEL_USAGE}
  ${EXPERIMENT_USAGE}
  ${ARCHIVE_USAGE}
  migration:generate NAME               write a migration for entity changes (needs DATABASE_URL)

Settings come from the environment: DATABASE_URL, TRIBUNAL_DATA_DIR, PORT, HOST, LOG_LEVEL, LOG_FORMAT,
TRIBUNAL_WORKER_CONCURRENCY, TRIBUNAL_DEMO*, TRIBUNAL_ENDPOINTS, TRIBUNAL_JOB_*, TRIBUNAL_TRAINER_DEVICE,
TRIBUNAL_AUTH_FAILURES_PER_MINUTE, TRIBUNAL_TRUST_PROXY, TRIBUNAL_METRICS_TOKEN, TRIBUNAL_WEBHOOK_TARGETS,
TRIBUNAL_IMPORT_DIR (see the README).`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start': {
      const { values } = parseArgs({
        args: rest,
        options: { roles: { type: 'string', default: 'api,worker,trainer' }, 'no-demo': { type: 'boolean', default: false } },
      });
      const roles = values.roles.split(',').map((r) => r.trim());
      const unknown = roles.find((r) => !['api', 'worker', 'trainer'].includes(r));
      if (unknown) throw new UsageError(`--roles: unknown role "${unknown}"; choose from api, worker, trainer`);
      await runProcess(roles as ProcessRole[], values['no-demo'] ? { ...process.env, TRIBUNAL_DEMO: 'false' } : process.env);
      return;
    }
    case 'migrate': {
      const config = loadConfig(process.env);
      const database = await Database.open(databaseTarget(config));
      try {
        const applied = await database.migrate();
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'the schema is up to date');
      } finally {
        await database.close();
      }
      return;
    }
    case 'world': {
      const [sub, ...args] = rest;
      if (sub !== 'load') throw new UsageError('usage: tribunal world load --name N [--seed S] [--size K] [--params JSON]');
      const { values } = parseArgs({
        args,
        options: {
          name: { type: 'string' },
          seed: { type: 'string', default: '1' },
          size: { type: 'string', default: '200' },
          params: { type: 'string' },
        },
      });
      if (!values.name) throw new UsageError('world load: --name is required');
      const seed = Number(values.seed);
      const size = Number(values.size);
      if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed must be a non-negative integer, got "${values.seed}"`);
      if (!Number.isInteger(size) || size < 1) throw new UsageError(`--size must be a positive integer, got "${values.size}"`);
      let params: Record<string, unknown> | undefined;
      try {
        params = values.params ? (JSON.parse(values.params) as Record<string, unknown>) : undefined;
      } catch {
        throw new UsageError(`--params must be JSON, got ${values.params}`);
      }
      await withModules(loadConfig(process.env), [DatasetsModule], async (context) => {
        const bar = new SingleBar({ format: 'loading rooms [{bar}] {value}/{total}', hideCursor: true }, Presets.shades_classic);
        bar.start(size, 0);
        const dataset = await context
          .get(DatasetsService)
          .loadWorld({ name: values.name!, seed, size, params }, (done) => bar.update(done));
        bar.stop();
        console.log(`loaded dataset "${dataset.name}" (${dataset.id}) with ${dataset.items} items`);
      });
      return;
    }
    case 'users': {
      const [sub, name, role] = rest;
      if (sub !== 'create' || !name || !role) throw new UsageError('usage: tribunal users create NAME ROLE');
      if (!ROLES.includes(role as Role)) throw new UsageError(`ROLE must be one of ${ROLES.join(', ')}, got "${role}"`);
      await withModules(loadConfig(process.env), [IdentityModule], async (context) => {
        const { user, key } = await context.get(AuthService).createUser(name, role as Role);
        console.log(`created ${user.role} "${user.name}" (${user.id}); API key, shown this once:\n${key}`);
      });
      return;
    }
    case 'import': {
      const config = loadConfig(process.env);
      await importCommand(rest, config);
      return;
    }
    case 'analytics': {
      const config = loadConfig(process.env);
      await analyticsCommand(rest, config);
      return;
    }
    case 'labels':
      await labelsCommand(rest, { url: process.env.TRIBUNAL_URL, key: process.env.TRIBUNAL_KEY });
      return;
    case 'experiment':
      await experimentCommand(rest, process.env);
      return;
    case 'model':
      await modelCommand(rest, { url: process.env.TRIBUNAL_URL, key: process.env.TRIBUNAL_KEY });
      return;
    case 'protocols': {
      const config = loadConfig(process.env);
      await protocolsCommand(rest, config);
      return;
    }
    case 'migration:generate': {
      const [name] = rest;
      if (!name) throw new UsageError('usage: tribunal migration:generate NAME');
      const config = loadConfig(process.env);
      if (!config.databaseUrl) throw new UsageError('migration:generate compares against a PostgreSQL database: set DATABASE_URL');
      const here = dirname(fileURLToPath(import.meta.url));
      const file = await withModules(config, [], (context) =>
        writeMigration(context.get(Database), join(here, '../../../../migrations'), name),
      );
      console.log(file ? `wrote ${file}` : 'entities and migrations agree; nothing to write');
      return;
    }
    default:
      console.log(USAGE);
      if (command && command !== 'help' && command !== '--help') process.exitCode = EXIT_CODES.usage;
  }
}

// Exit codes (README, "Command line"): 0 done; 2 the command used wrongly (or the API not reached);
// a refusal exits with its kind's code (ERROR_KINDS), whether found here, by the database or by the
// API (whose client throws the kind of the status it was answered); anything else is a fault: 1.
try {
  await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError || error instanceof ConfigError || error instanceof DataDirInUseError) {
    process.stderr.write(`tribunal: ${error.message}\n`);
    process.exit(EXIT_CODES.usage);
  }
  const refusal = domainErrorOf(error);
  if (refusal) {
    // A refusal (a name taken, a bad parameter, something missing): its message is the whole story.
    process.stderr.write(`tribunal: ${refusal.message}\n`);
    process.exit(ERROR_KINDS[refusal.kind].exitCode);
  }
  console.error(error);
  process.exit(EXIT_CODES.unexpected);
}
