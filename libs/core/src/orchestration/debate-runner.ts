import { Injectable, Logger } from '@nestjs/common';
import { seatRoom, type ProtocolSpec } from '#tribunal/contracts';
import type { NextAction, Speech } from '#tribunal/debate';
import { DebateRepository, UnitOfWork, type DebateRecord } from '#tribunal/persistence';
import { JobQueue } from '#tribunal/queue';
import { AdjudicationService } from '../adjudication/adjudication.service.js';
import { advanceKey, progressOf, speechStage } from '../debates/debate-progress.js';
import { JudgingService } from '../debates/judging.service.js';
import { SpeechesService } from '../debates/speeches.service.js';
import { LiveEvents } from '../live-events/live-events.js';

/**
 * What a step left the debate to: a wait (for people, or the end), or another step this run can take,
 * from the record as the step left it (what it wrote added in memory), or read again (null) when the
 * step found some of its writes done already by another run.
 */
type StepOutcome = { wait: true } | { wait: false; record: DebateRecord | null };

const WAIT: StepOutcome = { wait: true };

/**
 * Runs a debate as far as it can go without people, in one `debate.advance` job: speeches of
 * automatic debaters, verdicts of simulated and model judges, and the adjudication at the end. Every
 * step commits on its own before the next is taken, so a process killed between steps loses nothing:
 * the job is retried and carries on from what is persisted. A step that fails after others succeeded
 * in the same run is handed to a job of its own (keyed by the state it starts from), so that every
 * step has all the retries a job has, as if it had been the first.
 */
@Injectable()
export class DebateRunner {
  private readonly logger = new Logger('Debates');

  constructor(
    private readonly debateRepository: DebateRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly queue: JobQueue,
    private readonly events: LiveEvents,
    private readonly speeches: SpeechesService,
    private readonly judging: JudgingService,
    private readonly adjudication: AdjudicationService,
  ) {}

  /** The `debate.advance` job. Safe to run twice, or at once in two workers: each step is written once. */
  async advance(debateId: string): Promise<void> {
    let progressed = false;
    let known: DebateRecord | null = null;
    for (;;) {
      const record = known ?? (await this.debateRepository.record(debateId));
      if (!record || record.debate.status === 'completed' || record.debate.status === 'failed') return;
      const { spec, action } = progressOf(record);
      let outcome: StepOutcome;
      try {
        outcome = await this.step(record, spec, action);
      } catch (error) {
        if (!progressed) throw error;
        const key = advanceKey(debateId, record.turns.length, record.verdicts.length);
        this.logger.warn(`debate ${debateId}: ${(error as Error).message}; the step is taken again by a job of its own`);
        await this.queue.send('debate.advance', { debateId }, { singletonKey: key });
        return;
      }
      if (outcome.wait) return;
      known = outcome.record;
      progressed = true;
    }
  }

  /** Queues the deadline of each person's speech the protocol times (`deadlineSeconds` of a manual seat), once per speech. */
  private async speechDeadlines(record: DebateRecord, spec: ProtocolSpec, speeches: Speech[]): Promise<void> {
    for (const speech of speeches) {
      const seconds = spec.debaters[record.debate.seats.findIndex((s) => s.seat === speech.seat)]?.deadlineSeconds;
      if (!seconds) continue;
      const stage = speechStage(speech.index);
      const key = `${record.debate.id}:${stage}`;
      await this.queue.send('debate.deadline', { debateId: record.debate.id, stage }, { singletonKey: key, startAfterSeconds: seconds });
    }
  }

  private async step(record: DebateRecord, spec: ProtocolSpec, action: NextAction): Promise<StepOutcome> {
    const debateId = record.debate.id;
    switch (action.kind) {
      case 'speak': {
        const automatic = action.speeches.filter((s) => record.debate.seats.find((seat) => seat.seat === s.seat)!.backend !== 'manual');
        const people = action.speeches.filter((s) => !automatic.includes(s));
        if (people.length > 0) {
          // People's speeches of the round are timed from now, before the machines of the round speak.
          // The debate is running again, and its debaters hear that it moved (judges hear of stage
          // changes only, as when machines speak).
          await this.speechDeadlines(record, spec, people);
          if (await this.debateRepository.setStatus(undefined, debateId, 'running')) {
            this.events.emitTo(seatRoom(debateId), 'seat.update', { debateId });
          }
        }
        if (automatic.length === 0) return WAIT;
        // Simultaneous speakers write at once; none sees another's speech of the same round.
        const spoken = await Promise.all(automatic.map((speech) => this.speeches.speak(record, spec, speech, 'inline')));
        // A manual seat of the same round is still to speak: its submission queues the next step.
        if (automatic.length < action.speeches.length) return WAIT;
        if (spoken.some((s) => s === null)) return { wait: false, record: null };
        const written = new Set(spoken.map((s) => s!.turn.index));
        return {
          wait: false,
          record: {
            ...record,
            debate: { ...record.debate, status: 'running' },
            turns: [...record.turns, ...spoken.map((s) => s!.turn)].sort((a, b) => a.index - b.index),
            citations: [...record.citations, ...spoken.flatMap((s) => s!.citations)],
            drafts: record.drafts.filter((d) => !written.has(d.index)),
          },
        };
      }
      case 'await-judges': {
        const status = action.stage === 'final' ? 'judging' : 'awaiting_judges';
        const answered = new Set(record.verdicts.filter((v) => v.stage === action.stage).map((v) => v.assignmentId));
        const waiting = record.assignments.filter((a) => !answered.has(a.id));
        const people = waiting.some((a) => a.kind === 'human');
        if (spec.judges.deadlineSeconds && people) {
          // The people's deadline is queued with the stage it is for.
          await this.unitOfWork.run(async (tx) => {
            if (!(await this.debateRepository.setStatus(tx, debateId, status))) return;
            await this.queue.send(
              'debate.deadline',
              { debateId, stage: action.stage },
              { singletonKey: `${debateId}:${action.stage}`, startAfterSeconds: spec.judges.deadlineSeconds },
              tx,
            );
          });
        } else {
          await this.debateRepository.setStatus(undefined, debateId, status);
        }
        this.events.emit(debateId, 'debate.status', { debateId, status, awaiting: action.stage });
        const automatic = waiting.filter((a) => a.kind !== 'human');
        const given = await Promise.all(automatic.map((assignment) => this.judging.auto(record, assignment, action.stage, 'inline')));
        // With people still to answer, their verdicts queue the next step.
        if (people) return WAIT;
        if (given.some((v) => v === null)) return { wait: false, record: null };
        return {
          wait: false,
          record: {
            ...record,
            debate: { ...record.debate, status },
            verdicts: [...record.verdicts, ...given.map((v) => v!)],
          },
        };
      }
      case 'adjudicate':
        // The record this run carries is current: it read it, or added what its steps wrote.
        await this.adjudication.adjudicate(debateId, record);
        return WAIT;
    }
  }
}
