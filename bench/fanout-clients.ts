/**
 * Judges' sockets for bench/fanout-scale.ts, in a process of their own (forked, with an IPC channel),
 * so that the client load can be spread over as many processes as it needs. Told which sockets to
 * open (`connect`: API address, judge's key, debate), it connects and joins each, answers `ready`,
 * and on `collect` waits until every socket has every turn of its debate (or a few seconds pass
 * without any arriving) and answers with the latencies (turn persisted → handler, ms) and, per
 * socket, what was lost, duplicated or not of its debate.
 */
import { io, type Socket } from 'socket.io-client';
import type { TurnView } from '#tribunal/contracts';
import { pool } from './live.js';

export type ClientsRequest =
  { kind: 'connect'; sockets: { url: string; key: string; debateId: string }[]; speeches: number } | { kind: 'collect' };
export type ClientsReply =
  | { kind: 'ready'; connected: number }
  | { kind: 'result'; latencies: number[]; complete: number; lost: number; duplicates: number; foreign: number }
  | { kind: 'failed'; error: string };

const reply = (message: ClientsReply) => process.send!(message);
const sockets: Socket[] = [];
/** Per socket, how many times each turn index arrived. */
const counts: Map<number, number>[] = [];
const latencies: number[] = [];
let foreign = 0;
let speeches = 0;

async function connect(request: Extract<ClientsRequest, { kind: 'connect' }>): Promise<void> {
  speeches = request.speeches;
  await pool(request.sockets, 50, async ({ url, key, debateId }, i) => {
    const socket = io(url, { auth: { token: key }, transports: ['websocket'], reconnection: false, forceNew: true });
    const received = new Map<number, number>();
    sockets[i] = socket;
    counts[i] = received;
    socket.on('turn.created', (event: { debateId: string; turn: TurnView }) => {
      latencies.push(Date.now() - Date.parse(event.turn.createdAt));
      if (event.debateId !== debateId) foreign++;
      else received.set(event.turn.index, (received.get(event.turn.index) ?? 0) + 1);
    });
    await new Promise<void>((connected, failed) => {
      socket.once('connect', () => connected());
      socket.once('connect_error', failed);
    });
    const joined = await socket.timeout(60_000).emitWithAck('debate.join', { debateId });
    if (!joined.ok) throw new Error(`could not join debate ${debateId}: ${joined.error}`);
  });
  reply({ kind: 'ready', connected: sockets.length });
}

async function collect(): Promise<void> {
  const expected = sockets.length * speeches;
  let last = -1;
  for (let quiet = 0; latencies.length < expected && quiet < 30;) {
    quiet = latencies.length === last ? quiet + 1 : 0;
    last = latencies.length;
    await new Promise((r) => setTimeout(r, 100));
  }
  let complete = 0;
  let lost = 0;
  let duplicates = 0;
  for (const received of counts) {
    let distinct = 0;
    for (const [index, n] of received) {
      if (index < 0 || index >= speeches) foreign += n;
      else distinct++;
      duplicates += n - 1;
    }
    lost += speeches - distinct;
    if (distinct === speeches) complete++;
  }
  for (const socket of sockets) socket.close();
  reply({ kind: 'result', latencies, complete, lost, duplicates, foreign });
}

process.on('message', (request: ClientsRequest) => {
  (request.kind === 'connect' ? connect(request) : collect()).catch((error: Error) => reply({ kind: 'failed', error: error.message }));
});
process.on('disconnect', () => process.exit(0));
