/**
 * The ceiling of the carrier between processes that live events travel on. Events of a live turn's
 * size (a JSON envelope of ~800 bytes) are published at a rate stepped up from a few hundred a second,
 * and every listener (default 2, as two API processes; each a process of its own) times each event
 * from its publishing to its arrival, as parsed JSON. Per step: the rate achieved and p50/p99 of that
 * latency; the knee is the first step whose median climbs past 3× the lowest step's (and 2 ms) or
 * that falls short of its rate.
 *
 * - PostgreSQL NOTIFY → LISTEN, published as `LiveEvents` does: each publishing process (default 4)
 *   sends what is waiting in one `pg_notify` statement over `unnest`, one statement after another on
 *   a connection of its own.
 * - Redis streams (XADD → XREAD BLOCK), the carrier under socket.io's Redis streams adapter, published
 *   the same way (what is waiting, pipelined in one write); through a minimal client of Redis's wire
 *   protocol here, so that no dependency is added for a benchmark. Skipped, and said so, when no Redis
 *   answers at TRIBUNAL_BENCH_REDIS_URL (default redis://127.0.0.1:6379).
 *
 * Needs PostgreSQL (TRIBUNAL_BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres).
 * Loopback only. Run: npm run bench:carrier [-- --rates 500,1000,… --seconds S --publishers P --listeners L --json]
 */
import { fork } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { benchDatabase } from './database.js';
import { latencies } from './live.js';
import type { Figure } from './report.js';

const { values } = parseArgs({
  options: {
    rates: { type: 'string', default: '500,1000,2000,4000,8000,16000,32000,64000,128000' },
    seconds: { type: 'string', default: '3' },
    publishers: { type: 'string', default: '4' },
    listeners: { type: 'string', default: '2' },
    json: { type: 'boolean', default: false },
    // In a listener process: which carrier, and where.
    listen: { type: 'string' },
    url: { type: 'string' },
  },
});
const say = (line: string) => (values.json ? process.stderr : process.stdout).write(line + '\n');
const CHANNEL = 'tribunal_bench_carrier';
const STREAM = 'tribunal_bench_carrier';
const now = () => performance.timeOrigin + performance.now();

/** An event as a listener receives it: the envelope of a live turn, with when it was published. */
const filler = 'The sensor readings in the rooms agree with my answer, and my opponent has not shown otherwise. '.repeat(6);
const event = (step: number, seq: number) =>
  JSON.stringify({ room: `debate:${seq % 100}`, event: 'turn.created', step, seq, sent: now(), text: filler });

// ---- A minimal Redis client: RESP2 commands out, replies parsed as they come ----
type Reply = string | number | null | Reply[] | Error;
class Redis {
  private buffer: Buffer = Buffer.alloc(0);
  private readonly waiting: ((reply: Reply) => void)[] = [];
  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
      for (;;) {
        const parsed = Redis.parse(this.buffer, 0);
        if (!parsed) break;
        this.buffer = this.buffer.subarray(parsed.end);
        this.waiting.shift()?.(parsed.reply);
      }
    });
  }

  static open(url: string): Promise<Redis> {
    const { hostname, port } = new URL(url);
    return new Promise((opened, failed) => {
      const socket = connect(Number(port || 6379), hostname, () => opened(new Redis(socket)));
      socket.setNoDelay(true);
      socket.once('error', failed);
    });
  }

  private static parse(b: Buffer, at: number): { reply: Reply; end: number } | null {
    const line = b.indexOf('\r\n', at);
    if (line < 0) return null;
    const head = b.toString('latin1', at + 1, line);
    const next = line + 2;
    switch (String.fromCharCode(b[at]!)) {
      case '+':
        return { reply: head, end: next };
      case '-':
        return { reply: new Error(head), end: next };
      case ':':
        return { reply: Number(head), end: next };
      case '$': {
        const n = Number(head);
        if (n < 0) return { reply: null, end: next };
        if (b.length < next + n + 2) return null;
        return { reply: b.toString('utf8', next, next + n), end: next + n + 2 };
      }
      case '*': {
        const n = Number(head);
        if (n < 0) return { reply: null, end: next };
        const items: Reply[] = [];
        let end = next;
        for (let i = 0; i < n; i++) {
          const item = Redis.parse(b, end);
          if (!item) return null;
          items.push(item.reply);
          end = item.end;
        }
        return { reply: items, end };
      }
      default:
        throw new Error(`unexpected reply from Redis: ${head}`);
    }
  }

  private static encode(args: readonly string[]): string {
    return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
  }

  /** Sends the commands in one write; resolves with their replies in order. */
  pipeline(commands: readonly string[][]): Promise<Reply[]> {
    const replies = commands.map(() => new Promise<Reply>((r) => this.waiting.push(r)));
    this.socket.write(commands.map(Redis.encode).join(''));
    return Promise.all(replies);
  }

  async command(...args: string[]): Promise<Reply> {
    const [reply] = await this.pipeline([args]);
    if (reply instanceof Error) throw reply;
    return reply!;
  }

  close(): void {
    this.socket.destroy();
  }
}

