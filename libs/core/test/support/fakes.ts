import type { JobName, JobPayloads } from '#tribunal/contracts';
import type { Transaction, UnitOfWork } from '#tribunal/persistence';
import type { JobQueue, SendOptions } from '#tribunal/queue';

/** A job as the fake queue recorded it. */
export interface SentJob<N extends JobName = JobName> {
  name: N;
  payload: JobPayloads[N];
  options: SendOptions;
}

/**
 * A unit of work and a job queue kept in memory, for the service tier: jobs sent inside a unit of
 * work are only `sent` once it returns, and dropped when it throws, as the real ones commit or roll
 * back together. `units` counts the units that committed, `rolledBack` those that threw.
 */
export class InMemoryUnitOfWork {
  units = 0;
  rolledBack = 0;
  readonly sent: SentJob[] = [];
  private readonly pending = new Map<Transaction, SentJob[]>();
  /** Set to make the next `send` throw, as a database refusal inside the transaction would. */
  failNextSend: Error | null = null;

  readonly unitOfWork = {
    run: async <T>(work: (tx: Transaction) => Promise<T>): Promise<T> => {
      const tx = { unit: this.units + this.rolledBack + 1 } as unknown as Transaction;
      this.pending.set(tx, []);
      try {
        const result = await work(tx);
        this.sent.push(...this.pending.get(tx)!);
        this.units++;
        return result;
      } catch (error) {
        this.rolledBack++;
        throw error;
      } finally {
        this.pending.delete(tx);
      }
    },
  } satisfies Pick<UnitOfWork, 'run'>;

  readonly queue = {
    send: async <N extends JobName>(name: N, payload: JobPayloads[N], options: SendOptions, tx?: Transaction): Promise<void> => {
      if (this.failNextSend) {
        const error = this.failNextSend;
        this.failNextSend = null;
        throw error;
      }
      const job = { name, payload, options } as SentJob;
      if (!tx) {
        this.sent.push(job);
        return;
      }
      const open = this.pending.get(tx);
      if (!open) throw new Error('a job was sent through a transaction that is not open');
      open.push(job);
    },
  } satisfies Pick<JobQueue, 'send'>;

  jobs<N extends JobName>(name: N): SentJob<N>[] {
    return this.sent.filter((job): job is SentJob<N> => job.name === name);
  }
}

/** Records what a service emitted to live rooms. */
export function recordingEvents() {
  const emitted: { room: string; event: string; payload: unknown }[] = [];
  return {
    emitted,
    events: {
      emit: (debateId: string, event: string, payload: unknown) => emitted.push({ room: `debate:${debateId}`, event, payload }),
      emitTo: (room: string, event: string, payload: unknown) => emitted.push({ room, event, payload }),
    },
  };
}
