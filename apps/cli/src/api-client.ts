import createClient, { type Client } from 'openapi-fetch';
import { domainError, errorKindOfStatus, NotFound, type ApiPaths, type ModelVersionView } from '#tribunal/contracts';
import { UsageError } from './protocols-command.js';

/** The typed client of the HTTP API, generated from its OpenAPI document (libs/contracts/src/api-types.ts). */
export type ApiClient = Client<ApiPaths>;

/** The data of a typed call's answer; a refusal has already been thrown (see `Api`). */
export async function data<T>(call: Promise<{ data?: T }>): Promise<T> {
  return (await call).data as T;
}

/** A training job's view once it has ended, one way or the other. */
export const trainingEnded = (view: { status: string }) => ['completed', 'failed', 'cancelled'].includes(view.status);

/** How the client retries and how long it waits; every field has a default. */
export interface ApiOptions {
  /** Attempts in all, the first included (default 5). */
  attempts?: number;
  /**
   * How long an attempt of a request that may be retried waits for the response's headers, in ms
   * (default 120 000; 0 for no limit of the client's own). The body is not timed: a long `labels pull`
   * streams for as long as it takes (undici still gives up on a body that stalls for 5 minutes, and on
   * headers after 5 minutes). A request that may not be retried (a plain POST) is not timed by default:
   * giving up on it would only turn a slow success into an unknown outcome.
   */
  timeoutMs?: number;
  /** The first retry's delay in ms before jitter (default 500), doubled on each further retry... */
  backoffMs?: number;
  /** ...up to this many ms (default 10 000). */
  maxBackoffMs?: number;
  /** The longest Retry-After honoured, in ms (default 60 000); a server that asks for longer is not retried. */
  maxRetryAfterMs?: number;
}

/** Options of one request. */
export interface RequestOptions {
  /** A POST that is safe to repeat (it only reads, or the server deduplicates it): retried like a GET. */
  idempotent?: boolean;
  /** This request's wait for response headers, in ms (0: no limit), instead of the client's; a plain POST is timed only so. */
  timeoutMs?: number;
}

const DEFAULTS: Required<ApiOptions> = { attempts: 5, timeoutMs: 120_000, backoffMs: 500, maxBackoffMs: 10_000, maxRetryAfterMs: 60_000 };

/** Methods whose repetition has the effect of one request (RFC 9110 §9.2.2). */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/** Statuses that say "not now": a gateway or an overloaded server, or a rate limit. */
const RETRIED_STATUSES = new Set([429, 502, 503, 504]);

/** Network failures worth another attempt, by the code Node (or undici, under fetch) gives them, with their wording. */
const TRANSIENT: Record<string, string> = {
  ECONNRESET: 'connection reset',
  ECONNREFUSED: 'connection refused',
  ECONNABORTED: 'connection aborted',
  EPIPE: 'connection broken',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENETDOWN: 'network down',
  EAI_AGAIN: 'host name lookup failed for now',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_CONNECT_TIMEOUT: 'timed out connecting',
  UND_ERR_HEADERS_TIMEOUT: 'timed out waiting for the response headers',
  UND_ERR_BODY_TIMEOUT: 'timed out waiting for the response body',
};

/** Network failures in which the request never left: safe to retry whatever the method. */
const NOT_SENT = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'EAI_AGAIN']);

/** Why an attempt failed. */
interface Failure {
  /** For the message: "connection reset (ECONNRESET)", "HTTP 503: busy", "timed out after 30 s". */
  cause: string;
  /** Whether another attempt may succeed where this one failed. */
  transient: boolean;
  /** Whether the server may have received (and acted on) the request. */
  reached: boolean;
  /** The server's Retry-After, in ms. */
  retryAfterMs?: number;
  /** Set on an HTTP refusal: its status. */
  status?: number;
}

