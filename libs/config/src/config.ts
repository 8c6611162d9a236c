import { isIP } from 'node:net';
import { isAbsolute, resolve } from 'node:path';

export type ProcessRole = 'api' | 'worker' | 'trainer';
export type LogLevel = 'error' | 'warn' | 'log' | 'debug' | 'verbose';

export interface TribunalConfig {
  /** PostgreSQL connection string; absent means the embedded database in `dataDir`. */
  databaseUrl: string | undefined;
  /** Where the embedded database lives (ignored with `databaseUrl`). */
  dataDir: string;
  host: string;
  port: number;
  logLevel: LogLevel;
  /** `text` for people at a terminal; `json`: one JSON object per line, for a log collector. */
  logFormat: 'text' | 'json';
  /** Jobs each worker process runs at once. */
  workerConcurrency: number;
  /** Load a built-in world dataset and start debates on a fresh database, so a newcomer sees the loop run. */
  demo: boolean;
  /**
   * With the demo, run the loop once on its world in the background: the audit round, a first model,
   * the dataset re-scored, a second round on the disputes the model chose.
   */
  demoLoop: boolean;
  /** Seed of the demo world. */
  demoSeed: number;
  /** Rooms in the demo world. */
  demoSize: number;
  /** Debates of each round of the demo judged by simulated judges (the audit round, and at most this many chosen by the model). */
  demoDebates: number;
  /** OpenAI-compatible endpoints protocols may name, by name. */
  endpoints: Record<string, EndpointConfig>;
  queue: QueueConfig;
  /** Failed authentications an address may make per minute before it is refused for a while; 0: no limit. */
  authFailuresPerMinute: number;
  /**
   * Which reverse proxies are believed about the client's address (Express's `trust proxy`): false
   * (none: the connection's address), a number of hops (the last N entries of X-Forwarded-For were
   * added by our proxies), or the proxies' addresses and subnets.
   */
  trustProxy: false | number | readonly string[];
  /** A bearer token that may read `GET /metrics` (and nothing else), for a Prometheus scraper; admins' keys may too. */
  metricsToken: string | undefined;
  /** Where trainer processes train: `auto` (CUDA device 0 if usable, else the CPU), `cpu`, `cuda` or `cuda:N`. */
  trainerDevice: string;
  /**
   * The only directory `POST /datasets/import/nyu` may read archives from (absolute); undefined:
   * the API refuses server paths (the command line, run locally, imports any path it is given).
   */
  importDir: string | undefined;
  /**
   * Where webhooks may deliver: `public` (hosts that resolve only to public addresses: no loopback,
   * private, link-local or other special-purpose ranges), `any`, or only the listed host names.
   */
  webhookTargets: WebhookTargets;
}

/** `public`, `any`, or an allow-list of host names and addresses (`*.example.com` allows its subdomains). */
export type WebhookTargets = 'public' | 'any' | readonly string[];

export interface EndpointConfig {
  baseUrl: string;
  apiKey: string;
  /** Seconds one request may take, unless the protocol sets its own speech timeout. */
  timeoutSeconds: number;
  /**
   * How judge models on it are asked for their verdict: `json_schema` (structured output through
   * `response_format`), `text` (the prompt alone, the reply parsed), or `auto`: the first, falling
   * back to the second where the endpoint refuses it.
   */
  responseFormat: 'auto' | 'json_schema' | 'text';
}

