import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import {
  Conflict,
  Forbidden,
  Invalid,
  NotFound,
  type AssignmentView,
  type DebateSourcesView,
  type DebaterDebateView,
  type DebaterSeat,
  type JudgeDebateView,
  type ProtocolSpec,
} from '#tribunal/contracts';
import {
  alternativeAnswer,
  assignSeats,
  awaitingView,
  debaterDebateView,
  debateSourcesView,
  judgeDebateView,
  neighbouringAnswer,
  type NextAction,
} from '#tribunal/debate';
import {
  DebateRepository,
  IdentityRepository,
  UnitOfWork,
  type DebateEntity,
  type DisputeEntity,
  type DebateRecord,
  type JudgeAssignmentEntity,
  type Transaction,
  DisputeRepository,
  ProtocolRepository,
  ScoringRepository,
} from '#tribunal/persistence';
import { JobQueue } from '#tribunal/queue';
import { debaterAnswer, type ArguedItem } from '#tribunal/world';
import type { Principal } from '../identity/auth.service.js';
import { LiveEvents } from '../live-events/live-events.js';
import { OutcomesService } from '../outcomes/outcomes.service.js';
import { advanceKey, progressOf, specOf } from './debate-progress.js';

export interface StartDebateRequest {
  disputeId: string;
  protocolId: string;
  /** Human judges to assign; by default the judges with the fewest unfinished debates. */
  judgeIds?: string[];
  /** One answer per debater, for protocols with `explicit` assignment. */
  answers?: number[];
  /**
   * The people (users with the `debater` role) who speak for the protocol's manual seats, one per
   * manual seat in seat order; without them, manual seats are spoken for over HTTP by researchers.
   */
  debaterIds?: string[];
  /**
   * When the debate belongs to a campaign: the campaign's check and claim, in the transaction that
   * creates the debate, which it rolls back by throwing.
   */
  claim?: (tx: Transaction, debateId: string) => Promise<void>;
  campaignId?: string;
}

@Injectable()
export class DebatesService {
  private readonly logger = new Logger(DebatesService.name);

  constructor(
    private readonly scoringRepository: ScoringRepository,
    private readonly protocolRepository: ProtocolRepository,
    private readonly disputeRepository: DisputeRepository,
    private readonly debateRepository: DebateRepository,
    private readonly identityRepository: IdentityRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly queue: JobQueue,
    private readonly events: LiveEvents,
    private readonly outcomes: OutcomesService,
  ) {}

  /**
   * The answer seated against the simple label, and the two most plausible answers (for `top-two`).
   * Once a model has scored the item: its intended head's top answer (its second when the top is the
   * simple label) and its top two. Before any model, on the built-in world: the answer a debater copy
   * chooses to defend, seeing exactly what the model sees (every sensor); when that is the simple
   * label, a neighbouring answer drawn from the item, so the debate audits the label. Elsewhere: the
   * dispute's suggested answer, else the next one.
   */
  private async modelAnswers(dispute: DisputeEntity, item: DisputeEntity['item']) {
    const simple = item.simpleLabel ?? 0;
    const [prediction] = dispute.modelVersionId ? await this.scoringRepository.predictions(dispute.modelVersionId, [dispute.itemId]) : [];
    if (prediction) {
      const ranked = prediction.intended.map((p, i) => [p, i] as const).sort((a, b) => b[0] - a[0]);
      const [first, second] = [ranked[0]![1], ranked[1]![1]];
      return { answer: first !== simple ? first : second, topTwo: [first, second] as [number, number] };
    }
    if (item.context.kind === 'world-room' && item.simpleLabel !== null) {
      const chosen = debaterAnswer(item as unknown as ArguedItem);
      const answer = chosen !== simple ? chosen : neighbouringAnswer(simple, item.answers.length, item.externalId);
      return { answer, topTwo: [chosen, chosen !== simple ? simple : answer] as [number, number] };
    }
    const fallback = alternativeAnswer(item, dispute.reasons);
    return { answer: fallback, topTwo: [fallback, simple] as [number, number] };
  }

