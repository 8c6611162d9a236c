import { Emitter } from '@socket.io/postgres-emitter';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import type { Server } from 'socket.io';
import { debateRoom, type ServerEvents } from '../../contracts/src/index.js';
import type { TribunalConfig } from '../../config/src/index.js';
import { InjectConfig } from './runtime.js';

/**
 * Where workers publish what happens in debates. In a process that holds sockets the events go
 * straight to the socket.io server (and, on PostgreSQL, through its adapter to the other API
 * processes); a worker alone on PostgreSQL publishes through the socket.io PostgreSQL emitter.
 */
@Injectable()
export class DebateEvents implements OnApplicationShutdown {
  private readonly logger = new Logger(DebateEvents.name);
  private server: Server | undefined;
  private emitter: Emitter | undefined;
  private pool: pg.Pool | undefined;

  constructor(@InjectConfig() private readonly config: TribunalConfig) {}

  attach(server: Server): void {
    this.server = server;
  }

  emit<E extends keyof ServerEvents>(debateId: string, event: E, ...args: Parameters<ServerEvents[E]>): void {
    const room = debateRoom(debateId);
    if (this.server) {
      this.server.to(room).emit(event, ...args);
    } else if (this.config.databaseUrl) {
      this.pool ??= new pg.Pool({ connectionString: this.config.databaseUrl, max: 2 });
      this.emitter ??= new Emitter(this.pool);
      (this.emitter.to(room).emit as (e: string, ...a: unknown[]) => void)(event, ...args);
    } else {
      this.logger.debug(`no socket server in this process; ${event} for debate ${debateId} not broadcast`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool?.end();
  }
}