export interface QueueConfig {
  /** Attempts after the first before a job's debate fails. */
  retries: number;
  /** Seconds before the first retry; doubled (with jitter) for each further one. */
  retryDelaySeconds: number;
  /** A running job's worker reports every half of this; a job not reported for this long is retried. */
  heartbeatSeconds: number;
  /** How often stalled and expired jobs are looked for. */
  superviseSeconds: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

function integer(env: Env, key: string, fallback: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${key} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function boolean(env: Env, key: string, fallback: boolean): boolean {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${key} must be true or false, got "${raw}"`);
}

function oneOf<T extends string>(env: Env, key: string, choices: readonly T[], fallback: T): T {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  if (!choices.includes(raw as T)) throw new ConfigError(`${key} must be one of ${choices.join(', ')}, got "${raw}"`);
  return raw as T;
}

function databaseUrl(env: Env): string | undefined {
  const raw = env.DATABASE_URL;
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`DATABASE_URL is not a valid URL: "${raw}"`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(`DATABASE_URL must start with postgres:// or postgresql://, got "${url.protocol}//"`);
  }
  return raw;
}

const RESPONSE_FORMATS: readonly EndpointConfig['responseFormat'][] = ['auto', 'json_schema', 'text'];

function endpoints(env: Env): Record<string, EndpointConfig> {
  const raw = env.TRIBUNAL_ENDPOINTS;
  if (!raw) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError('TRIBUNAL_ENDPOINTS must be JSON: {"name": {"baseUrl": "http://…/v1", "apiKey": "…"}}');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ConfigError('TRIBUNAL_ENDPOINTS must be a JSON object of named endpoints');
  const result: Record<string, EndpointConfig> = {};
  for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (!/^[a-z0-9_-]+$/.test(name))
      throw new ConfigError(`TRIBUNAL_ENDPOINTS: endpoint name "${name}" must be lower-case letters, digits, "_" or "-"`);
    const endpoint = value as Partial<EndpointConfig> | null;
    if (!endpoint || typeof endpoint.baseUrl !== 'string' || !/^https?:\/\//.test(endpoint.baseUrl)) {
      throw new ConfigError(`TRIBUNAL_ENDPOINTS.${name}.baseUrl must be an http(s) URL`);
    }
    if (endpoint.apiKey !== undefined && typeof endpoint.apiKey !== 'string')
      throw new ConfigError(`TRIBUNAL_ENDPOINTS.${name}.apiKey must be a string`);
    const timeout = endpoint.timeoutSeconds ?? 120;
    if (typeof timeout !== 'number' || !(timeout > 0 && timeout <= 3600)) {
      throw new ConfigError(`TRIBUNAL_ENDPOINTS.${name}.timeoutSeconds must be a number of seconds between 0 and 3600`);
    }
    const responseFormat = endpoint.responseFormat ?? 'auto';
    if (!RESPONSE_FORMATS.includes(responseFormat)) {
      throw new ConfigError(
        `TRIBUNAL_ENDPOINTS.${name}.responseFormat must be auto, json_schema or text, got ${JSON.stringify(responseFormat)}`,
      );
    }
    result[name] = { baseUrl: endpoint.baseUrl, apiKey: endpoint.apiKey ?? 'none', timeoutSeconds: timeout, responseFormat };
  }
  return result;
}

function trainerDevice(env: Env): string {
  const raw = env.TRIBUNAL_TRAINER_DEVICE || 'auto';
  if (!/^(auto|cpu|cuda(:\d+)?)$/.test(raw))
    throw new ConfigError(`TRIBUNAL_TRAINER_DEVICE must be auto, cpu, cuda or cuda:N, got "${raw}"`);
  return raw;
}

