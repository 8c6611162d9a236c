import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Presets, SingleBar } from 'cli-progress';
import { Api, data } from './api-client.js';
import { UsageError } from './protocols-command.js';

export const LABELS_USAGE = `labels pull [--url URL] [--key KEY] [--after SEQ] [--out FILE] [--set small|large]
             [--dataset ID] [--protocol NAME] [--since ISO-TIME]
                                        pull labels as NDJSON over HTTP, resuming after FILE's last label`;

/** The sequence number of the last label in an NDJSON file, to resume after it. */
function lastSeq(file: string): string | undefined {
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n').filter(Boolean);
  const last = lines.at(-1);
  if (!last) return undefined;
  try {
    return String((JSON.parse(last) as { seq: string }).seq);
  } catch {
    throw new UsageError(`${file} does not end with a label; give --after explicitly or another --out`);
  }
}

/**
 * A pipeline's client: pulls every label after a cursor, streamed, into a file (or standard output),
 * with a progress bar; run it again with the same --out and it continues where it stopped.
 */
export async function labelsCommand(args: string[], env: { url?: string; key?: string }): Promise<void> {
  const [sub, ...rest] = args;
  if (sub !== 'pull') throw new UsageError(`usage: tribunal ${LABELS_USAGE}`);
  const { values } = parseArgs({
    args: rest,
    options: {
      url: { type: 'string' },
      key: { type: 'string' },
      after: { type: 'string' },
      out: { type: 'string' },
      set: { type: 'string' },
      dataset: { type: 'string' },
      protocol: { type: 'string' },
      since: { type: 'string' },
    },
  });
  const key = values.key ?? env.key;
  if (!key) throw new UsageError('labels pull needs an API key: --key, or TRIBUNAL_KEY in the environment');
  const api = new Api(values.url ?? env.url ?? 'http://127.0.0.1:3000', key);
  const after = values.after ?? (values.out && existsSync(values.out) ? lastSeq(values.out) : undefined) ?? '0';
  if (!/^\d+$/.test(after)) throw new UsageError(`--after must be a sequence number, got "${after}"`);
  const query = new URLSearchParams({ after });
  for (const [name, value] of [
    ['set', values.set],
    ['datasetId', values.dataset],
    ['protocol', values.protocol],
    ['since', values.since],
  ] as const) {
    if (value) query.set(name, value);
  }
  const filter = Object.fromEntries(query) as {
    after: string;
    set?: 'small' | 'large';
    datasetId?: string;
    protocol?: string;
    since?: string;
  };
  const { count: total } = await data(api.client.GET('/labels/count', { params: { query: filter } }));
  // The labels themselves are NDJSON, streamed line by line: read from the response, not through the typed client.
  const response = await api.response(`/labels?${query}`);
  if (!response.body) throw new UsageError(`GET /labels: the response has no body`);

  const out: NodeJS.WritableStream = values.out ? createWriteStream(values.out, { flags: 'a' }) : process.stdout;
  const bar = new SingleBar({ format: 'labels [{bar}] {value}/{total}', stream: process.stderr, hideCursor: true }, Presets.shades_classic);
  bar.start(total, 0);
  let received = 0;
  let pending = '';
  const decoder = new TextDecoder();
  for await (const chunk of response.body) {
    pending += decoder.decode(chunk, { stream: true });
    const complete = pending.lastIndexOf('\n') + 1;
    if (complete === 0) continue;
    const lines = pending.slice(0, complete);
    pending = pending.slice(complete);
    received += lines.split('\n').length - 1;
    // Only whole lines reach the file, so an interrupted pull resumes cleanly from its last line.
    if (!out.write(lines)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    bar.update(Math.min(received, total));
  }
  bar.update(received);
  bar.stop();
  if (out !== process.stdout) await new Promise<void>((resolve) => out.end(() => resolve()));
  process.stderr.write(`pulled ${received} labels after ${after}${values.out ? ` into ${values.out}` : ''}\n`);
}
