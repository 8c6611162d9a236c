import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import type { Server } from 'socket.io';
import { debateRoom, seatRoom, userRoom, type ServerEvents } from '#tribunal/contracts';
import { turnView } from '#tribunal/debate';
import { Database, DebateRepository } from '#tribunal/persistence';
import { Metrics } from '../operations/metrics.js';

/** The PostgreSQL channel that carries live events between processes. */
const CHANNEL = 'tribunal_debate_events';
/** NOTIFY payloads must stay under 8000 bytes; a larger turn travels as a reference and is read back. */
const INLINE_LIMIT = 7000;
const RECONNECT_MS = 1000;
/** The `application_name` of each process's connection that publishes live events. */
export const PUBLISHER_NAME = 'tribunal live events';
/** Notifications sent in one statement at most. */
const PUBLISH_BATCH = 500;
/** Debates whose last stage each API process remembers, to send stage changes only. */
const STAGES_REMEMBERED = 10_000;

type EventName = keyof ServerEvents;
interface Envelope {
  room: string;
  /** `revoke`: disconnect every socket in `room` (a user's), on every API process. */
  event: EventName | 'revoke';
  payload?: unknown;
  /** Set instead of `payload` for a turn too large for a notification. */
  turn?: { debateId: string; index: number };
}

/**
 * Where live events go. On the embedded database everything runs in one process, so events go
 * straight to its socket.io server. On PostgreSQL every process (API or worker) publishes with
 * NOTIFY, and every API process LISTENs and emits to its own sockets: one path, whichever process
 * produced the event and whichever holds the client's socket.
 */
@Injectable()
export class LiveEvents implements OnApplicationShutdown {
  private readonly logger = new Logger('DebateEvents'); // the context its log lines have always had
  private server: Server | undefined;
  private listener: pg.Client | undefined;
  private closed = false;
  /**
   * Notifications waiting to leave. They leave in order, those that came while a batch was on its way
   * together in the next (one statement), so that listeners receive them in the order they were
   * emitted and a burst costs one round trip, not one each. (PostgreSQL folds identical payloads of
   * one transaction into one: only exact repeats, such as a status announced twice, which listeners
   * drop anyway.)
   */
  private readonly outbox: { text: string; sent: () => void }[] = [];
  /** The loop sending the outbox, while it runs. */
  private sending: Promise<void> | undefined;
  /** The connection notifications leave on, once opened (see `publisher`). */
  private publishing: Promise<pg.Client> | undefined;
  /** Per debate, the last `debate.status` delivered (status and stage), so that a repeat is not sent. */
  private readonly stages = new Map<string, string>();
  /** Campaigns whose end (completed or cancelled) was delivered, so that a stale `running` progress after it is not sent. */
  private readonly endedCampaigns = new Set<string>();

  constructor(
    private readonly database: Database,
    private readonly debateRepository: DebateRepository,
    private readonly metrics: Metrics,
  ) {}

  /** Called by the gateway of an API process: from now on this process delivers events to its sockets. */
  attach(server: Server): void {
    this.server = server;
    const target = this.database.target;
    if (target.kind === 'postgres') {
      this.listen(target.url).catch((error: Error) => this.logger.error(`cannot listen for live events: ${error.message}`));
    }
  }

  /** An event of a debate, to the debate's room. */
  emit<E extends EventName>(debateId: string, event: E, payload: Parameters<ServerEvents[E]>[0]): void {
    this.emitTo(debateRoom(debateId), event, payload);
  }

  emitTo<E extends EventName>(room: string, event: E, payload: Parameters<ServerEvents[E]>[0]): void {
    void this.publish({ room, event, payload });
  }

  /** Disconnects every socket of a user on every API process (their keys were revoked); resolves once published. */
  disconnectUser(userId: string): Promise<unknown> {
    return this.publish({ room: userRoom(userId), event: 'revoke' });
  }

  private publish(envelope: Envelope): Promise<unknown> {
    const { room, event, payload } = envelope;
    if (this.database.embedded) {
      this.deliver(envelope);
      return Promise.resolve();
    }
    let text = JSON.stringify(envelope);
    if (Buffer.byteLength(text) > INLINE_LIMIT && event === 'turn.created') {
      const { debateId, turn } = payload as Parameters<ServerEvents['turn.created']>[0];
      text = JSON.stringify({ room, event, turn: { debateId, index: turn.index } });
    }
    return new Promise<void>((sent) => {
      this.outbox.push({ text, sent });
      this.sending ??= this.send();
    });
  }

  private async send(): Promise<void> {
    while (this.outbox.length > 0) {
      const batch = this.outbox.splice(0, PUBLISH_BATCH);
      const sql = 'SELECT pg_notify($1, text) FROM unnest($2::text[]) WITH ORDINALITY AS o(text, n) ORDER BY n';
      const values = [CHANNEL, batch.map((b) => b.text)];
      try {
        // Once the process is shutting down, through the pool: the database closes last.
        if (this.closed) await this.database.dataSource.query(sql, values);
        else {
          const publishing = this.publisher();
          await (await publishing).query(sql, values).catch(async (error: Error & { code?: string }) => {
            // The connection was lost (cut, or PostgreSQL restarted): once more on a new one. At worst a
            // batch that had gone out goes again, which listeners drop (turns by index, statuses by stage).
            if (/^[0-9A-Z]{5}$/.test(error.code ?? '') && !/^(08|57P)/.test(error.code!)) throw error;
            if (this.publishing === publishing) this.publishing = undefined;
            void publishing.then((client) => client.end()).catch(() => undefined);
            await (await this.publisher()).query(sql, values);
          });
        }
      } catch (error) {
        // Clients that miss a live event still get it with the state when they (re)join.
        this.logger.warn(`could not publish ${batch.length} live event(s): ${(error as Error).message}`);
      }
      for (const b of batch) b.sent();
    }
    this.sending = undefined;
  }

