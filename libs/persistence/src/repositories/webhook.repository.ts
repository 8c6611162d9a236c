import { IsNull, type DataSource } from 'typeorm';
import type { WebhookEvent } from '#tribunal/contracts';
import { WebhookDeliveryEntity, WebhookEntity, type LabelEntity } from '../entities/index.js';
import { managerOf, type Transaction } from '../unit-of-work.js';

export class WebhookRepository {
  constructor(private readonly dataSource: DataSource) {}

  create(webhook: Pick<WebhookEntity, 'url' | 'secret' | 'events' | 'datasetId' | 'createdBy'>): Promise<WebhookEntity> {
    return this.dataSource.getRepository(WebhookEntity).save({ ...webhook, disabledAt: null });
  }

  /** Webhooks not disabled; only those `owner` created when given (`undefined`: everyone's). */
  list(owner?: string): Promise<WebhookEntity[]> {
    return this.dataSource
      .getRepository(WebhookEntity)
      .find({ where: { disabledAt: IsNull(), ...(owner === undefined ? {} : { createdBy: owner }) }, order: { createdAt: 'ASC' } });
  }

  /** A webhook, disabled or not; only if `owner` created it when given. */
  find(id: string, owner?: string): Promise<WebhookEntity | null> {
    return this.dataSource.getRepository(WebhookEntity).findOne({ where: { id, ...(owner === undefined ? {} : { createdBy: owner }) } });
  }

  /** Disables a webhook that is not yet disabled (and that `owner` created, when given); false when there is none. */
  async disable(id: string, owner?: string): Promise<boolean> {
    const result = await this.dataSource
      .getRepository(WebhookEntity)
      .update({ id, disabledAt: IsNull(), ...(owner === undefined ? {} : { createdBy: owner }) }, { disabledAt: new Date() });
    return (result.affected ?? 0) > 0;
  }

  deliveries(webhookId: string, limit: number): Promise<WebhookDeliveryEntity[]> {
    return this.dataSource.getRepository(WebhookDeliveryEntity).find({ where: { webhookId }, order: { createdAt: 'DESC' }, take: limit });
  }

  /** One delivery of a label's event per webhook that wants it, each once however often this runs. */
  async deliveriesFor(tx: Transaction, label: LabelEntity, event: WebhookEvent): Promise<string[]> {
    const manager = managerOf(tx);
    const hooks = await manager
      .getRepository(WebhookEntity)
      .createQueryBuilder('w')
      .where('w.disabled_at IS NULL')
      .andWhere('w.events @> :event::jsonb', { event: JSON.stringify([event]) })
      .andWhere('(w.dataset_id IS NULL OR w.dataset_id = :datasetId)', { datasetId: label.datasetId })
      .getMany();
    if (hooks.length === 0) return [];
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(WebhookDeliveryEntity)
      .values(hooks.map((hook) => ({ webhookId: hook.id, labelSeq: label.seq, event })))
      .orIgnore()
      .returning('id')
      .execute();
    return (inserted.raw as { id: string }[]).map((r) => r.id);
  }

  delivery(id: string): Promise<WebhookDeliveryEntity | null> {
    return this.dataSource.getRepository(WebhookDeliveryEntity).findOne({ where: { id }, relations: { webhook: true } });
  }

  async recordAttempt(
    id: string,
    outcome: { status: WebhookDeliveryEntity['status']; lastStatus: number | null; lastError: string | null },
  ): Promise<void> {
    await this.dataSource
      .getRepository(WebhookDeliveryEntity)
      .createQueryBuilder()
      .update()
      .set({ ...outcome, attempts: () => 'attempts + 1', deliveredAt: outcome.status === 'delivered' ? new Date() : null })
      .where('id = :id', { id })
      .execute();
  }
}