class AttemptFailed extends Error {
  constructor(readonly failure: Failure) {
    super(failure.cause);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** "250 ms", "30 s", "1.5 s". */
const duration = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 100) / 10} s`);

/** The first code along an error's chain of causes (fetch's own "fetch failed" says nothing). */
function codeOf(error: unknown): { code: string | undefined; message: string } {
  let current: unknown = error;
  let message = error instanceof Error ? error.message : String(error);
  for (let depth = 0; current && depth < 5; depth++) {
    const { code, message: own, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof own === 'string' && own) message = own;
    if (typeof code === 'string') return { code, message };
    current = cause;
  }
  return { code: undefined, message };
}

/** A network error as a Failure, its cause named. */
function networkFailure(error: unknown): Failure {
  const { code, message } = codeOf(error);
  if (code && code in TRANSIENT) {
    // undici's own messages ("other side closed") say more than the code's wording; the system's ("read ECONNRESET") do not.
    const detail = code.startsWith('UND_ERR') && message && !message.includes(code) ? `: ${message}` : '';
    return { cause: `${TRANSIENT[code]} (${code}${detail})`, transient: true, reached: !NOT_SENT.has(code) };
  }
  return { cause: code && !message.includes(code) ? `${message} (${code})` : message, transient: false, reached: true };
}

/** Retry-After, in seconds or as an HTTP date, in ms from now. */
function retryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** A refusal's message: the `message` of Nest's JSON error body, else the start of the body. */
async function refusal(response: Response): Promise<Failure> {
  let text = '';
  try {
    text = await response.text();
  } catch {
    // the body is lost; the status still says enough
  }
  let message = text.slice(0, 500);
  try {
    const parsed = (JSON.parse(text) as { message?: unknown }).message;
    if (parsed !== undefined) message = Array.isArray(parsed) ? parsed.join('; ') : String(parsed);
  } catch {
    // not JSON: keep the text
  }
  const status = response.status;
  return {
    cause: `HTTP ${status}${message ? `: ${message}` : ` ${response.statusText}`}`,
    transient: RETRIED_STATUSES.has(status),
    // A 429 is a refusal before any work; a gateway's 502 or 504 may follow work done behind it.
    reached: status !== 429,
    retryAfterMs: retryAfter(response.headers.get('retry-after')),
    status,
  };
}

/**
 * A client of a running Tribunal's HTTP API. A refusal whose status stands for a kind of domain error
 * (400, 403, 404, 409, 429, 503: `ERROR_KINDS`) is thrown as that domain error with the server's
 * message, so a command exits as it would on the same refusal found locally; any other failure (the
 * server unreachable, a 401, a 500) is a UsageError with the message.
 *
 * Idempotent requests (GET, HEAD, PUT, DELETE, and a POST marked `idempotent`) are retried with
 * exponential backoff and jitter on network failures (reset, refused, closed, timed out) and on HTTP
 * 429, 502, 503 and 504, honouring Retry-After; other refusals are final. Any other POST is retried
 * only when it provably never left (connection refused) or was refused unread (429): one that fails
 * on the way may have been applied, which its error says. When the client gives up, its error names
 * the request, the cause and the number of attempts.
 */
export class Api {
  readonly url: string;
  /** Typed requests (openapi-fetch), sent through this client's retries: `await data(api.client.GET('/datasets'))`. */
  readonly client: ApiClient;
  private readonly options: Required<ApiOptions>;

  constructor(
    url: string,
    private readonly key: string,
    options: ApiOptions = {},
  ) {
    this.url = url.replace(/\/$/, '');
    const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as ApiOptions;
    this.options = { ...DEFAULTS, ...given };
    this.options.attempts = Math.max(1, Math.floor(this.options.attempts));
    this.client = createClient<ApiPaths>({ baseUrl: this.url, fetch: (request) => this.through(request) });
  }

  /**
   * A request of the typed client, sent as this client sends any: retried where it may be, its body
   * read in full (a body cut off on the way is retried too), a refusal thrown as `send` throws it.
   */
  async through(request: Request, options: RequestOptions = {}): Promise<Response> {
    const path = request.url.startsWith(this.url) ? request.url.slice(this.url.length) : request.url;
    const sent = request.body ? await request.text() : '';
    const body = sent ? (JSON.parse(sent) as unknown) : undefined;
    return this.send(path, request.method, body, options, async (response) => {
      const text = await response.text();
      return new Response(text === '' ? null : text, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    });
  }

  /** The response to a request, once the server has accepted it: its body is still to be read (or streamed). */
  async response(path: string, method = 'GET', body?: unknown, options: RequestOptions = {}): Promise<Response> {
    return this.send(path, method, body, options, async (response) => response);
  }

  /** The response body of a request, as text; a body cut off on the way is retried like a failed request. */
  async text(path: string, method = 'GET', body?: unknown, options: RequestOptions = {}): Promise<string> {
    return this.send(path, method, body, options, (response) => response.text());
  }

  /** Reads every `everyMs` until `ended` says so, handing each answer to `seen`; returns the last answer. */
  async poll<T>(read: () => Promise<T>, ended: (view: T) => boolean, seen: (view: T) => void = () => undefined, everyMs = 500): Promise<T> {
    for (;;) {
      const view = await read();
      seen(view);
      if (ended(view)) return view;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  }

  /** The JSON answer to a request. */
  async call(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<unknown> {
    const text = await this.text(path, method, body, options);
    return text ? (JSON.parse(text) as unknown) : null;
  }

  /** A dataset's id from its id or its name. */
  async dataset(ref: string): Promise<string> {
    const datasets = await data(this.client.GET('/datasets'));
    const found = datasets.find((d) => d.id === ref || d.name === ref);
    if (!found) throw new NotFound(`no dataset "${ref}"; there are: ${datasets.map((d) => d.name).join(', ') || 'none'}`);
    return found.id;
  }

  /** A model version's id from its id or its name. */
  async version(ref: string): Promise<ModelVersionView> {
    const versions = await data(this.client.GET('/models'));
    const found = versions.find((v) => v.id === ref || v.name === ref);
    if (!found) throw new NotFound(`no model version "${ref}"`);
    return data(this.client.GET('/models/{id}', { params: { path: { id: found.id } } }));
  }

  /**
   * Sends a request until `read` has its answer, retrying what may be retried. When it gives up, the
   * last refusal's kind (from its status) is thrown as its domain error; any other failure as a UsageError.
   */
  private async send<T>(
    path: string,
    method: string,
    body: unknown,
    options: RequestOptions,
    read: (response: Response) => Promise<T>,
  ): Promise<T> {
    method = method.toUpperCase();
    const idempotent = options.idempotent === true || IDEMPOTENT_METHODS.has(method);
    const { attempts, maxRetryAfterMs } = this.options;
    const timeoutMs = options.timeoutMs ?? (idempotent ? this.options.timeoutMs : 0);
    for (let attempt = 1; ; attempt++) {
      let failure: Failure;
      try {
        return await this.attempt(path, method, body, timeoutMs, read);
      } catch (error) {
        if (!(error instanceof AttemptFailed)) throw error;
        failure = error.failure;
      }
      const request = `${method} ${path}`;
      const tried = `${attempt} attempt${attempt === 1 ? '' : 's'}`;
      const where = failure.status === undefined ? ` on Tribunal at ${this.url}` : '';
      const kind = failure.status === undefined ? undefined : errorKindOfStatus(failure.status);
      const giveUp = (message: string) => (kind ? domainError(kind, message) : new UsageError(message));
      if (!failure.transient) {
        throw giveUp(`${request}${where}: ${failure.cause}${attempt > 1 ? ` (after ${tried})` : ''}`);
      }
      if (!idempotent && failure.reached) {
        throw giveUp(
          `${request}${where}: ${failure.cause}; not retried after ${tried}, as a ${method} ` +
            `may have been applied by the server before it failed: check before running it again`,
        );
      }
      if (failure.retryAfterMs !== undefined && failure.retryAfterMs > maxRetryAfterMs) {
        throw giveUp(
          `${request}${where}: ${failure.cause}; the server asks to retry after ${duration(failure.retryAfterMs)}, ` +
            `longer than the ${duration(maxRetryAfterMs)} this client waits (gave up after ${tried})`,
        );
      }
      if (attempt >= attempts) throw giveUp(`${request}${where}: ${failure.cause}; gave up after ${tried}`);
      await sleep(failure.retryAfterMs ?? this.backoff(attempt));
    }
  }

  /** The wait before retry number `retry`: exponential, capped, with "equal jitter" (half fixed, half random). */
  private backoff(retry: number): number {
    const ceiling = Math.min(this.options.maxBackoffMs, this.options.backoffMs * 2 ** (retry - 1));
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  /** One attempt; its failures are AttemptFailed. Only the wait for the headers is timed, never the body's reading. */
  private async attempt<T>(
    path: string,
    method: string,
    body: unknown,
    timeoutMs: number,
    read: (response: Response) => Promise<T>,
  ): Promise<T> {
    const controller = new AbortController();
    let timedOut = false;
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            controller.abort();
          }, timeoutMs)
        : undefined;
    let response: Response;
    try {
      response = await fetch(`${this.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal,
      });
    } catch (error) {
      throw new AttemptFailed(
        timedOut
          ? { cause: `timed out after ${duration(timeoutMs)} waiting for a response`, transient: true, reached: true }
          : networkFailure(error),
      );
    } finally {
      clearTimeout(timer);
    }
    if (!response.ok) throw new AttemptFailed(await refusal(response));
    try {
      return await read(response);
    } catch (error) {
      throw new AttemptFailed(networkFailure(error));
    }
  }
}
