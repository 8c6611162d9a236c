import { Module } from '@nestjs/common';
import { WebhooksService } from './webhooks.service.js';

/** Webhook subscriptions and the signed delivery of label events to them. */
@Module({ providers: [WebhooksService], exports: [WebhooksService] })
export class WebhooksModule {}
