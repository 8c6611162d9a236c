import { createAdapter } from '@socket.io/postgres-adapter';
import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import pg from 'pg';
import type { Server, ServerOptions } from 'socket.io';
import type { TribunalConfig } from '../../../libs/config/src/index.js';

/**
 * socket.io for the API process. On PostgreSQL, broadcasts go through the PostgreSQL adapter, so that
 * every API process's clients receive events published by any process.
 */
export class SocketAdapter extends IoAdapter {
  private pool: pg.Pool | undefined;

  constructor(
    app: INestApplicationContext,
    private readonly config: TribunalConfig,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, options) as Server;
    if (this.config.databaseUrl) {
      this.pool = new pg.Pool({ connectionString: this.config.databaseUrl, max: 2 });
      this.pool.on('error', () => undefined); // the adapter reconnects by itself
      server.adapter(createAdapter(this.pool, { tableName: 'socket_io_attachments' }));
    }
    return server;
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    await this.pool?.end();
  }
}
