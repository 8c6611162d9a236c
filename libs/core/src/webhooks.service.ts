import { randomBytes } from 'node:crypto';
import { Injectable, Logger, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  DELIVERY_HEADER,
  EVENT_HEADER,
  SIGNATURE_HEADER,
  signWebhook,
  WEBHOOK_EVENTS,
  type WebhookEvent,
} from '../../contracts/src/index.js';
import { WebhookRepository, type LabelEntity, type WebhookDeliveryEntity, type WebhookEntity } from '../../persistence/src/index.js';
import { JobQueue } from '../../queue/src/index.js';
import { labelRecord } from './labels.service.js';

/** How long one delivery may take. */
const TIMEOUT_MS = 10_000;

export type WebhookView = Omit<WebhookEntity, 'secret'>;

function view({ secret: _secret, ...webhook }: WebhookEntity): WebhookView {
  return webhook;
}

/**
 * Labels pushed to pipelines: every label written queues, in the same transaction, one signed
 * delivery per interested webhook, retried with backoff through the queue and logged attempt by
 * attempt. The delivery id is the receiver's idempotency key.
 */
@Injectable()
export class WebhooksService {
  private readonly logger = new Logger(WebhooksService.name);

  constructor(
    private readonly webhooks: WebhookRepository,
    private readonly queue: JobQueue,
  ) {}

  async create(input: {
    url: string;
    events?: WebhookEvent[];
    datasetId?: string;
    createdBy: string;
  }): Promise<{ webhook: WebhookView; secret: string }> {
    const url = new URL(input.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UnprocessableEntityException('url must be http(s)');
    const events = input.events ?? [...WEBHOOK_EVENTS];
    const secret = `whsec_${randomBytes(24).toString('base64url')}`;
    const webhook = await this.webhooks.create({
      url: input.url,
      secret,
      events,
      datasetId: input.datasetId ?? null,
      createdBy: input.createdBy,
    });
    return { webhook: view(webhook), secret };
  }

  async list(): Promise<WebhookView[]> {
    return (await this.webhooks.list()).map(view);
  }

  async disable(id: string): Promise<{ disabled: boolean }> {
    if (!(await this.webhooks.disable(id))) throw new NotFoundException(`webhook ${id} does not exist or is already disabled`);
    return { disabled: true };
  }

  deliveries(id: string): Promise<WebhookDeliveryEntity[]> {
    return this.webhooks.deliveries(id, 200);
  }

  /** Inside the transaction writing `label`: its deliveries and their jobs commit, or roll back, with it. */
  async queueFor(manager: EntityManager, label: LabelEntity, event: WebhookEvent = 'label.created'): Promise<void> {
    for (const deliveryId of await this.webhooks.deliveriesFor(manager, label, event)) {
      await this.queue.send('webhook.deliver', { deliveryId }, { singletonKey: deliveryId }, manager);
    }
  }

  /** The `webhook.deliver` job: one attempt, logged; a failure is thrown for the queue to retry, until the last. */
  async deliver(deliveryId: string, lastAttempt: boolean, label: (seq: string) => Promise<LabelEntity | null>): Promise<void> {
    const delivery = await this.webhooks.delivery(deliveryId);
    if (!delivery || delivery.status !== 'pending' || delivery.webhook.disabledAt) return;
    const labelled = await label(delivery.labelSeq);
    if (!labelled) return;
    const body = JSON.stringify({
      id: delivery.id,
      event: delivery.event,
      createdAt: delivery.createdAt.toISOString(),
      label: labelRecord(labelled),
    });
    let failure: { status: number | null; error: string };
    try {
      const response = await fetch(delivery.webhook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signWebhook(delivery.webhook.secret, body, Math.floor(Date.now() / 1000)),
          [DELIVERY_HEADER]: delivery.id,
          [EVENT_HEADER]: delivery.event,
        },
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (response.ok) {
        await this.webhooks.recordAttempt(deliveryId, { status: 'delivered', lastStatus: response.status, lastError: null });
        return;
      }
      failure = { status: response.status, error: `the receiver answered ${response.status}` };
    } catch (error) {
      failure = { status: null, error: (error as Error).message };
    }
    await this.webhooks.recordAttempt(deliveryId, {
      status: lastAttempt ? 'failed' : 'pending',
      lastStatus: failure.status,
      lastError: failure.error,
    });
    if (lastAttempt) {
      this.logger.warn(`webhook delivery ${deliveryId} to ${delivery.webhook.url} failed for good: ${failure.error}`);
      return;
    }
    throw new Error(`webhook delivery ${deliveryId}: ${failure.error}`);
  }
}
