/**
 * The honest reference for the live fan-out benchmark: the least a pipeline with the platform's
 * durability must do. The benchmark INSERTs each turn and NOTIFYs it in one statement (one
 * transaction); this process LISTENs on PostgreSQL and emits `turn.created` to the turn's room on its
 * socket.io server, as an API process does. Clients join rooms with `join`. Started by
 * bench/fanout.ts as its own process, with DATABASE_URL, CHANNEL and PORT.
 */
import { createServer } from 'node:http';
import pg from 'pg';
import { Server } from 'socket.io';

const server = createServer((_request, response) => response.writeHead(404).end());
const io = new Server(server, { cors: { origin: true } });
io.on('connection', (socket) => {
  socket.on('join', async ({ room }: { room: string }, ack: (reply: { ok: boolean }) => void) => {
    await socket.join(room);
    ack({ ok: true });
  });
});
const listener = new pg.Client({ connectionString: process.env.DATABASE_URL });
listener.on('notification', (message) => {
  if (!message.payload) return;
  const { room, debateId, turn } = JSON.parse(message.payload) as { room: string; debateId: string; turn: Record<string, unknown> };
  io.to(room).emit('turn.created', { debateId, turn });
});
await listener.connect();
await listener.query(`LISTEN ${process.env.CHANNEL}`);
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('listening\n'));
