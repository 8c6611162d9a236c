import { describe, expect, it } from 'vitest';
import { loadConfig } from '#tribunal/config';
import { DEMO_AUDIT, DEMO_MODEL_CHOSEN, DemoLoop } from '../src/demo/demo-loop.js';
import { InMemoryUnitOfWork } from './support/fakes.js';

/**
 * The demo loop's looks, with the services it asks kept in memory: each look takes the next step
 * once the last has ended, takes none twice however often it runs, and stops looking when done.
 */

interface State {
  campaigns: { id: string; name: string; status: string; protocolId: string; concurrency: number; disputeIds: string[] }[];
  jobs: { status: string; modelVersionId: string | null; error: string | null }[];
  runs: { status: string; modelVersionId: string; error: string | null }[];
  disputes: { id: string; modelVersionId: string | null; status: string }[];
  promoted: { id: string; options: unknown }[];
}

function demo() {
  const store = new InMemoryUnitOfWork();
  const state: State = {
    campaigns: [{ id: 'c-audit', name: DEMO_AUDIT, status: 'running', protocolId: 'p-1', concurrency: 4, disputeIds: [] }],
    jobs: [],
    runs: [],
    disputes: [
      { id: 'audit-1', modelVersionId: null, status: 'labelled' },
      { id: 'left-open', modelVersionId: null, status: 'open' },
    ],
    promoted: [],
  };
  // Newest first, as the services list them.
  const campaigns = {
    list: async () => [...state.campaigns].reverse(),
    launch: async (request: { name: string; protocolId: string; disputeIds: string[]; concurrency: number }) => {
      state.campaigns.push({ id: `c-${state.campaigns.length}`, status: 'running', ...request });
    },
  };
  const models = {
    trainingJobs: async () => [...state.jobs].reverse(),
    requestTraining: async () => void state.jobs.push({ status: 'queued', modelVersionId: null, error: null }),
    version: async (id: string) => ({
      id,
      name: `v-${id}`,
      evaluation: { heldOut: { items: 30, intended: { accuracy: 0.9 }, baseline: { accuracy: 0.7 } } },
    }),
    scoringRuns: async () => [...state.runs].reverse(),
    promote: async (id: string, options: unknown) => {
      state.promoted.push({ id, options });
      state.runs.push({ status: 'queued', modelVersionId: id, error: null });
    },
  };
  const disputes = { ofDataset: async () => state.disputes };
  const labels = { labelsAfter: async () => 12 };
  const config = loadConfig({ TRIBUNAL_DEMO_DEBATES: '20' });
  const loop = new DemoLoop(config, campaigns as never, models as never, disputes as never, labels as never, store.queue as never);
  let tick = 0;
  /** One look, as the queue would run it: the tick it was sent with. */
  const look = async () => {
    const before = store.jobs('demo.advance').length;
    await loop.advance('dataset-1', tick);
    const next = store.jobs('demo.advance').slice(before);
    if (next[0]) tick = next[0].payload.tick;
    return next;
  };
  return { loop, state, store, look };
}

describe('DemoLoop', () => {
  it('takes each step once the last has ended, none twice, and stops looking when the second round has ended', async () => {
    const { loop, state, store, look } = demo();
    await loop.begin('dataset-1');
    expect(store.jobs('demo.advance').map((j) => [j.payload, j.options.singletonKey])).toEqual([
      [{ datasetId: 'dataset-1', tick: 0 }, 'dataset-1:0'],
    ]);

    // The audit round still runs: nothing but the next look, a little later, under the next key.
    const [next] = await look();
    expect(next).toMatchObject({ payload: { tick: 1 }, options: { singletonKey: 'dataset-1:1', startAfterSeconds: 2 } });
    expect(state.jobs).toEqual([]);

    // It has ended: a first model is asked for, once however often the look runs.
    state.campaigns[0]!.status = 'completed';
    await look();
    await look();
    expect(state.jobs).toHaveLength(1);
    expect(state.promoted).toEqual([]);

    // Trained: promoted with re-scoring, the model choosing at most a round's worth of disputes; once.
    Object.assign(state.jobs[0]!, { status: 'completed', modelVersionId: 'v1' });
    await look();
    await look();
    expect(state.promoted).toEqual([{ id: 'v1', options: { rescore: true, selection: { budget: 20 } } }]);

    // Re-scored: the disputes this version chose and nobody debates yet are the second round, under the audit's protocol.
    state.disputes.push(
      { id: 'chosen-1', modelVersionId: 'v1', status: 'open' },
      { id: 'chosen-2', modelVersionId: 'v1', status: 'open' },
      { id: 'chosen-taken', modelVersionId: 'v1', status: 'debating' },
    );
    await look();
    expect(state.campaigns).toHaveLength(1);
    state.runs[0]!.status = 'completed';
    await look();
    await look();
    expect(state.campaigns.slice(1)).toEqual([
      expect.objectContaining({ name: DEMO_MODEL_CHOSEN, protocolId: 'p-1', concurrency: 4, disputeIds: ['chosen-1', 'chosen-2'] }),
    ]);

    // The second round has ended: done, and no further look.
    state.campaigns[1]!.status = 'completed';
    expect(await look()).toEqual([]);
    expect(state.jobs).toHaveLength(1);
    expect(state.promoted).toHaveLength(1);
    expect(state.campaigns).toHaveLength(2);
  });

  it('stops, taking no further step, when its training job failed', async () => {
    const { state, look } = demo();
    state.campaigns[0]!.status = 'completed';
    await look();
    Object.assign(state.jobs[0]!, { status: 'failed', error: 'no labels' });
    expect(await look()).toEqual([]);
    expect(state.promoted).toEqual([]);
    expect(state.jobs).toHaveLength(1);
  });

  it('ends without a second round when the model chose no dispute', async () => {
    const { state, look } = demo();
    state.campaigns[0]!.status = 'completed';
    await look();
    Object.assign(state.jobs[0]!, { status: 'completed', modelVersionId: 'v1' });
    await look();
    state.runs[0]!.status = 'completed';
    expect(await look()).toEqual([]);
    expect(state.campaigns).toHaveLength(1);
  });
});
