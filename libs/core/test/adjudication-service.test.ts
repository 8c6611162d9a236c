import { describe, expect, it } from 'vitest';
import { DEFAULT_DEBATE_PROTOCOL, type ProtocolSpec } from '#tribunal/contracts';
import type { DebateRecord, FinalAnswer, LabelEntity, NewLabel, Transaction } from '#tribunal/persistence';
import { AdjudicationService } from '../src/adjudication/adjudication.service.js';
import { InMemoryUnitOfWork, recordingEvents } from './support/fakes.js';

/**
 * The adjudication rules with the repositories kept in memory: what a judged debate becomes (a label
 * or not), and what its unit of work queues beside it. Webhooks and retraining are not its business:
 * a label leaves exactly one `label.created` job for them.
 */

const DEBATE = 'debate-1';
const DISPUTE = 'dispute-1';

function spec(adjudication: Partial<ProtocolSpec['adjudication']> = {}): ProtocolSpec {
  return {
    ...structuredClone(DEFAULT_DEBATE_PROTOCOL),
    end: { maxRepeats: 1, judgeMayEnd: false },
    judges: { count: 2, kind: 'simulated' },
    adjudication: { method: 'mean', threshold: 0.8, ...adjudication },
  };
}

let protocols = 0;

/** A debate whose speeches are spoken and whose two judges have given their final answers. */
function judgedDebate(protocol: ProtocolSpec, finals: number[][], campaignId: string | null = null): DebateRecord {
  return {
    debate: {
      id: DEBATE,
      disputeId: DISPUTE,
      campaignId,
      status: 'judging',
      seats: [
        { seat: 'A', answer: 0, backend: 'builtin' },
        { seat: 'B', answer: 1, backend: 'builtin' },
      ],
    },
    protocol: { id: `protocol-${++protocols}`, name: 'p', version: 3, spec: protocol },
    item: { id: 'item-1', datasetId: 'dataset-1', answers: ['red', 'blue', 'green'], simpleLabel: 0 },
    turns: [
      { id: 't0', index: 0, seat: 'A', text: '' },
      { id: 't1', index: 1, seat: 'B', text: '' },
    ],
    citations: [],
    drafts: [],
    assignments: finals.map((_, slot) => ({ id: `assignment-${slot}`, judgeId: null, kind: 'simulated' })),
    verdicts: finals.map((probabilities, slot) => ({
      id: `verdict-${slot}`,
      assignmentId: `assignment-${slot}`,
      stage: 'final',
      probabilities,
      endsDebate: false,
    })),
  } as unknown as DebateRecord;
}

function world(record: DebateRecord, options: { earlier?: FinalAnswer[]; debated?: number } = {}) {
  const store = new InMemoryUnitOfWork();
  const { emitted, events } = recordingEvents();
  const labels: LabelEntity[] = [];
  const concluded: { debateId: string; labelled: boolean; requeued?: string }[] = [];
  const labelRepository = {
    append: async (_tx: Transaction, label: NewLabel & { id: string }) => {
      const saved = { ...label, seq: String(labels.length + 1) } as LabelEntity;
      labels.push(saved);
      return saved;
    },
  };
  const debateRepository = {
    conclude: async (_tx: Transaction, debateId: string, outcome: { labelled: boolean; requeued?: string }) => {
      if (concluded.some((c) => c.debateId === debateId)) return false;
      concluded.push({ debateId, ...outcome });
      return true;
    },
    finalAnswersOf: async () => options.earlier ?? [],
    debatesOfDispute: async () => options.debated ?? 1,
    judgeRecords: async () => new Map(),
  };
  const debates = { requireRecord: async () => record };
  const announced: string[] = [];
  const outcomes = { announce: async (itemId: string) => void announced.push(itemId) };
  const service = new AdjudicationService(
    debates as never,
    debateRepository as never,
    labelRepository as never,
    store.unitOfWork as never,
    events as never,
    store.queue as never,
    outcomes as never,
  );
  return { service, store, labels, concluded, emitted, record, announced };
}

