/**
 * What the live fan-out benchmarks share (bench/fanout.ts, bench/fanout-scale.ts): debates with manual
 * seats and human judges set up through the API, speeches submitted at a steady rate, and latency
 * summaries.
 */
import { Api, data } from '../apps/cli/src/api-client.js';
import { DEFAULT_DEBATE_PROTOCOL, type ProtocolSpec } from '#tribunal/contracts';

/** A limited number of `work` calls at a time over `items`. */
export async function pool<T, R>(items: readonly T[], size: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]!, i);
      }
    }),
  );
  return results;
}

export const seatOf = (speech: number) => (speech % 2 === 0 ? 'A' : 'B');
export const textOf = (debate: number, speech: number) =>
  `Speech ${speech} of debate ${debate}. ${'The sensor readings in the rooms agree with my answer, and my opponent has not shown otherwise. '.repeat(4)}`;

export interface LiveDebates {
  /** Judge c is assigned to debate c mod the number of debates. */
  judges: { id: string; key: string }[];
  debateIds: string[];
}

/** `judges` judge users and `debates` debates of `rounds` sequential rounds of two manual speeches, each judged by its share of the judges. */
export async function setUpDebates(
  admin: Api,
  { judges, debates, rounds }: { judges: number; debates: number; rounds: number },
): Promise<LiveDebates> {
  const perDebate = Math.ceil(judges / debates);
  if (perDebate > 50) throw new Error('at most 50 judges per debate: raise the number of debates');
  const users = await pool(
    Array.from({ length: judges }, (_, c) => c),
    16,
    async (c) => {
      const created = await data(admin.client.POST('/users', { body: { name: `judge-${c}`, role: 'judge' } }));
      return { id: created.user.id, key: created.key };
    },
  );
  const dataset = await data(admin.client.POST('/datasets/world', { body: { name: 'fanout', seed: 3, size: debates } }));
  // Every room is debated: none is held out (held-out rooms are never disputed).
  await admin.client.PUT('/datasets/{id}/model-policy', { params: { path: { id: dataset.id } }, body: { heldOutFraction: 0 } });
  const disputes = await data(
    admin.client.POST('/datasets/{id}/disputes', {
      params: { path: { id: dataset.id } },
      body: { auditFraction: 1, minBlindCells: 10_000, seed: 1 },
    }),
  );
  if (disputes.length < debates) throw new Error(`only ${disputes.length} disputes for ${debates} debates`);
  const spec: ProtocolSpec = {
    ...DEFAULT_DEBATE_PROTOCOL,
    description: 'Manual speeches, one sequential round after another, followed by human judges.',
    structure: { opening: [], repeating: [{ type: 'sequential' }], closing: [] },
    end: { maxRepeats: rounds, judgeMayEnd: false },
    debaters: [{ backend: 'manual' }, { backend: 'manual' }],
    judges: { count: perDebate, kind: 'human' },
  };
  const protocol = await data(admin.client.POST('/protocols', { body: { name: 'fanout', spec } }));
  const debateIds = await pool(
    Array.from({ length: debates }, (_, d) => d),
    8,
    async (d) => {
      const judgeIds = users.filter((_, c) => c % debates === d).map((j) => j.id);
      const debate = await data(admin.client.POST('/debates', { body: { disputeId: disputes[d]!.id, protocolId: protocol.id, judgeIds } }));
      return debate.id;
    },
  );
  return { judges: users, debateIds };
}

/** Posts speech `speech` of a debate over HTTP, waiting while the debate has not reached its seat yet. */
export async function submitSpeech(url: string, key: string, debateId: string, debate: number, speech: number): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(`${url}/debates/${debateId}/speeches`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ seat: seatOf(speech), text: textOf(debate, speech) }),
    });
    if (response.status === 201) return;
    // The debate may not have reached this seat yet (its worker job is still starting it).
    if (response.status !== 409 || attempt > 200)
      throw new Error(`speech ${speech} of debate ${debate}: ${response.status} ${await response.text()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Submits `speeches` speeches to each of `debates` debates, one every 1/`rate` s overall, each debate's in order; the seconds it took. */
export async function drive(
  { debates, speeches, rate }: { debates: number; speeches: number; rate: number },
  submit: (debate: number, speech: number) => Promise<void>,
): Promise<number> {
  const began = performance.now();
  let slot = 0;
  await Promise.all(
    Array.from({ length: debates }, async (_, d) => {
      for (let k = 0; k < speeches; k++) {
        const at = began + (slot++ * 1000) / rate;
        await new Promise((r) => setTimeout(r, Math.max(0, at - performance.now())));
        await submit(d, k);
      }
    }),
  );
  return (performance.now() - began) / 1000;
}

export interface Latencies {
  p50: number;
  p99: number;
  max: number;
  count: number;
}

/** Quantiles of latencies in ms. */
export function latencies(values: ArrayLike<number>): Latencies {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? NaN, count: sorted.length };
}

/**
 * From an API process's `tribunal_turn_delivery_seconds` (a turn persisted → emitted to its sockets):
 * the upper bound of the bucket holding quantile `q`, as "≤ N ms".
 */
export async function deliveryBucket(url: string, key: string, q: number): Promise<string> {
  const name = 'tribunal_turn_delivery_seconds';
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${key}` } })).text();
  const buckets = [...text.matchAll(new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\d+)`, 'gm'))].map((m) => ({
    le: m[1]!,
    n: Number(m[2]),
  }));
  const total = buckets.at(-1)?.n ?? 0;
  const bucket = buckets.find((b) => b.n >= q * total);
  return bucket ? `≤ ${Number(bucket.le) * 1000} ms` : 'unknown';
}
