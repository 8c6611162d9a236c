import { Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import {
  MessageBody,
  ConnectedSocket,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
  type OnGatewayConnection,
  type OnGatewayInit,
} from '@nestjs/websockets';
import { IsUUID } from 'class-validator';
import type { Application } from 'express';
import type { Server, Socket } from 'socket.io';
import {
  campaignRoom,
  trainingRoom,
  debateRoom,
  Forbidden,
  seatRoom,
  MAX_JSON_DEPTH,
  parseContract,
  userRoom,
  valueNestsDeeperThan,
  type ClientEvents,
  type ServerEvents,
} from '#tribunal/contracts';
import {
  AuthLimiter,
  AuthService,
  CampaignsService,
  Metrics,
  ModelsService,
  LiveEvents,
  DebatesService,
  errorReply,
  JudgingService,
  type Principal,
} from '#tribunal/core';
import { bearerToken, clientAddress } from '../auth/roles.js';
import { VerdictDto } from '../http/dto.js';
import { MessageLimits } from './message-limits.js';

class JoinPayload {
  @IsUUID() debateId!: string;
}
class VerdictPayload extends VerdictDto {
  @IsUUID() debateId!: string;
}
class CampaignPayload {
  @IsUUID() campaignId!: string;
}
class TrainingPayload {
  @IsUUID() trainingJobId!: string;
}

type Reply = Parameters<Parameters<ClientEvents['debate.join']>[1]>[0];
type TribunalSocket = Socket<Record<string, never>, ServerEvents, Record<string, never>, { principal: Principal; key: string }>;

/** The messages this gateway handles; anything else is refused without reaching a handler. */
const MESSAGES = new Set(['debate.join', 'seat.join', 'debate.leave', 'campaign.join', 'training.join', 'verdict.submit']);

/**
 * Turns a service's outcome into an acknowledgement, errors included, so a client always hears back:
 * a refusal with the status and message HTTP would answer (`errorReply`), a fault as 500 "internal error".
 */
async function reply<T>(work: () => Promise<T>): Promise<Reply | { ok: true; data: T }> {
  try {
    return { ok: true, data: await work() };
  } catch (error) {
    const { status, message } = errorReply(error, (fault) => new Logger('DebateGateway').error(fault));
    return { ok: false, status, error: message };
  }
}

/** Refuses anyone but a researcher or an admin, saying what they may not do. */
function onlyResearchers(socket: TribunalSocket, what: string): void {
  const { role } = socket.data.principal;
  if (role !== 'researcher' && role !== 'admin') throw new Forbidden(`only researchers and admins ${what}`);
}

/**
 * Judges and observers follow debates here. The key is checked when the socket connects and again
 * with every message, and a user's sockets are disconnected on every API process when their keys are
 * revoked (the gateway listens to `AuthService` for that); each socket's messages are limited
 * (`MessageLimits`). A judge may join only the debates they are assigned to. Joining answers with the
 * state so far, and live events follow in the debate's room.
 */
@WebSocketGateway({ cors: { origin: true } })
export class DebateGateway implements OnGatewayInit, OnGatewayConnection {
  @WebSocketServer() server!: Server;

  constructor(
    private readonly auth: AuthService,
    private readonly debates: DebatesService,
    private readonly judging: JudgingService,
    private readonly events: LiveEvents,
    private readonly campaigns: CampaignsService,
    private readonly models: ModelsService,
    private readonly metrics: Metrics,
    private readonly limiter: AuthLimiter,
    private readonly adapter: HttpAdapterHost,
  ) {
    auth.onKeysRevoked((userId) => this.events.disconnectUser(userId));
  }

  afterInit(server: Server): void {
    this.metrics.countSockets(() => server.engine?.clientsCount ?? 0);
    server.use((socket, next) => {
      const token = (socket.handshake.auth as { token?: unknown }).token;
      const key = typeof token === 'string' ? token : bearerToken(socket.handshake.headers.authorization);
      this.auth.authenticate(key).then(
        (principal) => {
          if (!principal) {
            // A valid key is never refused; an address that keeps failing gets "too many" instead.
            const refused = key ? this.limiter.fail(this.clientAddress(socket)) : undefined;
            return next(new Error(refused?.message ?? 'unauthorized: missing, invalid or revoked API key'));
          }
          (socket as TribunalSocket).data.principal = principal;
          (socket as TribunalSocket).data.key = key!;
          next();
        },
        () => next(new Error('authentication failed')),
      );
    });
    this.events.attach(server);
  }

  /**
   * The address HTTP would count for this client (Express's, through the trusted proxies), not the
   * connection's peer: behind a proxy, that is the proxy's, shared by every client behind it.
   */
  private clientAddress(socket: Socket): string {
    const { address, headers } = socket.handshake;
    return clientAddress(this.adapter.httpAdapter.getInstance<Application>(), address, headers);
  }

  /** Every message passes the socket's limits, then its key is checked again: a revoked key is refused. */
  handleConnection(socket: TribunalSocket): void {
    void socket.join(userRoom(socket.data.principal.id));
    const limits = new MessageLimits();
    socket.use((packet, next) => {
      const last = packet[packet.length - 1];
      const ack = typeof last === 'function' ? (last as (reply: Reply) => void) : undefined;
      const refuse = (status: number, error: string) => ack?.({ ok: false, status, error });
      const verdict = limits.admit();
      if (!verdict.admitted) {
        refuse(429, verdict.error);
        if (verdict.disconnect) socket.disconnect(true);
        return;
      }
      if (!MESSAGES.has(String(packet[0]))) {
        limits.done();
        return refuse(404, `unknown message "${String(packet[0])}"`);
      }
      // socket.io parses messages without recursion, but handlers read them recursively: refuse deep ones
      // first, as HTTP bodies are (apps/api/src/http/body.ts), rather than overflow the stack.
      if (packet.slice(1).some((argument) => valueNestsDeeperThan(argument, MAX_JSON_DEPTH))) {
        limits.done();
        return refuse(400, `message nested too deeply: at most ${MAX_JSON_DEPTH} levels of arrays and objects`);
      }
      // The handler answers through the acknowledgement; that is when the message stops counting.
      const answer = (reply: Reply) => {
        limits.done();
        ack?.(reply);
      };
      if (ack) packet[packet.length - 1] = answer;
      else packet.push(answer);
      this.auth.authenticate(socket.data.key).then(
        (principal) => {
          if (principal?.id === socket.data.principal.id) return next();
          answer({ ok: false, status: 401, error: 'unauthorized: the API key of this socket was revoked' });
          socket.disconnect(true);
        },
        () => answer({ ok: false, status: 500, error: 'authentication failed' }),
      );
    });
  }

  @SubscribeMessage('debate.join')
  async join(@ConnectedSocket() socket: TribunalSocket, @MessageBody() body: unknown) {
    return reply(async () => {
      const { debateId } = parseContract(JoinPayload, body);
      // Check before joining: whoever may not follow the debate never enters its room, not even for a moment.
      await this.debates.view(socket.data.principal, debateId);
      // Join, then read: an event between the two reaches the client twice rather than never.
      await socket.join(debateRoom(debateId));
      return this.debates.view(socket.data.principal, debateId);
    });
  }

  /**
   * A debater follows a debate from their seat: not in the debate's room, whose speeches (a
   * simultaneous opponent's, as it is written) they may not read yet, but in its seats' room, which
   * hears only that the debate moved; the reply is what they may see.
   */
  @SubscribeMessage('seat.join')
  async joinSeat(@ConnectedSocket() socket: TribunalSocket, @MessageBody() body: unknown) {
    return reply(async () => {
      const { debateId } = parseContract(JoinPayload, body);
      await this.debates.debaterView(socket.data.principal, debateId);
      await socket.join(seatRoom(debateId));
      return this.debates.debaterView(socket.data.principal, debateId);
    });
  }

  @SubscribeMessage('debate.leave')
  async leave(@ConnectedSocket() socket: TribunalSocket, @MessageBody() body: unknown) {
    return reply(async () => {
      const { debateId } = parseContract(JoinPayload, body);
      await socket.leave(debateRoom(debateId));
      await socket.leave(seatRoom(debateId));
      return null;
    });
  }

  @SubscribeMessage('campaign.join')
  async joinCampaign(@ConnectedSocket() socket: TribunalSocket, @MessageBody() body: unknown) {
    return reply(async () => {
      const { campaignId } = parseContract(CampaignPayload, body);
      onlyResearchers(socket, 'follow campaigns');
      const progress = await this.campaigns.progress(campaignId);
      await socket.join(campaignRoom(campaignId));
      return progress;
    });
  }

  @SubscribeMessage('training.join')
  async joinTraining(@ConnectedSocket() socket: TribunalSocket, @MessageBody() body: unknown) {
    return reply(async () => {
      const { trainingJobId } = parseContract(TrainingPayload, body);
      onlyResearchers(socket, 'follow training runs');
      // Join first, then read: a point saved in between arrives twice rather than never.
      await socket.join(trainingRoom(trainingJobId));
      return this.models.training(trainingJobId);
    });
  }

  @SubscribeMessage('verdict.submit')
  async verdict(@ConnectedSocket() socket: TribunalSocket, @MessageBody() body: unknown) {
    return reply(async () => {
      const { debateId, ...submission } = parseContract(VerdictPayload, body);
      if (socket.data.principal.role !== 'judge') throw new Forbidden('only judges give verdicts');
      return this.judging.submit(socket.data.principal, debateId, submission);
    });
  }
}