  /**
   * The connection notifications leave on: one of its own, so that an event never waits for a pool
   * connection behind the process's other queries (under load that wait was most of an event's
   * delay). Opened when first needed, and again after it fails; named in `pg_stat_activity`.
   */
  private publisher(): Promise<pg.Client> {
    if (!this.publishing) {
      const target = this.database.target;
      if (target.kind !== 'postgres') return Promise.reject(new Error('live events travel through PostgreSQL only'));
      const client = new pg.Client({ connectionString: target.url, application_name: PUBLISHER_NAME });
      const connecting = client.connect().then(() => client);
      const forget = () => {
        if (this.publishing === connecting) this.publishing = undefined;
      };
      client.on('error', (error) => {
        this.logger.warn(`event publisher: ${error.message}`);
        forget();
      });
      client.on('end', forget);
      connecting.catch(forget);
      this.publishing = connecting;
    }
    return this.publishing;
  }

  private async listen(url: string): Promise<void> {
    const client = new pg.Client({ connectionString: url });
    client.on('notification', (message) => {
      if (message.channel !== CHANNEL || !message.payload) return;
      this.receive(JSON.parse(message.payload) as Envelope).catch((error: Error) => this.logger.warn(`live event: ${error.message}`));
    });
    client.on('error', (error) => this.logger.warn(`event listener: ${error.message}`));
    client.on('end', () => {
      if (this.closed) return;
      this.logger.warn('event listener disconnected; reconnecting');
      setTimeout(() => this.listen(url).catch((error: Error) => this.logger.warn(`event listener: ${error.message}`)), RECONNECT_MS);
    });
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.listener = client;
  }

  private async receive(envelope: Envelope): Promise<void> {
    if (envelope.turn) {
      const { debateId, index } = envelope.turn;
      const record = await this.debateRepository.record(debateId);
      const turn = record?.turns.find((t) => t.index === index);
      if (!record || !turn) return;
      envelope.payload = {
        debateId,
        turn: turnView(
          turn,
          record.citations.filter((c) => c.turnId === turn.id),
        ),
      };
    }
    this.deliver(envelope);
  }

  private deliver(envelope: Envelope): void {
    if (!this.server) return;
    if (envelope.event === 'revoke') {
      this.server.in(envelope.room).disconnectSockets(true);
      return;
    }
    if (envelope.event === 'debate.status' && !this.stageChanged(envelope.payload as Parameters<ServerEvents['debate.status']>[0])) return;
    if (envelope.event === 'campaign.progress' && this.staleProgress(envelope.payload as Parameters<ServerEvents['campaign.progress']>[0]))
      return;
    if (envelope.event === 'turn.created') {
      const { turn } = envelope.payload as Parameters<ServerEvents['turn.created']>[0];
      this.metrics.turnDeliverySeconds.observe(Math.max(0, Date.now() - Date.parse(turn.createdAt)) / 1000);
    }
    (this.server.to(envelope.room).emit as (event: string, payload: unknown) => boolean)(envelope.event, envelope.payload);
    // The debaters hear that the debate moved, never what was said: they read what they may see.
    if (envelope.event === 'turn.created' || envelope.event === 'debate.status') {
      const { debateId } = envelope.payload as { debateId: string };
      if (envelope.room === debateRoom(debateId)) this.server.to(seatRoom(debateId)).emit('seat.update', { debateId });
    }
  }

  /**
   * A debate re-announces its status whenever a judge of the stage answers; sent on, that would tell
   * the other judges when a co-judge answered. Only a change of status or stage goes out. (A process
   * that just started has no memory yet and sends the first status it sees.)
   */
  /**
   * Whether a campaign's progress says `running` after its end was delivered: two workers' fills of
   * the last debates may both report, the one that read the campaign before the other completed it
   * last, and the room would go back to running.
   */
  private staleProgress({ campaignId, status }: Parameters<ServerEvents['campaign.progress']>[0]): boolean {
    if (this.endedCampaigns.has(campaignId)) return status === 'running';
    if (status !== 'running') {
      this.endedCampaigns.add(campaignId);
      if (this.endedCampaigns.size > STAGES_REMEMBERED) this.endedCampaigns.delete(this.endedCampaigns.values().next().value!);
    }
    return false;
  }

  private stageChanged({ debateId, status, awaiting }: Parameters<ServerEvents['debate.status']>[0]): boolean {
    const stage = `${status}:${awaiting ?? ''}`;
    if (this.stages.get(debateId) === stage) return false;
    this.stages.delete(debateId);
    this.stages.set(debateId, stage);
    if (this.stages.size > STAGES_REMEMBERED) this.stages.delete(this.stages.keys().next().value!);
    return true;
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    await this.sending;
    await Promise.all([this.listener?.end(), this.publishing?.then((client) => client.end())].map((p) => p?.catch(() => undefined)));
  }
}
