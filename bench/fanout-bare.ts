/**
 * The reference for the live fan-out benchmark: a bare socket.io server with nothing behind it. Clients
 * join rooms with `join`; `POST /publish` with `{ room, debateId, turn }` stamps the turn's `createdAt`
 * and broadcasts `turn.created` to the room, as Tribunal does once a turn is persisted. Started by
 * bench/fanout.ts as its own process, on PORT.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const server = createServer((request, response) => {
  if (request.method !== 'POST' || request.url !== '/publish') {
    response.writeHead(404).end();
    return;
  }
  let body = '';
  request.on('data', (chunk: Buffer) => (body += chunk.toString()));
  request.on('end', () => {
    const { room, debateId, turn } = JSON.parse(body) as { room: string; debateId: string; turn: Record<string, unknown> };
    turn.createdAt = new Date().toISOString();
    io.to(room).emit('turn.created', { debateId, turn });
    response.writeHead(201, { 'content-type': 'application/json' }).end('{}');
  });
});
const io = new Server(server, { cors: { origin: true } });
io.on('connection', (socket) => {
  socket.on('join', async ({ room }: { room: string }, ack: (reply: { ok: boolean }) => void) => {
    await socket.join(room);
    ack({ ok: true });
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('listening\n'));
