import { describe, expect, it } from 'vitest';
import { loadConfig } from '#tribunal/config';
import type { LabelEntity, Transaction } from '#tribunal/persistence';
import { ModelsService } from '../src/models/models.service.js';
import { WebhooksService } from '../src/webhooks/webhooks.service.js';
import { InMemoryUnitOfWork, recordingEvents } from './support/fakes.js';

/**
 * What a `label.created` job sets off, module by module, with the repositories kept in memory:
 * the webhooks' deliveries (each with its job, once) and the retraining check.
 */

function label(seq: number, revises: string | null = null): LabelEntity {
  return { seq: String(seq), id: `label-${seq}`, datasetId: 'dataset-1', revises } as LabelEntity;
}

describe('WebhooksService.onLabel', () => {
  function webhooks() {
    const store = new InMemoryUnitOfWork();
    const rows = new Set<string>();
    const calls: { event: string; seq: string }[] = [];
    const repository = {
      // Two webhooks want every event; a delivery exists once per webhook, label and event.
      deliveriesFor: async (_tx: Transaction, l: LabelEntity, event: string) => {
        calls.push({ event, seq: l.seq });
        return ['hook-a', 'hook-b'].map((hook) => `${hook}:${l.seq}:${event}`).filter((key) => !rows.has(key) && rows.add(key));
      },
    };
    const config = loadConfig({});
    const service = new WebhooksService(repository as never, store.unitOfWork as never, store.queue as never, config);
    return { service, store, calls };
  }

  it('creates one delivery per webhook with its job, and none again when the job runs twice', async () => {
    const { service, store, calls } = webhooks();
    await service.onLabel(label(7));
    await service.onLabel(label(7));
    expect(calls.map((c) => c.event)).toEqual(['label.created', 'label.created']);
    expect(store.jobs('webhook.deliver').map((j) => j.payload.deliveryId)).toEqual(['hook-a:7:label.created', 'hook-b:7:label.created']);
    expect(store.units).toBe(2);
  });

  it('announces a label that replaces an earlier one as label.revised', async () => {
    const { service, store } = webhooks();
    await service.onLabel(label(8, 'label-3'));
    expect(store.jobs('webhook.deliver').map((j) => j.payload.deliveryId)).toEqual(['hook-a:8:label.revised', 'hook-b:8:label.revised']);
  });
});

describe('ModelsService.retrainCheck', () => {
  function models(policy: Record<string, unknown>, state: { pending?: boolean; lastSnapshotSeq?: number; labels?: number[] }) {
    const store = new InMemoryUnitOfWork();
    const jobs: { datasetId: string; trigger: string }[] = [];
    const trainingRepository = {
      pending: async () => state.pending ?? false,
      lastSnapshotLabelSeq: async () => state.lastSnapshotSeq ?? 0,
      create: async (_tx: Transaction, job: { datasetId: string; trigger: string }) => {
        jobs.push(job);
        return { ...job, id: `job-${jobs.length}` };
      },
    };
    const labelRepository = {
      labelsAfter: async (_datasetId: string, seq: number) => (state.labels ?? []).filter((s) => s > seq).length,
    };
    const datasetRepository = { byId: async (id: string) => ({ id, modelPolicy: policy }) };
    const service = new ModelsService(
      trainingRepository as never,
      {} as never,
      labelRepository as never,
      {} as never,
      datasetRepository as never,
      store.unitOfWork as never,
      store.queue as never,
      recordingEvents().events as never,
    );
    return { service, store, jobs };
  }

  it('does nothing for a dataset whose policy does not retrain on labels', async () => {
    const { service, store } = models({}, { labels: [1, 2, 3, 4, 5, 6] });
    expect(await service.retrainCheck('dataset-1')).toBeNull();
    expect(store.sent).toEqual([]);
  });

  it('waits for N labels after the last run’s snapshot, then queues one training job with its model.train', async () => {
    const few = models({ retrainEveryLabels: 5 }, { lastSnapshotSeq: 10, labels: [9, 10, 11, 12, 13, 14] });
    expect(await few.service.retrainCheck('dataset-1')).toBeNull();
    const enough = models({ retrainEveryLabels: 5 }, { lastSnapshotSeq: 10, labels: [9, 10, 11, 12, 13, 14, 15] });
    const job = await enough.service.retrainCheck('dataset-1');
    expect(job).toMatchObject({ id: 'job-1', datasetId: 'dataset-1', trigger: 'labels' });
    expect(enough.store.jobs('model.train').map((j) => j.payload)).toEqual([{ trainingJobId: 'job-1' }]);
    expect(enough.store.units).toBe(1);
  });

  it('queues nothing while a training job of the dataset is queued or running', async () => {
    const { service, jobs } = models({ retrainEveryLabels: 1 }, { pending: true, labels: [1, 2, 3] });
    expect(await service.retrainCheck('dataset-1')).toBeNull();
    expect(jobs).toEqual([]);
  });
});