// ---- A listener process: receives events, and reports each step's latencies when asked ----
if (values.listen) {
  const received = new Map<number, number[]>();
  const take = (text: string) => {
    const e = JSON.parse(text) as { step: number; sent: number };
    let step = received.get(e.step);
    if (!step) received.set(e.step, (step = []));
    step.push(now() - e.sent);
  };
  if (values.listen === 'postgres') {
    const client = new pg.Client({ connectionString: values.url });
    client.on('notification', (message) => take(message.payload!));
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
  } else {
    const redis = await Redis.open(values.url!);
    // As socket.io's Redis streams adapter reads: up to 100 entries a call, blocking until there are some.
    void (async () => {
      let last = '$';
      for (;;) {
        const reply = (await redis.command('XREAD', 'COUNT', '100', 'BLOCK', '0', 'STREAMS', STREAM, last)) as [
          string,
          [string, string[]][],
        ][];
        for (const [id, fields] of reply[0]![1]) {
          take(fields[1]!);
          last = id;
        }
      }
    })();
  }
  // `{ count }`: how many of the step's events arrived so far; `{ take }`: their latencies, forgotten here.
  process.on('message', (ask: { count: number } | { take: number }) => {
    if ('count' in ask) process.send!({ count: received.get(ask.count)?.length ?? 0 });
    else {
      process.send!({ latencies: received.get(ask.take) ?? [] });
      received.delete(ask.take);
    }
  });
  process.send!('listening');
} else {
  await main();
}

interface Step {
  target: number;
  achieved: number;
  p50: number;
  p99: number;
  max: number;
  delivered: number;
  expected: number;
}

interface Carrier {
  name: string;
  /** Each sends what is waiting as one batch, batches one after another. */
  publishers: { send: (batch: string[]) => Promise<unknown> }[];
  listeners: ReturnType<typeof fork>[];
  steps: Step[];
  /** Run after each step, once its listeners have reported. */
  between?: () => Promise<unknown>;
  /** Past the knee by far: higher steps would only queue more. */
  stopped: boolean;
}

