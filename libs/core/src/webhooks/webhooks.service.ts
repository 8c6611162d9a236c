import { randomBytes } from 'node:crypto';
import { lookup, type LookupAddress, type LookupAllOptions, type LookupOptions } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';
import { Injectable, Logger } from '@nestjs/common';
import type { TribunalConfig, WebhookTargets } from '#tribunal/config';
import {
  DELIVERY_HEADER,
  EVENT_HEADER,
  Invalid,
  NotFound,
  SIGNATURE_HEADER,
  signWebhook,
  WEBHOOK_EVENTS,
  type WebhookEvent,
} from '#tribunal/contracts';
import { UnitOfWork, WebhookRepository, type LabelEntity, type WebhookDeliveryEntity, type WebhookEntity } from '#tribunal/persistence';
import { JobQueue } from '#tribunal/queue';
import type { Principal } from '../identity/auth.service.js';
import { labelRecord } from '../labels/labels.service.js';
import { InjectConfig } from '../infrastructure/infrastructure.module.js';

/** How long one delivery may take. */
const TIMEOUT_MS = 10_000;
/** How long creating a webhook waits for its host name to resolve before leaving the check to delivery. */
const CREATION_LOOKUP_MS = 3_000;

/** Address ranges `TRIBUNAL_WEBHOOK_TARGETS=public` refuses, by the name a refusal gives. */
const DENIED: Record<string, [address: string, prefix: number, family: 'ipv4' | 'ipv6'][]> = {
  loopback: [
    ['127.0.0.0', 8, 'ipv4'],
    ['::1', 128, 'ipv6'],
  ],
  private: [
    ['10.0.0.0', 8, 'ipv4'],
    ['172.16.0.0', 12, 'ipv4'],
    ['192.168.0.0', 16, 'ipv4'],
    ['100.64.0.0', 10, 'ipv4'],
    ['fc00::', 7, 'ipv6'],
  ],
  'link-local': [
    ['169.254.0.0', 16, 'ipv4'],
    ['fe80::', 10, 'ipv6'],
  ],
  'special-purpose': [
    ['0.0.0.0', 8, 'ipv4'],
    ['192.0.0.0', 24, 'ipv4'],
    ['192.0.2.0', 24, 'ipv4'],
    ['198.18.0.0', 15, 'ipv4'],
    ['198.51.100.0', 24, 'ipv4'],
    ['203.0.113.0', 24, 'ipv4'],
    ['224.0.0.0', 4, 'ipv4'],
    ['240.0.0.0', 4, 'ipv4'],
    ['::', 128, 'ipv6'],
    ['100::', 64, 'ipv6'],
    ['2001::', 32, 'ipv6'],
    ['2001:db8::', 32, 'ipv6'],
    ['2002::', 16, 'ipv6'],
    ['64:ff9b:1::', 48, 'ipv6'],
    ['ff00::', 8, 'ipv6'],
  ],
};
const DENIED_LISTS = Object.entries(DENIED).map(([kind, ranges]) => {
  const list = new BlockList();
  for (const [address, prefix, family] of ranges) list.addSubnet(address, prefix, family);
  return { kind, list };
});

