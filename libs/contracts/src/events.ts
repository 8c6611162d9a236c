import type { DebateStatus } from './domain.js';
import type { JudgeDebateView, TurnView } from './views.js';

/** Events the server sends to a debate's room. The set is closed. */
export interface ServerEvents {
  /** A speech was persisted and its citations verified. */
  'turn.created': (payload: { debateId: string; turn: TurnView }) => void;
  /** The debate moved on: it now waits for judges at `awaiting`, or ended. */
  'debate.status': (payload: { debateId: string; status: DebateStatus; awaiting: string | null }) => void;
}

export type Ack<T> = (reply: { ok: true; data: T } | { ok: false; error: string; status: number }) => void;

/** Messages a client sends. Each is answered through its acknowledgement callback. */
export interface ClientEvents {
  /** Join a debate's room; the reply is the state so far, after which live events follow. */
  'debate.join': (payload: { debateId: string }, ack: Ack<JudgeDebateView>) => void;
  'debate.leave': (payload: { debateId: string }, ack: Ack<null>) => void;
  'verdict.submit': (
    payload: { debateId: string; stage: string; probabilities: number[]; note?: string },
    ack: Ack<{ stage: string; duplicate: boolean }>,
  ) => void;
}

export const debateRoom = (debateId: string): string => `debate:${debateId}`;
