import { describe, expect, it } from 'vitest';
import { Conflict, DEFAULT_DEBATE_PROTOCOL, type ProtocolSpec } from '#tribunal/contracts';
import { CampaignFull, type CampaignEntryEntity, type NewDebate, type Transaction } from '#tribunal/persistence';
import { CampaignsService } from '../src/campaigns/campaigns.service.js';
import { DebatesService } from '../src/debates/debates.service.js';
import { InMemoryUnitOfWork, recordingEvents } from './support/fakes.js';

/**
 * Starting debates, with the repositories kept in memory: a debate, its campaign's claim and its first
 * step are one unit of work; a campaign fills until its concurrency refuses.
 */

const SPEC: ProtocolSpec = { ...structuredClone(DEFAULT_DEBATE_PROTOCOL), assignment: 'explicit' };

function debatesService(options: { informed?: string[] } = {}) {
  const store = new InMemoryUnitOfWork();
  const created: NewDebate[] = [];
  const item = { id: 'item-1', externalId: 'x-1', answers: ['a', 'b', 'c'], simpleLabel: 0, context: { kind: 'text' } };
  const disputeRepository = {
    byId: async (id: string) => (id === 'dispute-1' ? { id, itemId: item.id, item, reasons: [], modelVersionId: null } : null),
  };
  const protocolRepository = {
    byId: async (id: string) =>
      id === 'protocol-1'
        ? { id, name: 'explicit', version: 1, spec: SPEC }
        : id === 'protocol-human'
          ? { id, name: 'human', version: 1, spec: { ...SPEC, judges: { count: 1, kind: 'human' } } }
          : null,
  };
  const debateRepository = {
    createDebate: async (_tx: Transaction, input: NewDebate) => {
      created.push(input);
      return { id: `debate-${created.length}` };
    },
    openAssignmentCounts: async () => new Map([['judge-b', 3]]),
  };
  const identityRepository = { usersWithRole: async () => [{ id: 'judge-a' }, { id: 'judge-b' }] };
  const asked: string[] = [];
  const outcomes = {
    informedJudges: async (itemId: string) => {
      asked.push(itemId);
      return new Set(options.informed ?? []);
    },
  };
  const service = new DebatesService(
    {} as never,
    protocolRepository as never,
    disputeRepository as never,
    debateRepository as never,
    identityRepository as never,
    store.unitOfWork as never,
    store.queue as never,
    recordingEvents().events as never,
    outcomes as never,
  );
  return { service, store, created, asked };
}

describe('DebatesService.start', () => {
  it('creates the debate with its seats and queues its first step in the same unit of work', async () => {
    const { service, store, created } = debatesService();
    const debate = await service.start({ disputeId: 'dispute-1', protocolId: 'protocol-1', answers: [2, 0] });
    expect(debate.id).toBe('debate-1');
    expect(created[0]!.seats.map((s) => s.answer)).toEqual([2, 0]);
    expect(created[0]!.judges).toEqual([{ kind: 'simulated', judgeId: null }]);
    expect(store.units).toBe(1);
    expect(store.jobs('debate.advance')).toEqual([
      { name: 'debate.advance', payload: { debateId: 'debate-1' }, options: { singletonKey: 'debate-1:0:0' } },
    ]);
  });

  it('rolls the debate back with its job when the campaign’s claim refuses it', async () => {
    const { service, store } = debatesService();
    const claim = async (tx: Transaction, debateId: string) => {
      expect(tx).toBeDefined();
      expect(debateId).toBe('debate-1');
      throw new CampaignFull('campaign is at its concurrency');
    };
    await expect(service.start({ disputeId: 'dispute-1', protocolId: 'protocol-1', answers: [1, 0], claim })).rejects.toThrow(
      'campaign is at its concurrency',
    );
    expect(store.rolledBack).toBe(1);
    expect(store.sent).toEqual([]);
  });

  it('never seats a judge who may already see an outcome on the item', async () => {
    const start = { disputeId: 'dispute-1', protocolId: 'protocol-human', answers: [1, 0] };
    // judge-a has fewer open debates and is chosen, until an outcome on this item is shown to them.
    const fresh = debatesService();
    await fresh.service.start(start);
    expect(fresh.created[0]!.judges).toEqual([{ kind: 'human', judgeId: 'judge-a' }]);
    const { service, created, asked } = debatesService({ informed: ['judge-a'] });
    await service.start(start);
    expect(asked).toEqual(['item-1']);
    expect(created[0]!.judges).toEqual([{ kind: 'human', judgeId: 'judge-b' }]);
    await expect(service.start({ ...start, judgeIds: ['judge-a'] })).rejects.toThrow(
      new Conflict('judgeIds: judge-a has seen the outcome of a debate on this item'),
    );
    const none = debatesService({ informed: ['judge-a', 'judge-b'] });
    await expect(none.service.start(start)).rejects.toThrow(
      'the protocol needs 1 human judges; 0 judge users exist who have not seen an outcome on this item',
    );
    expect(none.created).toEqual([]);
  });

  it('refuses answers outside the item’s, naming the range, before writing anything', async () => {
    const { service, store, created } = debatesService();
    await expect(service.start({ disputeId: 'dispute-1', protocolId: 'protocol-1', answers: [3, 0] })).rejects.toThrow(
      'answers must be answer indices from 0 to 2',
    );
    await expect(service.start({ disputeId: 'dispute-9', protocolId: 'protocol-1' })).rejects.toThrow('dispute dispute-9 does not exist');
    expect(created).toEqual([]);
    expect(store.units + store.rolledBack).toBe(0);
  });
});