describe('AdjudicationService', () => {
  it('writes a clear-cut label and queues one label.created job with it, in the same unit of work', async () => {
    const { service, store, labels, emitted, announced } = world(
      judgedDebate(
        spec(),
        [
          [0.1, 0.85, 0.05],
          [0.05, 0.9, 0.05],
        ],
        'campaign-1',
      ),
    );
    const label = await service.adjudicate(DEBATE);
    expect(label).toMatchObject({ answer: 1, agreesWithSimple: false, method: 'mean' });
    expect(label!.distribution[1]).toBeCloseTo(0.875);
    expect(labels).toHaveLength(1);
    expect(store.units).toBe(1);
    expect(store.sent.map((j) => j.name).sort()).toEqual(['campaign.fill', 'label.created']);
    expect(store.jobs('label.created')[0]!.payload).toEqual({ labelId: label!.id });
    expect(label!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(emitted).toEqual([
      { room: `debate:${DEBATE}`, event: 'debate.status', payload: { debateId: DEBATE, status: 'completed', awaiting: null } },
    ]);
    // The item's judges are told of outcomes now shown (which, is the outcome rule's business).
    expect(announced).toEqual(['item-1']);
  });

  it('pools the dispute’s earlier debates into the label and names every debate in its provenance', async () => {
    const earlier: FinalAnswer[] = [
      {
        debateId: 'debate-0',
        protocolId: 'protocol-0',
        protocolName: 'older',
        protocolVersion: 1,
        verdictId: 'verdict-old',
        judgeId: null,
        probabilities: [0.1, 0.1, 0.8],
      },
    ];
    const { service } = world(
      judgedDebate(spec({ threshold: 0.5 }), [
        [0, 0.9, 0.1],
        [0, 0.9, 0.1],
      ]),
      { earlier },
    );
    const label = await service.adjudicate(DEBATE);
    expect(label!.distribution.map((p) => Number(p.toFixed(4)))).toEqual([0.0333, 0.6333, 0.3333]);
    expect(label!.provenance).toMatchObject({
      disputeId: DISPUTE,
      debates: [{ id: DEBATE }, { id: 'debate-0', protocolName: 'older' }],
      verdicts: ['verdict-0', 'verdict-1', 'verdict-old'],
    });
  });

  it('leaves a split verdict unlabelled and queues the dispute again while the protocol allows', async () => {
    const split = [
      [0.9, 0.1, 0],
      [0.1, 0.9, 0],
    ];
    const requeueing = world(judgedDebate(spec({ requeue: { maxDebates: 3 } }), split), { debated: 2 });
    expect(await requeueing.service.adjudicate(DEBATE)).toBeNull();
    expect(requeueing.store.jobs('dispute.requeue').map((j) => j.payload)).toEqual([
      { disputeId: DISPUTE, protocolId: requeueing.record.protocol.id, after: DEBATE },
    ]);
    expect(requeueing.store.jobs('label.created')).toEqual([]);
    expect(requeueing.concluded[0]!.requeued).toMatch(/^not clear-cut after 2 debate\(s\)/);

    const exhausted = world(judgedDebate(spec({ requeue: { maxDebates: 3 } }), split), { debated: 3 });
    expect(await exhausted.service.adjudicate(DEBATE)).toBeNull();
    expect(exhausted.store.sent).toEqual([]);
    expect(exhausted.concluded[0]!.requeued).toBeUndefined();
  });

  it('queues nothing and says nothing when the debate had already been concluded (a retried job)', async () => {
    const { service, store, emitted, announced } = world(
      judgedDebate(spec(), [
        [0, 1, 0],
        [0, 1, 0],
      ]),
    );
    await service.adjudicate(DEBATE);
    const before = store.sent.length;
    expect(await service.adjudicate(DEBATE)).toBeNull();
    expect(store.sent).toHaveLength(before);
    expect(emitted).toHaveLength(1);
    expect(announced).toHaveLength(1);
  });

  it('queues no job when the unit of work fails: the label and its consequences go together', async () => {
    const { service, store, emitted } = world(
      judgedDebate(spec(), [
        [0, 1, 0],
        [0, 1, 0],
      ]),
    );
    store.failNextSend = new Error('connection lost');
    await expect(service.adjudicate(DEBATE)).rejects.toThrow('connection lost');
    expect(store.rolledBack).toBe(1);
    expect(store.sent).toEqual([]);
    expect(emitted).toEqual([]);
  });

  it('does not adjudicate a debate still waiting for its judges', async () => {
    const record = judgedDebate(spec(), [[0, 1, 0]]);
    record.assignments.push({ id: 'assignment-1', judgeId: null, kind: 'simulated' } as never);
    const { service, store } = world(record);
    expect(await service.adjudicate(DEBATE)).toBeNull();
    expect(store.units + store.rolledBack).toBe(0);
  });
});