  async start(request: StartDebateRequest): Promise<DebateEntity> {
    const [dispute, protocol] = await Promise.all([
      this.disputeRepository.byId(request.disputeId),
      this.protocolRepository.byId(request.protocolId),
    ]);
    if (!dispute) throw new NotFound(`dispute ${request.disputeId} does not exist`);
    if (!protocol) throw new NotFound(`protocol ${request.protocolId} does not exist`);
    const spec = specOf(protocol);
    const item = dispute.item;
    const judges = await this.chooseJudges(spec, request.judgeIds, item.id);
    const model = await this.modelAnswers(dispute, item);
    if (request.answers?.some((a) => !Number.isInteger(a) || a < 0 || a >= item.answers.length)) {
      throw new Invalid(`answers must be answer indices from 0 to ${item.answers.length - 1}`);
    }
    // Answers that cannot be seated are Invalid.
    const seats = assignSeats(spec, {
      answers: item.answers.length,
      simpleLabel: item.simpleLabel ?? 0,
      modelAnswer: model.answer,
      topTwo: model.topTwo,
      explicit: request.answers,
      // The item and the protocol's rules, not row ids or names: the same world under the same
      // rules is seated the same way in every run, which keeps experiments reproducible.
      key: `${item.externalId}:${createHash('sha256').update(JSON.stringify(protocol.spec)).digest('hex')}`,
    });
    const people = await this.seatPeople(seats, request.debaterIds);
    const debate = await this.unitOfWork.run(async (tx) => {
      const created = await this.debateRepository.createDebate(tx, {
        dispute,
        protocol,
        seats: people,
        judges,
        campaignId: request.campaignId,
      });
      await request.claim?.(tx, created.id);
      await this.queue.send('debate.advance', { debateId: created.id }, { singletonKey: advanceKey(created.id, 0, 0) }, tx);
      return created;
    });
    this.logger.debug(`debate ${debate.id} started on dispute ${dispute.id} under ${protocol.name} v${protocol.version}`);
    return debate;
  }

  /** The seats with the people who speak for the manual ones, when `debaterIds` names them. */
  private async seatPeople(seats: DebaterSeat[], debaterIds: string[] | undefined): Promise<DebaterSeat[]> {
    if (!debaterIds?.length) return seats;
    const manual = seats.filter((s) => s.backend === 'manual');
    if (debaterIds.length !== manual.length || new Set(debaterIds).size !== debaterIds.length) {
      throw new Invalid(`debaterIds must name ${manual.length} distinct debaters, one per manual seat of the protocol`);
    }
    const known = new Set((await this.identityRepository.usersWithRole('debater')).map((u) => u.id));
    const unknown = debaterIds.find((id) => !known.has(id));
    if (unknown) throw new Invalid(`debaterIds: ${unknown} is not a debater`);
    let next = 0;
    return seats.map((s) => (s.backend === 'manual' ? { ...s, userId: debaterIds[next++]! } : s));
  }

  /** The judges of a new debate on the item: never one who may already see an outcome on it (the truth, their reward). */
  private async chooseJudges(
    spec: ProtocolSpec,
    judgeIds: string[] | undefined,
    itemId: string,
  ): Promise<{ kind: 'human' | 'simulated' | 'llm'; judgeId: string | null }[]> {
    if (spec.judges.kind !== 'human') {
      if (judgeIds?.length) throw new Invalid(`judgeIds cannot be given for a protocol with ${spec.judges.kind} judges`);
      return Array.from({ length: spec.judges.count }, () => ({ kind: spec.judges.kind, judgeId: null }));
    }
    const [users, informed] = await Promise.all([this.identityRepository.usersWithRole('judge'), this.outcomes.informedJudges(itemId)]);
    const pool = users.filter((u) => !informed.has(u.id));
    let chosen: string[];
    if (judgeIds?.length) {
      const seen = judgeIds.find((id) => informed.has(id));
      if (seen) throw new Conflict(`judgeIds: ${seen} has seen the outcome of a debate on this item`);
      const known = new Set(pool.map((u) => u.id));
      const unknown = judgeIds.find((id) => !known.has(id));
      if (unknown) throw new Invalid(`judgeIds: ${unknown} is not a judge`);
      if (new Set(judgeIds).size !== spec.judges.count) {
        throw new Invalid(`judgeIds must name ${spec.judges.count} distinct judges, as the protocol asks`);
      }
      chosen = judgeIds;
    } else {
      if (pool.length < spec.judges.count) {
        throw new Conflict(
          `the protocol needs ${spec.judges.count} human judges; ${pool.length} judge users exist${informed.size ? ' who have not seen an outcome on this item' : ''}`,
        );
      }
      const open = await this.debateRepository.openAssignmentCounts(pool.map((u) => u.id));
      chosen = [...pool]
        .sort((a, b) => (open.get(a.id) ?? 0) - (open.get(b.id) ?? 0))
        .slice(0, spec.judges.count)
        .map((u) => u.id);
    }
    return chosen.map((judgeId) => ({ kind: 'human' as const, judgeId }));
  }

  /** Ends a debate as failed, with the reason, unless it already ended. */
  async fail(debateId: string, reason: string): Promise<void> {
    const record = await this.debateRepository.record(debateId);
    const campaignId = record?.debate.campaignId;
    const changed = await this.unitOfWork.run(async (tx) => {
      if (!(await this.debateRepository.setStatus(tx, debateId, 'failed', reason))) return false;
      if (campaignId) await this.queue.send('campaign.fill', { campaignId }, { singletonKey: `${campaignId}:${debateId}:failed` }, tx);
      return true;
    });
    if (!changed) return;
    this.logger.warn(`debate ${debateId} failed: ${reason}`);
    this.events.emit(debateId, 'debate.status', { debateId, status: 'failed', awaiting: null, reason });
  }