/** An IPv4 address carried in an IPv6 one (IPv4-mapped `::ffff:a.b.c.d`, or NAT64 `64:ff9b::a.b.c.d`), else null. */
function embeddedIpv4(address: string): string | null {
  const normal = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const match = /^(?:::ffff|64:ff9b:):([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(normal);
  if (!match) return null;
  const [high, low] = [parseInt(match[1]!, 16), parseInt(match[2]!, 16)];
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** The kind of range (`loopback`, `private`, `link-local`, `special-purpose`) an IP address is in, or null for a public one. */
export function deniedRange(scoped: string): string | null {
  const address = scoped.replace(/%.*$/, ''); // an IPv6 zone (fe80::1%eth0) names an interface, not a range
  const family = isIP(address);
  if (family === 0) return 'special-purpose';
  if (family === 6) {
    const ipv4 = embeddedIpv4(address);
    if (ipv4) return deniedRange(ipv4);
  }
  return DENIED_LISTS.find(({ list }) => list.check(address, family === 4 ? 'ipv4' : 'ipv6'))?.kind ?? null;
}

/** A host name as the allow-list compares it: lower case, an IPv6 address without its brackets. */
function bareHost(hostname: string): string {
  return hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
}

/** Whether an allow-list names `hostname`, exactly or (`*.example.com`) as a subdomain. */
export function hostAllowed(hosts: readonly string[], hostname: string): boolean {
  const host = bareHost(hostname);
  return hosts.some((entry) => (entry.startsWith('*.') ? host.endsWith(entry.slice(1)) : host === entry));
}

/** A delivery refused by the target policy: its message is what the delivery log records. */
class TargetRefused extends Error {}

/** Resolves as the socket would, refusing (with `TargetRefused`) a name that resolves to any denied address. */
function publicOnlyLookup(
  hostname: string,
  options: LookupOptions,
  callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
): void {
  lookup(hostname, { ...options, all: true } as LookupAllOptions, (error, addresses) => {
    if (error) return callback(error, '');
    const denied = addresses.map((a) => deniedRange(a.address)).find((kind) => kind !== null);
    if (denied) return callback(new TargetRefused(`refused: ${denied} address`), '');
    if (addresses.length === 0) return callback(new TargetRefused('refused: the host has no address'), '');
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
}

/** What one POST came to: the receiver's status, a refusal by the target policy, or no answer (its detail withheld). */
type Outcome = { status: number } | { refused: string } | { failed: true };

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
    private readonly webhookRepository: WebhookRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly queue: JobQueue,
    @InjectConfig() private readonly config: TribunalConfig,
  ) {}

  async create(input: {
    url: string;
    events?: WebhookEvent[];
    datasetId?: string;
    createdBy: string;
  }): Promise<{ webhook: WebhookView; secret: string }> {
    let url: URL;
    try {
      url = new URL(input.url);
    } catch {
      throw new Invalid('url must be an http(s) URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Invalid('url must be an http(s) URL');
    if (url.username || url.password) {
      throw new Invalid(
        'url must not carry credentials (user:password@host): they would be stored and shown with the URL; the receiver authenticates deliveries by their signature, or by a token of its own in the path',
      );
    }
    await this.checkTarget(url);
    const events = input.events ?? [...WEBHOOK_EVENTS];
    const secret = `whsec_${randomBytes(24).toString('base64url')}`;
    const webhook = await this.webhookRepository.create({
      url: input.url,
      secret,
      events,
      datasetId: input.datasetId ?? null,
      createdBy: input.createdBy,
    });
    return { webhook: view(webhook), secret };
  }

  /** Refuses, at creation, a target the operator's `TRIBUNAL_WEBHOOK_TARGETS` does not allow. Delivery checks again. */
  private async checkTarget(url: URL): Promise<void> {
    const targets: WebhookTargets = this.config.webhookTargets;
    if (targets === 'any') return;
    if (targets !== 'public') {
      if (!hostAllowed(targets, url.hostname)) {
        throw new Invalid(`url's host ${url.hostname} is not among the webhook targets this server allows (TRIBUNAL_WEBHOOK_TARGETS)`);
      }
      return;
    }
    const host = bareHost(url.hostname);
    const refuse = (kind: string, how: string) =>
      new Invalid(
        `url's host ${how} a ${kind} address; this server delivers webhooks to public addresses only (TRIBUNAL_WEBHOOK_TARGETS=public)`,
      );
    if (isIP(host)) {
      const kind = deniedRange(host);
      if (kind) throw refuse(kind, 'is');
      return;
    }
    // A name that does not resolve (yet) is let through: delivery resolves it again and refuses it then.
    const addresses = await Promise.race([
      new Promise<LookupAddress[]>((resolve) => lookup(host, { all: true }, (error, found) => resolve(error ? [] : found))),
      new Promise<LookupAddress[]>((resolve) => setTimeout(() => resolve([]), CREATION_LOOKUP_MS).unref()),
    ]);
    const kind = addresses.map((a) => deniedRange(a.address)).find((k) => k !== null);
    if (kind) throw refuse(kind, `${host} resolves to`);
  }

  /** The caller's webhooks; an admin's: everyone's. */
  async list(principal: Principal): Promise<WebhookView[]> {
    return (await this.webhookRepository.list(this.owner(principal))).map(view);
  }

  /** Another user's webhook is answered as one that does not exist, so that its existence is not revealed. */
  async disable(id: string, principal: Principal): Promise<{ disabled: boolean }> {
    if (!(await this.webhookRepository.disable(id, this.owner(principal))))
      throw new NotFound(`webhook ${id} does not exist or is already disabled`);
    return { disabled: true };
  }

  async deliveries(id: string, principal: Principal): Promise<WebhookDeliveryEntity[]> {
    if (!(await this.webhookRepository.find(id, this.owner(principal)))) throw new NotFound(`webhook ${id} does not exist`);
    return this.webhookRepository.deliveries(id, 200);
  }

  /** Whose webhooks `principal` may see: `undefined` (everyone's) for an admin, else their own. */
  private owner(principal: Principal): string | undefined {
    return principal.role === 'admin' ? undefined : principal.id;
  }

  /**
   * A label was written (the `label.created` job): one delivery per webhook that wants its event
   * (`label.revised` when it replaces an earlier label of its dispute), each created with its job, once
   * however often the job runs.
   */
  async onLabel(label: LabelEntity): Promise<void> {
    const event: WebhookEvent = label.revises ? 'label.revised' : 'label.created';
    await this.unitOfWork.run(async (tx) => {
      for (const deliveryId of await this.webhookRepository.deliveriesFor(tx, label, event)) {
        await this.queue.send('webhook.deliver', { deliveryId }, { singletonKey: deliveryId }, tx);
      }
    });
  }

  /** The `webhook.deliver` job: one attempt, logged; a failure is thrown for the queue to retry, until the last. */
  async deliver(deliveryId: string, lastAttempt: boolean, label: (seq: string) => Promise<LabelEntity | null>): Promise<void> {
    const delivery = await this.webhookRepository.delivery(deliveryId);
    if (!delivery || delivery.status !== 'pending' || delivery.webhook.disabledAt) return;
    const labelled = await label(delivery.labelSeq);
    if (!labelled) return;
    const body = JSON.stringify({
      id: delivery.id,
      event: delivery.event,
      createdAt: delivery.createdAt.toISOString(),
      label: labelRecord(labelled),
    });
    const outcome = await this.post(new URL(delivery.webhook.url), body, {
      'content-type': 'application/json',
      [SIGNATURE_HEADER]: signWebhook(delivery.webhook.secret, body, Math.floor(Date.now() / 1000)),
      [DELIVERY_HEADER]: delivery.id,
      [EVENT_HEADER]: delivery.event,
    });
    if ('status' in outcome && outcome.status >= 200 && outcome.status < 300) {
      await this.webhookRepository.recordAttempt(deliveryId, { status: 'delivered', lastStatus: outcome.status, lastError: null });
      return;
    }
    const failure: { status: number | null; error: string } =
      'status' in outcome
        ? {
            status: outcome.status,
            error:
              outcome.status >= 300 && outcome.status < 400
                ? `the receiver answered ${outcome.status}, a redirect: redirects are not followed`
                : `the receiver answered ${outcome.status}`,
          }
        : { status: null, error: 'refused' in outcome ? outcome.refused : 'connection failed' };
    await this.webhookRepository.recordAttempt(deliveryId, {
      status: lastAttempt ? 'failed' : 'pending',
      lastStatus: failure.status,
      lastError: failure.error,
    });
    if (lastAttempt) {
      this.logger.warn(`webhook delivery ${deliveryId} (webhook ${delivery.webhook.id}) failed for good: ${failure.error}`);
      return;
    }
    throw new Error(`webhook delivery ${deliveryId}: ${failure.error}`);
  }

  /**
   * One POST, never following a redirect. Under `public` the host is resolved as the socket connects
   * and refused if any of its addresses is denied, so a name cannot resolve one way when checked and
   * another when used; under an allow-list, only listed hosts are reached. Network errors are not
   * reported in detail: the delivery log must not tell which ports and hosts answer.
   */
  private post(url: URL, body: string, headers: Record<string, string>): Promise<Outcome> {
    const targets = this.config.webhookTargets;
    if (url.username || url.password) return Promise.resolve({ refused: 'refused: the URL carries credentials' });
    if (targets !== 'any' && targets !== 'public' && !hostAllowed(targets, url.hostname)) {
      return Promise.resolve({ refused: 'refused: host not allowed' });
    }
    const host = bareHost(url.hostname);
    if (targets === 'public' && isIP(host)) {
      const kind = deniedRange(host);
      if (kind) return Promise.resolve({ refused: `refused: ${kind} address` });
    }
    return new Promise<Outcome>((resolve) => {
      const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
        url,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          agent: false,
          lookup: targets === 'public' ? publicOnlyLookup : undefined,
          signal: AbortSignal.timeout(TIMEOUT_MS),
        },
        (response) => {
          response.resume();
          resolve({ status: response.statusCode ?? 0 });
        },
      );
      request.on('error', (error) => resolve(error instanceof TargetRefused ? { refused: error.message } : { failed: true }));
      request.end(body);
    });
  }
}
