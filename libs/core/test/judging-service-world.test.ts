import { describe, expect, it } from 'vitest';
import { DEFAULT_DEBATE_PROTOCOL } from '#tribunal/contracts';
import { JudgingService } from '../src/debates/judging.service.js';
import type { DebateRecord } from '#tribunal/persistence';
import { blindCellKeys, cellKey, generateWorldDataset, type WorldParams } from '#tribunal/world';
import { simulatedJudge } from '#tribunal/judging';

/**
 * The `judge.auto` path for a simulated judge, with the repositories stubbed: the verdict it
 * records is the posterior under the parameters of the item's dataset, read once per dataset.
 */
function serviceFor(world: Partial<WorldParams> | undefined, datasetSource = 'world') {
  const [item] = generateWorldDataset({ seed: 21, size: 40, params: world }).filter((i) => {
    const blind = blindCellKeys(i.context.camera.width, i.context.camera.depth, i.context.camera.visible);
    return blind.size >= 4 && i.meta.visibleCount < 3;
  });
  const { camera } = item!.context;
  const blind = blindCellKeys(camera.width, camera.depth, camera.visible);
  const cited = item!.evidence.filter((e) => blind.has(cellKey(e.reading.x, e.reading.y))).slice(0, 2);
  const record = {
    debate: {
      id: 'debate-1',
      status: 'running',
      seats: [
        { seat: 'A', answer: 0, backend: 'builtin' },
        { seat: 'B', answer: 1, backend: 'builtin' },
      ],
    },
    protocol: { spec: structuredClone(DEFAULT_DEBATE_PROTOCOL) },
    item: { ...item!, datasetId: 'dataset-1', context: { ...item!.context } },
    turns: [
      { id: 't-0', index: 0, seat: 'A', text: 'first' },
      { id: 't-1', index: 1, seat: 'B', text: 'second' },
    ],
    citations: cited.map((unit) => ({ turnId: 't-1', kind: 'evidence', evidenceId: unit.id, verified: true })),
    assignments: [{ id: 'judge-1', kind: 'simulated' }],
    verdicts: [],
    drafts: [],
  } as unknown as DebateRecord;

  const recorded: number[][] = [];
  let datasetReads = 0;
  const debates = {
    debateOfAssignment: async () => 'debate-1',
    recordVerdict: async (_tx: unknown, verdict: { probabilities: number[] }) => {
      recorded.push(verdict.probabilities);
      return { duplicate: false };
    },
  };
  const debateService = { requireRecord: async () => ({ ...record, verdicts: [] }) };
  const datasets = {
    byId: async (id: string) => {
      datasetReads++;
      return id === 'dataset-1' ? { id, source: datasetSource, params: world === undefined ? {} : { seed: 21, size: 40, world } } : null;
    },
  };
  const unitOfWork = { run: <T>(work: (tx: unknown) => Promise<T>) => work({}) };
  const queue = { send: async () => undefined };
  const service = new JudgingService(
    debates as never,
    debateService as never,
    unitOfWork as never,
    queue as never,
    {} as never,
    datasets as never,
  );
  const expected = (w: Partial<WorldParams> | undefined) =>
    simulatedJudge({ context: record.item.context, question: item!.question, answers: item!.answers, revealed: cited, world: w });
  // The judge of the debate's first stage, as the debate's run asks it.
  const judge = () => service.auto({ ...record, verdicts: [] }, record.assignments[0]!, 'judge-1', 'inline');
  return { judge, recorded, reads: () => datasetReads, expected };
}

describe("JudgingService's simulated judge", () => {
  it("judges with the dataset's world parameters, reading the dataset once", async () => {
    const world = { hideProbability: 0.7, objectsPerRoom: [3, 9] as [number, number] };
    const { judge, recorded, reads, expected } = serviceFor(world);
    await judge();
    await judge();
    expect(recorded).toHaveLength(2);
    expect(recorded[0]).toEqual(expected(world));
    expect(recorded[0]).not.toEqual(expected(undefined));
    expect(recorded[1]).toEqual(recorded[0]);
    expect(reads()).toBe(1);
  });

  it('uses the default world for a dataset that does not say how it was made', async () => {
    const { judge, recorded, expected } = serviceFor(undefined, 'upload');
    await judge();
    expect(recorded[0]).toEqual(expected(undefined));
  });
});
