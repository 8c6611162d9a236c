import { execSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, spawnRole, type SpawnedProcess } from '../support/processes.js';
import { http, type TestApp } from '../support/app.js';
import { createTestDatabase } from '../support/postgres.js';

/**
 * There is no container engine on the machines the tests run on, so the image's recipe is replayed
 * here, step by step, from docker/Dockerfile itself: the build stage's COPYs (honouring
 * .dockerignore) and RUNs in an empty directory, then the runtime stage's COPY --from=build into
 * another, started with the image's ENTRYPOINT and CMD and production settings. A file the build
 * needs but the Dockerfile does not copy, or a runtime import of a development dependency, fails it.
 */
interface Stage {
  copies: { from?: string; sources: string[]; target: string }[];
  runs: string[];
  args: Record<string, string>;
  env: Record<string, string>;
  entrypoint: string[];
  cmd: string[];
}

function parseDockerfile(path: string): Stage[] {
  const stages: Stage[] = [];
  const lines = readFileSync(path, 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  for (const line of lines) {
    const [, instruction, rest] = /^(\w+)\s+(.*)$/.exec(line)!;
    if (instruction === 'FROM') {
      stages.push({ copies: [], runs: [], args: {}, env: {}, entrypoint: [], cmd: [] });
      continue;
    }
    const stage = stages.at(-1)!;
    if (instruction === 'COPY') {
      const words = rest!.split(/\s+/);
      const from = words[0]!.startsWith('--from=') ? words.shift()!.slice('--from='.length) : undefined;
      stage.copies.push({ from, sources: words.slice(0, -1), target: words.at(-1)! });
    } else if (instruction === 'RUN') stage.runs.push(rest!);
    else if (instruction === 'ARG') {
      const [name, value] = rest!.split('=');
      stage.args[name!] = value ?? '';
    } else if (instruction === 'ENV') {
      for (const pair of rest!.split(/\s+/)) stage.env[pair.split('=')[0]!] = pair.split('=')[1]!;
    } else if (instruction === 'ENTRYPOINT') stage.entrypoint = JSON.parse(rest!);
    else if (instruction === 'CMD') stage.cmd = JSON.parse(rest!);
  }
  return stages;
}

/** Root-level .dockerignore entries (the only kind the project uses). */
const ignored = readFileSync('.dockerignore', 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));

/** COPY `source` of `fromRoot` to `target` in `toRoot`; from the build context (`context`), what .dockerignore names is left out. */
function copy(fromRoot: string, source: string, toRoot: string, target: string, context = false): void {
  const from = resolve(fromRoot, source);
  if (!existsSync(from)) throw new Error(`COPY ${source}: no such file in ${fromRoot}`);
  const destination =
    target.endsWith('/') || target === '.' || target === './' ? join(toRoot, target, source.split('/').pop()!) : join(toRoot, target);
  mkdirSync(dirname(destination), { recursive: true });
  cpSync(from, destination, {
    recursive: true,
    filter: (path) =>
      !context || !ignored.some((entry) => path === resolve(fromRoot, entry) || path.startsWith(resolve(fromRoot, entry) + '/')),
  });
}

describe('the container image, built and run without a container engine', () => {
  const work = mkdtempSync(join(tmpdir(), 'tribunal-image-'));
  let api: SpawnedProcess | undefined;
  let database: { url: string; drop: () => Promise<void> } | undefined;
  afterAll(async () => {
    await api?.kill('SIGTERM');
    await database?.drop();
    rmSync(work, { recursive: true, force: true });
  });

  it('builds from the files the Dockerfile copies and serves with production dependencies only', async () => {
    const [build, runtime] = parseDockerfile('docker/Dockerfile');
    expect(build && runtime, 'a build stage and a runtime stage').toBeTruthy();
    const buildDir = join(work, 'build');
    const runDir = join(work, 'run');
    mkdirSync(buildDir);
    mkdirSync(runDir);
    for (const { sources, target } of build!.copies) for (const source of sources) copy('.', source, buildDir, target, true);
    for (const run of build!.runs) {
      execSync(run, { cwd: buildDir, stdio: 'pipe', env: { ...process.env, ...build!.args }, timeout: 600_000 });
    }
    for (const { from, sources, target } of runtime!.copies) {
      expect(from).toBe('build');
      for (const source of sources) copy(buildDir, source.replace(/^\/app\//, ''), runDir, target);
    }
    // Nothing outside production dependencies is left to import.
    for (const tool of ['vitest', 'eslint', 'playwright-core', 'socket.io-client']) {
      expect(existsSync(join(runDir, 'node_modules', tool)), tool).toBe(false);
    }

    database = await createTestDatabase();
    const [node, ...args] = [...runtime!.entrypoint, ...runtime!.cmd];
    expect(node).toBe('node');
    const env = { ...runtime!.env, HOST: '127.0.0.1', PORT: String(await freePort()), DATABASE_URL: database.url, LOG_LEVEL: 'warn' };
    api = await spawnRole('api', env, { logFile: join(work, 'api.log'), fresh: true, cwd: runDir, args });
    const app = { url: api.url!, adminKey: api.adminKey! } as TestApp;
    expect((await http(app, 'GET', '/ready')).status).toBe(200);
    const page = await http(app, 'GET', '/');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<div id="root">/);
    expect((await http(app, 'GET', '/openapi.json')).body.info.title).toMatch(/Tribunal/);
    expect((await http(app, 'GET', '/users', api.adminKey!)).status).toBe(200);
  }, 900_000);

  it('has a compose file whose services build the images that exist and run roles that exist', () => {
    const compose = parse(readFileSync('docker/compose.yaml', 'utf8'), { merge: true }) as {
      services: Record<
        string,
        { build?: { context: string; dockerfile: string }; command?: string[]; environment?: Record<string, string> }
      >;
    };
    const roles = ['api', 'worker', 'trainer'];
    const covered: string[] = [];
    for (const [name, service] of Object.entries(compose.services)) {
      if (!service.build) continue;
      const dockerfile = join(resolve('docker', service.build.context), service.build.dockerfile);
      expect(existsSync(dockerfile), `${name}: ${service.build.dockerfile}`).toBe(true);
      const command = service.command ?? parseDockerfile(dockerfile).at(-1)!.cmd;
      expect(command.slice(0, 2), name).toEqual(['start', '--roles']);
      for (const role of command[2]!.split(',')) expect(roles, name).toContain(role);
      covered.push(...command[2]!.split(','));
      expect(service.environment?.DATABASE_URL, name).toMatch(/^postgres:\/\/.+@postgres:5432\//);
    }
    expect(new Set(covered)).toEqual(new Set(roles));
  });
});
