import createClient, { type Middleware } from 'openapi-fetch';
import { io, type Socket } from 'socket.io-client';
import type { components, paths } from '../../../libs/contracts/src/api-types.js';
import type { ClientEvents, ServerEvents } from '../../../libs/contracts/src/events.js';

/** The API's response and request shapes, generated from its OpenAPI document (npm run openapi). */
export type Schemas = components['schemas'];

/** The signed-in user, as GET /me answers. */
export type Me = Schemas['PrincipalDoc'];

const KEY = 'tribunal.key';

export function storedKey(): string | null {
  return localStorage.getItem(KEY);
}

export function storeKey(key: string | null): void {
  if (key) localStorage.setItem(KEY, key);
  else localStorage.removeItem(KEY);
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problems: string[],
  ) {
    super(problems.join('; '));
  }
}

/** A refusal's problems: an invalid request's, one per field (`problems`), else its one message. */
function problemsOf(body: unknown, otherwise: string): string[] {
  const { problems, message } = (body ?? {}) as { problems?: unknown; message?: unknown };
  if (Array.isArray(problems) && problems.length > 0) return problems.map(String);
  if (Array.isArray(message)) return message.map(String);
  return [message === undefined ? otherwise : String(message)];
}

/** The refusal of a request as an ApiError with the server's messages. */
async function refusal(response: Response): Promise<ApiError> {
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: the text is the message
  }
  return new ApiError(response.status, problemsOf(typeof parsed === 'object' ? parsed : undefined, text || response.statusText));
}

/** The stored key on every request; a refusal thrown as an ApiError, so a typed call's `data` is its answer. */
const middleware: Middleware = {
  onRequest({ request }) {
    request.headers.set('authorization', `Bearer ${storedKey() ?? ''}`);
    return request;
  },
  async onResponse({ response }) {
    if (!response.ok) throw await refusal(response);
    return response;
  },
};

/** The typed client of the HTTP API (openapi-fetch over the generated paths). */
export const client = createClient<paths>({ baseUrl: globalThis.location?.origin ?? '' });
client.use(middleware);

/** The data of a typed call's answer; a refusal has already been thrown as an ApiError. */
export async function data<T>(call: Promise<{ data?: T }>): Promise<T> {
  return (await call).data as T;
}

/** One call to the HTTP API with the stored key, for what the typed client does not read (NDJSON); a refusal throws with the server's messages. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${storedKey() ?? ''}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const parsed: unknown = text && response.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : text;
  if (!response.ok) {
    throw new ApiError(response.status, problemsOf(typeof parsed === 'object' ? parsed : undefined, response.statusText));
  }
  return parsed as T;
}

export type TribunalSocket = Socket<ServerEvents, ClientEvents>;

/** A socket.io connection authenticated with the stored key; it reconnects by itself. */
export function connect(): TribunalSocket {
  return io({ auth: { token: storedKey() ?? '' }, transports: ['websocket'] });
}