  async requireRecord(debateId: string): Promise<DebateRecord> {
    const record = await this.debateRepository.record(debateId);
    if (!record) throw new NotFound(`debate ${debateId} does not exist`);
    return record;
  }

  /** The judge's assignment in a debate, or a refusal. */
  assignmentOf(record: DebateRecord, principal: Principal): JudgeAssignmentEntity {
    const assignment = record.assignments.find((a) => a.judgeId === principal.id);
    if (!assignment) throw new Forbidden(`you are not a judge of debate ${record.debate.id}`);
    return assignment;
  }

  /** The debate as `principal` may see it: a judge sees their own view; researchers and admins observe. */
  async view(principal: Principal, debateId: string): Promise<JudgeDebateView> {
    const record = await this.requireRecord(debateId);
    const { spec, action } = progressOf(record);
    let mine: JudgeAssignmentEntity | undefined;
    if (principal.role === 'judge') mine = this.assignmentOf(record, principal);
    else if (principal.role !== 'researcher' && principal.role !== 'admin')
      throw new Forbidden('only judges, researchers and admins follow debates');
    const myVerdicts = mine ? record.verdicts.filter((v) => v.assignmentId === mine.id) : [];
    const ended = record.debate.status === 'completed' || record.debate.status === 'failed';
    const awaiting =
      mine && !ended && action.kind === 'await-judges' && !myVerdicts.some((v) => v.stage === action.stage)
        ? awaitingView(spec, action.step)
        : null;
    return judgeDebateView({
      debate: record.debate,
      spec,
      item: record.item,
      turns: record.turns,
      citations: record.citations,
      drafts: record.drafts,
      awaiting,
      myVerdicts,
    });
  }

  /** The seat `principal` speaks for in a debate, or a refusal. */
  seatOf(record: DebateRecord, principal: Principal): DebaterSeat {
    const seat = record.debate.seats.find((s) => s.userId !== undefined && s.userId === principal.id);
    if (!seat) throw new Forbidden(`you do not speak in debate ${record.debate.id}`);
    return seat;
  }

  /** The debate as the person speaking for one of its seats may see it. */
  async debaterView(principal: Principal, debateId: string): Promise<DebaterDebateView> {
    const record = await this.requireRecord(debateId);
    const seat = this.seatOf(record, principal);
    const { spec, action } = progressOf(record);
    return debaterDebateView({
      debate: record.debate,
      spec,
      item: record.item,
      seat: seat.seat,
      action,
      turns: record.turns,
      citations: record.citations,
      verdicts: record.verdicts,
      dueAt: speechDueAt(record, spec, action, seat.seat),
    });
  }

  /** A debate's evidence with every verified quotation placed in it (researchers and admins). */
  async sources(debateId: string): Promise<DebateSourcesView> {
    const record = await this.requireRecord(debateId);
    return debateSourcesView({ evidence: record.item.evidence, turns: record.turns, citations: record.citations });
  }

  async assignments(principal: Principal): Promise<AssignmentView[]> {
    if (principal.role === 'debater') return this.seatAssignments(principal);
    const assignments = await this.debateRepository.assignmentsOf(principal.id);
    return Promise.all(
      assignments.map(async (a) => {
        const view = await this.view(principal, a.debateId);
        return {
          debateId: a.debateId,
          status: view.status,
          question: view.question,
          awaiting: view.awaiting?.stage ?? null,
          createdAt: a.createdAt.toISOString(),
        };
      }),
    );
  }

  /** A debater's debates: `awaiting` is `speech` while a speech is asked of them. */
  private async seatAssignments(principal: Principal): Promise<AssignmentView[]> {
    const debates = await this.debateRepository.debatesOfDebater(principal.id);
    return Promise.all(
      debates.map(async (debate) => {
        const view = await this.debaterView(principal, debate.id);
        return {
          debateId: debate.id,
          status: view.status,
          question: view.question,
          awaiting: view.speaking ? 'speech' : null,
          createdAt: debate.createdAt.toISOString(),
        };
      }),
    );
  }

  list(filter: { status?: DebateEntity['status']; limit: number; campaignId?: string }): Promise<DebateEntity[]> {
    return this.debateRepository.listDebates(filter);
  }
}

/**
 * When a seat's due speech fails the debate if not given: the protocol's deadline for the seat after
 * the last thing the seat could see (the previous speech, the judges' last answer, the start).
 */
export function speechDueAt(record: DebateRecord, spec: ProtocolSpec, action: NextAction, seat: string): Date | null {
  const index = record.debate.seats.findIndex((s) => s.seat === seat);
  const seconds = spec.debaters[index]?.deadlineSeconds;
  const due = action.kind === 'speak' ? action.speeches.find((s) => s.seat === seat) : undefined;
  if (!seconds || !due) return null;
  const since = Math.max(
    record.debate.createdAt.getTime(),
    ...record.turns.filter((t) => t.index < due.visibleBefore).map((t) => t.createdAt.getTime()),
    ...record.verdicts.map((v) => v.createdAt.getTime()),
  );
  return new Date(since + seconds * 1000);
}
