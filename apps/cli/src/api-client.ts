import { UsageError } from './protocols-command.js';

export type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A training job's view once it has ended, one way or the other. */
export const trainingEnded = (view: { status: string }) => ['completed', 'failed', 'cancelled'].includes(view.status);

/** A client of a running Tribunal's HTTP API; a refusal becomes a UsageError with the server's message. */
export class Api {
  readonly url: string;

  constructor(
    url: string,
    private readonly key: string,
  ) {
    this.url = url.replace(/\/$/, '');
  }

  /** The response to a request, once the server has accepted it: its body is still to be read (or streamed). */
  async response(path: string, method = 'GET', body?: unknown): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${this.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new UsageError(`cannot reach Tribunal at ${this.url}: ${(error as Error).message}`);
    }
    if (!response.ok) {
      const text = await response.text();
      let message = text.slice(0, 500);
      try {
        message = String((JSON.parse(text) as { message?: unknown }).message ?? message);
      } catch {
        // not JSON: keep the text
      }
      throw new UsageError(`${method} ${path}: ${response.status} ${message}`);
    }
    return response;
  }

  /** The response body of a request, as text. */
  async text(path: string, method = 'GET', body?: unknown): Promise<string> {
    return (await this.response(path, method, body)).text();
  }

  /** GETs `path` every `everyMs` until `ended` says so, handing each answer to `seen`; returns the last answer. */
  async poll(path: string, ended: (view: Json) => boolean, seen: (view: Json) => void = () => undefined, everyMs = 500): Promise<Json> {
    for (;;) {
      const view = await this.call('GET', path);
      seen(view);
      if (ended(view)) return view;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  }

  /** The JSON answer to a request. */
  async call(method: string, path: string, body?: unknown): Promise<Json> {
    const text = await this.text(path, method, body);
    return text ? JSON.parse(text) : null;
  }

  /** A dataset's id from its id or its name. */
  async dataset(ref: string): Promise<string> {
    const datasets = (await this.call('GET', '/datasets')) as { id: string; name: string }[];
    const found = datasets.find((d) => d.id === ref || d.name === ref);
    if (!found) throw new UsageError(`no dataset "${ref}"; there are: ${datasets.map((d) => d.name).join(', ') || 'none'}`);
    return found.id;
  }

  /** A model version's id from its id or its name. */
  async version(ref: string): Promise<Json> {
    const versions = (await this.call('GET', '/models')) as { id: string; name: string }[];
    const found = versions.find((v) => v.id === ref || v.name === ref);
    if (!found) throw new UsageError(`no model version "${ref}"`);
    return this.call('GET', `/models/${found.id}`);
  }
}