function webhookTargets(env: Env): WebhookTargets {
  const raw = (env.TRIBUNAL_WEBHOOK_TARGETS ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'public') return 'public';
  if (raw === 'any') return 'any';
  const hosts = raw.split(',').map((host) => host.trim().replace(/^\[(.*)\]$/, '$1'));
  for (const host of hosts) {
    if (!isIP(host) && !/^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(host)) {
      throw new ConfigError(
        `TRIBUNAL_WEBHOOK_TARGETS must be public, any, or a comma-separated list of host names or addresses ("*.example.com" allows its subdomains), got "${host}"`,
      );
    }
  }
  return hosts;
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function trustProxy(env: Env): false | number | readonly string[] {
  const raw = (env.TRIBUNAL_TRUST_PROXY ?? '').trim().toLowerCase();
  if (['', '0', 'false', 'no', 'off'].includes(raw)) return false;
  // `true` is the usual single reverse proxy: one hop, never "believe X-Forwarded-For as sent".
  if (['true', 'yes', 'on'].includes(raw)) return 1;
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops > 32) throw new ConfigError(`TRIBUNAL_TRUST_PROXY: a hop count must be between 0 and 32, got "${raw}"`);
    return hops;
  }
  const entries = raw.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    const [address, prefix, extra] = entry.split('/');
    const family = isIP(address ?? '');
    const prefixOk = prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (family === 6 ? 128 : 32));
    if (!PROXY_NAMES.includes(entry) && (!family || !prefixOk || extra !== undefined)) {
      throw new ConfigError(
        `TRIBUNAL_TRUST_PROXY must be false, true (one hop), a hop count, or a comma-separated list of proxy addresses, subnets (10.0.0.0/8) or ${PROXY_NAMES.join(', ')}; got "${entry}"`,
      );
    }
  }
  return entries;
}

function metricsToken(env: Env): string | undefined {
  const raw = env.TRIBUNAL_METRICS_TOKEN;
  if (raw === undefined || raw === '') return undefined;
  if (raw.length < 24 || /\s/.test(raw))
    throw new ConfigError('TRIBUNAL_METRICS_TOKEN must be at least 24 characters without spaces (e.g. openssl rand -hex 24)');
  return raw;
}

/**
 * Reads and validates the whole configuration once, at start-up. Nothing else in the code base reads
 * `process.env`: a bad value stops the process here with a message naming the setting.
 */
export function loadConfig(env: Env, cwd = process.cwd()): TribunalConfig {
  const logLevel = oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'log');
  const dataDir = env.TRIBUNAL_DATA_DIR || '.tribunal';
  return {
    databaseUrl: databaseUrl(env),
    dataDir: isAbsolute(dataDir) ? dataDir : resolve(cwd, dataDir),
    host: env.HOST || '127.0.0.1',
    port: integer(env, 'PORT', 3000, 0, 65535),
    logLevel,
    logFormat: oneOf(env, 'LOG_FORMAT', ['text', 'json'] as const, 'text'),
    workerConcurrency: integer(env, 'TRIBUNAL_WORKER_CONCURRENCY', 4, 1, 256),
    demo: boolean(env, 'TRIBUNAL_DEMO', true),
    demoLoop: boolean(env, 'TRIBUNAL_DEMO_LOOP', true),
    demoSeed: integer(env, 'TRIBUNAL_DEMO_SEED', 1, 0, 2 ** 31 - 1),
    demoSize: integer(env, 'TRIBUNAL_DEMO_SIZE', 200, 1, 1_000_000),
    demoDebates: integer(env, 'TRIBUNAL_DEMO_DEBATES', 40, 0, 10_000),
    endpoints: endpoints(env),
    trainerDevice: trainerDevice(env),
    importDir: env.TRIBUNAL_IMPORT_DIR ? resolve(cwd, env.TRIBUNAL_IMPORT_DIR) : undefined,
    authFailuresPerMinute: integer(env, 'TRIBUNAL_AUTH_FAILURES_PER_MINUTE', 30, 0, 100_000),
    trustProxy: trustProxy(env),
    metricsToken: metricsToken(env),
    webhookTargets: webhookTargets(env),
    queue: {
      retries: integer(env, 'TRIBUNAL_JOB_RETRIES', 4, 0, 100),
      retryDelaySeconds: integer(env, 'TRIBUNAL_JOB_RETRY_DELAY_SECONDS', 2, 1, 3600),
      heartbeatSeconds: integer(env, 'TRIBUNAL_JOB_HEARTBEAT_SECONDS', 20, 10, 3600),
      superviseSeconds: integer(env, 'TRIBUNAL_QUEUE_SUPERVISE_SECONDS', 10, 1, 3600),
    },
  };
}
