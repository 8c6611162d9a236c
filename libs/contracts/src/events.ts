import type { DebateStatus, TrainingJobStatus } from './domain.js';
import type { DebaterDebateView, JudgeDebateView, TurnView } from './views.js';

export interface CampaignProgressView {
  campaignId: string;
  status: 'running' | 'completed' | 'cancelled';
  waiting: number;
  debates: Partial<Record<DebateStatus, number>>;
  total: number;
}

/** A training run's evaluation point: losses of the two-head model and the baseline, held-out accuracy of each. */
export interface TrainingPoint {
  step: number;
  steps: number;
  loss: { total: number; large: number; consistency: number; simple: number; prior: number };
  baselineLoss: number;
  /** Accuracy against the reference answers of held-out items (null when none has one). */
  heldOut: { intended: number | null; instrumental: number | null; baseline: number | null };
}

export interface TrainingStatusView {
  trainingJobId: string;
  datasetId: string;
  status: TrainingJobStatus;
  /** Where it runs (`cpu`, `cuda:0`), once started. */
  device: string | null;
  /** Every evaluation point so far, oldest first. */
  progress: TrainingPoint[];
  modelVersionId: string | null;
  error: string | null;
}

/** Events the server sends. The set is closed. */
export interface ServerEvents {
  /** Text of a speech being written, in order: `offset` is where `text` starts in the speech. */
  'turn.delta': (payload: { debateId: string; index: number; seat: string; offset: number; text: string }) => void;
  /** A speech was persisted and its citations verified. */
  'turn.created': (payload: { debateId: string; turn: TurnView }) => void;
  /** The debate moved on: it now waits for judges at `awaiting`, or ended (with a reason if it failed). */
  'debate.status': (payload: { debateId: string; status: DebateStatus; awaiting: string | null; reason?: string }) => void;
  /**
   * To a debate's debaters: it moved (a speech or a stage), with nothing of what was said; they read
   * what they may see with `seat.join`.
   */
  'seat.update': (payload: { debateId: string }) => void;
  /** Counts of a campaign's debates by state. */
  'campaign.progress': (payload: CampaignProgressView) => void;
  /** A training run moved: a new evaluation point (`point`), or a new status. */
  'training.progress': (payload: Omit<TrainingStatusView, 'progress'> & { point: TrainingPoint | null }) => void;
  /** To a judge (their own sockets only): outcomes of these debates of theirs are now shown (GET /me/outcomes); nothing of the outcome itself. */
  'outcomes.revealed': (payload: { debateIds: string[] }) => void;
}

export type Ack<T> = (reply: { ok: true; data: T } | { ok: false; error: string; status: number }) => void;

/** Messages a client sends. Each is answered through its acknowledgement callback. */
export interface ClientEvents {
  /** Join a debate's room; the reply is the state so far, after which live events follow. */
  'debate.join': (payload: { debateId: string }, ack: Ack<JudgeDebateView>) => void;
  /** Debaters: follow a debate from the seat they speak for; the reply is what they may see, and `seat.update` follows. */
  'seat.join': (payload: { debateId: string }, ack: Ack<DebaterDebateView>) => void;
  'debate.leave': (payload: { debateId: string }, ack: Ack<null>) => void;
  'verdict.submit': (
    payload: { debateId: string; stage: string; probabilities: number[]; note?: string; endDebate?: boolean },
    ack: Ack<{ stage: string; duplicate: boolean }>,
  ) => void;
  /** Researchers: follow a campaign's progress; the reply is the progress so far. */
  'campaign.join': (payload: { campaignId: string }, ack: Ack<CampaignProgressView>) => void;
  /** Researchers: follow a training run; the reply is its status and every point so far. */
  'training.join': (payload: { trainingJobId: string }, ack: Ack<TrainingStatusView>) => void;
}

export const debateRoom = (debateId: string): string => `debate:${debateId}`;
/** A debate's debaters, who hear only that it moved (`seat.update`). */
export const seatRoom = (debateId: string): string => `seats:${debateId}`;
export const campaignRoom = (campaignId: string): string => `campaign:${campaignId}`;
export const trainingRoom = (trainingJobId: string): string => `training:${trainingJobId}`;
/** Every socket of a user, so that revoking the user's keys can disconnect them all. */
export const userRoom = (userId: string): string => `user:${userId}`;