describe('CampaignsService.fill', () => {
  function campaigns(startOutcomes: ('ok' | 'full' | Error)[]) {
    const store = new InMemoryUnitOfWork();
    const { emitted, events } = recordingEvents();
    const entries = ['e1', 'e2', 'e3'].map((id, position) => ({ id, disputeId: `dispute-${id}`, position }) as CampaignEntryEntity);
    const claimed: string[] = [];
    const tried: string[] = [];
    const campaignRepository = {
      get: async (id: string) => ({ id, status: 'running', protocolId: 'protocol-1', concurrency: 4 }),
      running: async () => 1,
      waiting: async (_id: string, limit: number) => entries.slice(0, limit),
      claim: async (_tx: Transaction, entryId: string) => void claimed.push(entryId),
      completeIfDone: async () => false,
      progress: async () => ({ waiting: 1, debates: { running: 1 }, total: 3 }),
    };
    const debates = {
      start: async (request: { disputeId: string; claim: (tx: Transaction, debateId: string) => Promise<void> }) => {
        tried.push(request.disputeId);
        const outcome = startOutcomes[tried.length - 1] ?? 'ok';
        if (outcome === 'full') throw new CampaignFull('campaign is at its concurrency');
        if (outcome instanceof Error) throw outcome;
        await request.claim({} as Transaction, `debate-${tried.length}`);
        return { id: `debate-${tried.length}` };
      },
    };
    const service = new CampaignsService(
      {} as never,
      {} as never,
      campaignRepository as never,
      debates as never,
      store.unitOfWork as never,
      store.queue as never,
      events as never,
    );
    return { service, tried, claimed, emitted };
  }

  it('starts waiting entries in order until the campaign is full, claiming each, then reports progress', async () => {
    const { service, tried, claimed, emitted } = campaigns(['ok', 'full']);
    await service.fill('campaign-1');
    expect(tried).toEqual(['dispute-e1', 'dispute-e2']);
    expect(claimed).toEqual(['e1']);
    expect(emitted).toEqual([
      {
        room: 'campaign:campaign-1',
        event: 'campaign.progress',
        payload: { campaignId: 'campaign-1', status: 'running', waiting: 1, debates: { running: 1 }, total: 3 },
      },
    ]);
  });

  it('leaves the campaign waiting, visibly, when a dispute cannot be debated now (no judges free)', async () => {
    const { service, tried, emitted } = campaigns(['ok', new Conflict('the protocol needs 2 human judges; 1 judge users exist'), 'ok']);
    await service.fill('campaign-1');
    expect(tried).toEqual(['dispute-e1', 'dispute-e2']);
    expect(emitted.map((e) => e.event)).toEqual(['campaign.progress']);
  });

  it('fails the job on an unexpected error, so that the queue retries it', async () => {
    const { service, emitted } = campaigns(['ok', new Error('database went away')]);
    await expect(service.fill('campaign-1')).rejects.toThrow('database went away');
    expect(emitted).toEqual([]);
  });
});
