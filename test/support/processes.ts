/**
 * Tribunal's roles as separate operating-system processes, the way a lab deploys them: benchmarks and
 * fault tests spawn them from the built apps (dist/) so that one can be SIGKILLed and started again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

export type Role = 'api' | 'worker' | 'trainer';

export interface SpawnedProcess {
  role: Role;
  child: ChildProcess;
  /** The API's address (api role only). */
  url: string | undefined;
  /** The admin key printed on the first start of an API on a fresh database, if this was it. */
  adminKey: string | null;
  /** Resolves with the exit code or signal when the process ends. */
  exited: Promise<number | NodeJS.Signals | null>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** A TCP port free right now on 127.0.0.1, so that a restarted API can come back on the same address. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as { port: number };
  await new Promise((closed) => server.close(closed));
  return port;
}

/**
 * Starts `node dist/apps/<role>/src/main.js` with `env` (plus PATH), its output appended to `logFile`.
 * An API (give it PORT) is waited for until /ready answers 200 and, on a fresh database (`fresh`),
 * until it has printed the first admin's key; other roles are returned at once. `cwd` runs a build
 * elsewhere, and `args` replaces the command line after `node` (relative to `cwd`).
 */
export async function spawnRole(
  role: Role,
  env: Record<string, string>,
  { logFile, fresh = false, cwd = process.cwd(), args }: { logFile: string; fresh?: boolean; cwd?: string; args?: string[] },
): Promise<SpawnedProcess> {
  const command = args ?? [join('dist/apps', role, 'src/main.js')];
  const main = resolve(cwd, command[0]!);
  if (!existsSync(main)) throw new Error(`${main} is missing: run "npm run build" first`);
  const child = spawn(process.execPath, [main, ...command.slice(1)], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(logFile, { flags: 'a' });
  child.stderr!.pipe(log);
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    log.write(chunk);
  });
  const exited = new Promise<number | NodeJS.Signals | null>((done) => child.on('exit', (code, signal) => done(signal ?? code)));
  const spawned: SpawnedProcess = {
    role,
    child,
    url: undefined,
    adminKey: null,
    exited,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  if (role !== 'api') return spawned;

  const url = `http://${env.HOST ?? '127.0.0.1'}:${env.PORT}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the api process exited with ${child.exitCode}; see ${logFile}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the api process did not become ready at ${url}; see ${logFile}`);
    }
    spawned.adminKey = (/API key, shown this once:\s+(\S+)/.exec(stdout) ?? /"adminKey":"([^"]+)"/.exec(stdout))?.[1] ?? null;
    const ready = await fetch(`${url}/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready && (!fresh || spawned.adminKey)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  spawned.url = url;
  return spawned;
}