async function carrier(
  name: string,
  url: string,
  publishers: Carrier['publishers'],
  listeners: number,
  between?: () => Promise<unknown>,
): Promise<Carrier> {
  const children = Array.from({ length: listeners }, () =>
    fork(fileURLToPath(import.meta.url), ['--listen', name, '--url', url], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
  await Promise.all(children.map((child) => new Promise((ready) => child.once('message', ready))));
  return { name, publishers, listeners: children, steps: [], between, stopped: false };
}

/** Publishes `rate` events a second for `seconds` through the carrier's publishers, round-robin; what its listeners saw. */
async function step(c: Carrier, s: number, rate: number, seconds: number): Promise<Step> {
  const { publishers } = c;
  const outboxes = publishers.map(() => [] as string[]);
  const sending = publishers.map(() => false);
  const flush = (p: number) => {
    if (sending[p] || outboxes[p]!.length === 0) return;
    sending[p] = true;
    const batch = outboxes[p]!.splice(0, 500);
    void publishers[p]!.send(batch).finally(() => {
      sending[p] = false;
      flush(p);
    });
  };
  const total = Math.round(rate * seconds);
  const began = now();
  let made = 0;
  // Events fall due on the schedule; each tick (about a millisecond) publishes those due.
  while (made < total) {
    const due = Math.min(total, Math.floor(((now() - began) / 1000) * rate) + 1);
    for (; made < due; made++) outboxes[made % publishers.length]!.push(event(s, made));
    for (let p = 0; p < publishers.length; p++) flush(p);
    await new Promise((r) => setTimeout(r, 1));
  }
  while (sending.some(Boolean) || outboxes.some((o) => o.length)) await new Promise((r) => setTimeout(r, 5));
  const elapsed = (now() - began) / 1000;
  const ask = <T>(child: ReturnType<typeof fork>, question: object) =>
    new Promise<T>((answered) => {
      child.once('message', (reply: T) => answered(reply));
      child.send(question);
    });
  // Until every listener has every event of the step, or nothing more arrived for a second.
  for (let last = -1, quiet = 0; quiet < 20;) {
    const counts = await Promise.all(c.listeners.map((child) => ask<{ count: number }>(child, { count: s })));
    const got = counts.reduce((n, x) => n + x.count, 0);
    if (got === total * c.listeners.length) break;
    quiet = got === last ? quiet + 1 : 0;
    last = got;
    await new Promise((r) => setTimeout(r, 50));
  }
  const gathered = await Promise.all(c.listeners.map((child) => ask<{ latencies: number[] }>(child, { take: s }).then((r) => r.latencies)));
  await c.between?.();
  const all = latencies(gathered.flat());
  return { target: rate, achieved: total / elapsed, ...all, delivered: all.count, expected: total * c.listeners.length };
}

/** Each rate in turn, on every carrier one after the other (so that a burst of load from elsewhere touches both), after a warm-up. */
async function stepped(carriers: Carrier[], rates: number[], seconds: number): Promise<void> {
  for (const c of carriers) await step(c, -1, rates[0]!, 1);
  for (const [s, rate] of rates.entries()) {
    for (const c of carriers.filter((c) => !c.stopped)) {
      const result = await step(c, s, rate, seconds);
      c.steps.push(result);
      say(
        `  ${c.name.padEnd(8)} ${String(rate).padStart(6)}/s → ${result.achieved.toFixed(0).padStart(6)}/s  p50 ${result.p50.toFixed(2).padStart(8)} ms  p99 ${result.p99.toFixed(2).padStart(8)} ms  max ${result.max.toFixed(1).padStart(7)} ms  ${result.delivered}/${result.expected} delivered`,
      );
      c.stopped = result.p99 > 1000 || result.achieved < 0.5 * rate;
    }
  }
}

/**
 * The highest step before latency climbs: its median within 3× the lowest step's (and 2 ms), and the
 * rate achieved to within 10%; the step above it is where latency climbs. The median, not the p99,
 * marks it: queueing raises every event's wait, while on a shared machine a p99 jumps with anyone
 * else's burst at any rate. For the same reason a lower step that missed (another process's burst)
 * does not hide a higher one that held.
 */
function knee(steps: Step[]): { ceiling: Step | null; beyond: Step | null } {
  const limit = Math.max(2, 3 * (steps[0]?.p50 ?? 0));
  const ok = (s: Step) => s.p50 <= limit && s.achieved >= 0.9 * s.target && s.delivered === s.expected;
  const last = steps.findLastIndex(ok);
  return { ceiling: last >= 0 ? steps[last]! : null, beyond: steps[last + 1] ?? null };
}

async function main(): Promise<void> {
  const rates = values.rates!.split(',').map(Number);
  const seconds = Number(values.seconds);
  const listeners = Number(values.listeners);
  const publisherCount = Number(values.publishers);
  say(
    `carrier ceiling: events of ${Buffer.byteLength(event(0, 0))} bytes, ${publisherCount} publishing connections, ${listeners} listening processes, ${seconds} s a step`,
  );

  const database = await benchDatabase('tribunal_bench_carrier');
  const clients = Array.from({ length: publisherCount }, () => new pg.Client({ connectionString: database.url }));
  const redisUrl = process.env.TRIBUNAL_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
  let absent: string | null = null;
  const connections = await Promise.all(Array.from({ length: publisherCount }, () => Redis.open(redisUrl))).catch((error: Error) => {
    absent = `not measured: no Redis at ${redisUrl} (${error.message})`;
    return null;
  });
  const carriers: Carrier[] = [];
  try {
    await Promise.all(clients.map((c) => c.connect()));
    carriers.push(
      await carrier(
        'postgres',
        database.url,
        clients.map((client) => ({
          send: (batch: string[]) =>
            client.query('SELECT pg_notify($1, text) FROM unnest($2::text[]) WITH ORDINALITY AS o(text, n) ORDER BY n', [CHANNEL, batch]),
        })),
        listeners,
      ),
    );
    if (connections) {
      await connections[0]!.command('DEL', STREAM);
      carriers.push(
        await carrier(
          'redis',
          redisUrl,
          connections.map((connection) => ({
            // Untrimmed within a step, so that a listener that falls behind still gets every event, only later;
            // emptied after each step (the adapter trims its stream to its last 10,000 entries by default).
            send: (batch: string[]) => connection.pipeline(batch.map((text) => ['XADD', STREAM, '*', 'e', text])),
          })),
          listeners,
          () => connections[0]!.command('DEL', STREAM),
        ),
      );
    } else say(`  redis    ${absent}`);
    await stepped(carriers, rates, seconds);
    await connections?.[0]!.command('DEL', STREAM);
  } finally {
    for (const c of carriers) for (const child of c.listeners) child.kill();
    await Promise.all(clients.map((c) => c.end()));
    for (const c of connections ?? []) c.close();
    await database.drop();
  }
  const postgres = carriers[0]!.steps;
  const redis = carriers[1]?.steps ?? null;

  const pgKnee = knee(postgres);
  const redisKnee = redis ? knee(redis) : null;
  const describe = (name: string, k: ReturnType<typeof knee>) =>
    `${name}: ceiling ${k.ceiling ? `${k.ceiling.target}/s (p50 ${k.ceiling.p50.toFixed(1)} ms, p99 ${k.ceiling.p99.toFixed(1)} ms)` : 'below the lowest step'}` +
    (k.beyond
      ? `, climbs at ${k.beyond.target}/s (achieved ${k.beyond.achieved.toFixed(0)}/s, p50 ${k.beyond.p50.toFixed(1)} ms, p99 ${k.beyond.p99.toFixed(1)} ms)`
      : ', no knee within the steps');
  say(describe('PostgreSQL NOTIFY', pgKnee));
  say(redisKnee ? describe('Redis streams', redisKnee) : `Redis streams: ${absent}`);
  if (values.json) {
    const figure = (k: ReturnType<typeof knee>): number => k.ceiling?.target ?? 0;
    const steps = (s: Step[]) => s.map((x) => ({ rate: x.target, achieved: Math.round(x.achieved), p50: x.p50, p99: x.p99, max: x.max }));
    const figures: Figure[] = [
      {
        benchmark: 'carrier',
        name: `live events between processes: PostgreSQL NOTIFY → LISTEN (${listeners} listeners), the highest rate before latency climbs`,
        figure: figure(pgKnee),
        unit: 'events/s',
        range: null,
        reference: redisKnee ? 'Redis streams, XADD → XREAD, the same way' : absent,
        referenceFigure: redisKnee ? figure(redisKnee) : null,
        ratio: redisKnee && figure(redisKnee) > 0 ? figure(pgKnee) / figure(redisKnee) : null,
        goal: null,
        met: null,
        detail: { postgres: steps(postgres), ...(redis ? { redis: steps(redis) } : { redis: absent }) },
      },
    ];
    for (const f of figures) console.log(JSON.stringify(f));
  }
  process.exit(0);
}
