import { io, type Socket } from 'socket.io-client';
import type { ClientEvents, ServerEvents } from '../../../libs/contracts/src/events.js';

/** The signed-in user, as GET /me answers. */
export interface Me {
  id: string;
  name: string;
  role: 'admin' | 'researcher' | 'judge' | 'pipeline';
}

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

/** One call to the HTTP API with the stored key; a refusal throws with the server's messages. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${storedKey() ?? ''}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const parsed: unknown = text && response.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : text;
  if (!response.ok) {
    const message = (parsed as { message?: string | string[] })?.message ?? response.statusText;
    throw new ApiError(response.status, Array.isArray(message) ? message : [String(message)]);
  }
  return parsed as T;
}

export type TribunalSocket = Socket<ServerEvents, ClientEvents>;

/** A socket.io connection authenticated with the stored key; it reconnects by itself. */
export function connect(): TribunalSocket {
  return io({ auth: { token: storedKey() ?? '' }, transports: ['websocket'] });
}
