import { ConflictException, ForbiddenException, Injectable, Logger, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import type { AssignmentView, JudgeDebateView, ProtocolSpec } from '../../contracts/src/index.js';
import {
  assignSeats,
  builtinSpeech,
  judgeDebateView,
  nextAction,
  parseCitations,
  turnView,
  verifyCitations,
  type NextAction,
} from '../../debate/src/index.js';
import {
  DebateRepository,
  IdentityRepository,
  type DebateEntity,
  type DebateRecord,
  type JudgeAssignmentEntity,
} from '../../persistence/src/index.js';
import { JobQueue } from '../../queue/src/index.js';
import type { Principal } from './auth.service.js';
import { DebateEvents } from './debate-events.js';
import { alternativeAnswer } from './disputes.service.js';
import { parseProtocolSpec } from './protocols.service.js';

export interface StartDebateRequest {
  disputeId: string;
  protocolId: string;
  /** Human judges to assign; by default the judges with the fewest unfinished debates. */
  judgeIds?: string[];
}

/** Where a debate stands, derived from what is persisted: never stored, so never stale. */
export function progressOf(record: DebateRecord): { spec: ProtocolSpec; action: NextAction } {
  const spec = parseProtocolSpec(record.protocol.spec);
  const verdictsByStage = new Map<string, number>();
  for (const v of record.verdicts) verdictsByStage.set(v.stage, (verdictsByStage.get(v.stage) ?? 0) + 1);
  const action = nextAction(spec, record.debate.seats, { turns: record.turns.length, verdictsByStage, judges: record.assignments.length });
  return { spec, action };
}

/** The job key of a debate's next step: one per persisted state, so a state is never worked twice at once. */
export function advanceKey(debateId: string, turns: number, verdicts: number): string {
  return `${debateId}:${turns}:${verdicts}`;
}

@Injectable()
export class DebatesService {
  private readonly logger = new Logger(DebatesService.name);

  constructor(
    private readonly debates: DebateRepository,
    private readonly identities: IdentityRepository,
    private readonly queue: JobQueue,
    private readonly events: DebateEvents,
  ) {}

  async start(request: StartDebateRequest): Promise<DebateEntity> {
    const dispute = await this.debates.dispute(request.disputeId);
    if (!dispute) throw new NotFoundException(`dispute ${request.disputeId} does not exist`);
    const protocol = await this.debates.protocol(request.protocolId);
    if (!protocol) throw new NotFoundException(`protocol ${request.protocolId} does not exist`);
    const spec = parseProtocolSpec(protocol.spec);
    const judges = await this.chooseJudges(spec, request.judgeIds);
    const seats = assignSeats(spec, {
      answers: dispute.item.answers.length,
      simpleLabel: dispute.item.simpleLabel,
      alternative: alternativeAnswer(dispute.item, dispute.reasons),
      key: `${dispute.id}:${protocol.id}`,
    });
    const debate = await this.debates.createDebate({ dispute, protocol, seats, judges }, (created, manager) =>
      this.queue.send('debate.advance', { debateId: created.id }, { singletonKey: advanceKey(created.id, 0, 0) }, manager),
    );
    this.logger.log(`debate ${debate.id} started on dispute ${dispute.id} under ${protocol.name} v${protocol.version}`);
    return debate;
  }

  private async chooseJudges(
    spec: ProtocolSpec,
    judgeIds: string[] | undefined,
  ): Promise<{ kind: 'human' | 'simulated'; judgeId: string | null }[]> {
    if (spec.judges.kind === 'simulated') {
      if (judgeIds?.length) throw new UnprocessableEntityException('judgeIds cannot be given for a protocol with simulated judges');
      return Array.from({ length: spec.judges.count }, () => ({ kind: 'simulated' as const, judgeId: null }));
    }
    const pool = await this.identities.usersWithRole('judge');
    let chosen: string[];
    if (judgeIds?.length) {
      const known = new Set(pool.map((u) => u.id));
      const unknown = judgeIds.find((id) => !known.has(id));
      if (unknown) throw new UnprocessableEntityException(`judgeIds: ${unknown} is not a judge`);
      if (new Set(judgeIds).size !== spec.judges.count) {
        throw new UnprocessableEntityException(`judgeIds must name ${spec.judges.count} distinct judges, as the protocol asks`);
      }
      chosen = judgeIds;
    } else {
      if (pool.length < spec.judges.count) {
        throw new ConflictException(`the protocol needs ${spec.judges.count} human judges; ${pool.length} judge users exist`);
      }
      const open = await this.debates.openAssignmentCounts(pool.map((u) => u.id));
      chosen = [...pool]
        .sort((a, b) => (open.get(a.id) ?? 0) - (open.get(b.id) ?? 0))
        .slice(0, spec.judges.count)
        .map((u) => u.id);
    }
    return chosen.map((judgeId) => ({ kind: 'human' as const, judgeId }));
  }

  /** One step of a debate, run by the `debate.advance` job. Safe to run twice. */
  async advance(debateId: string): Promise<void> {
    const record = await this.debates.record(debateId);
    if (!record || record.debate.status === 'completed' || record.debate.status === 'failed') return;
    const { spec, action } = progressOf(record);
    switch (action.kind) {
      case 'speak': {
        const seat = record.debate.seats.find((s) => s.seat === action.seat)!;
        if (seat.backend === 'manual') return; // waits for the speech to be submitted over HTTP
        const text = builtinSpeech({
          item: record.item,
          answer: seat.answer,
          round: action.round + 1,
          maxChars: spec.speech.maxChars,
          maxCitations: spec.speech.maxCitations,
          alreadyCited: record.citations.map((c) => c.evidenceId),
        });
        await this.appendSpeech(record, spec, action, text);
        return;
      }
      case 'await-judges': {
        const status = action.stage === 'final' ? 'judging' : 'awaiting_judges';
        const given = new Set(record.verdicts.filter((v) => v.stage === action.stage).map((v) => v.assignmentId));
        const simulated = record.assignments.filter((a) => a.kind === 'simulated' && !given.has(a.id));
        await this.debates.setStatus(debateId, status, async (manager) => {
          for (const a of simulated) {
            await this.queue.send(
              'judge.simulate',
              { assignmentId: a.id, stage: action.stage },
              { singletonKey: `${a.id}:${action.stage}` },
              manager,
            );
          }
        });
        this.events.emit(debateId, 'debate.status', { debateId, status, awaiting: action.stage });
        return;
      }
      case 'adjudicate':
        await this.queue.send('debate.adjudicate', { debateId }, { singletonKey: debateId });
        return;
    }
  }

  /** Persists a speech with its verified citations, queues the next step, and broadcasts the turn. */
  private async appendSpeech(
    record: DebateRecord,
    spec: ProtocolSpec,
    action: Extract<NextAction, { kind: 'speak' }>,
    text: string,
  ): Promise<void> {
    const cited = parseCitations(text).slice(0, spec.speech.maxCitations);
    const citations = verifyCitations(cited, record.item.evidence);
    const result = await this.debates.appendTurn(
      { debateId: record.debate.id, index: action.index, round: action.round, seat: action.seat, text },
      citations,
      (manager) =>
        this.queue.send(
          'debate.advance',
          { debateId: record.debate.id },
          { singletonKey: advanceKey(record.debate.id, action.index + 1, record.verdicts.length) },
          manager,
        ),
    );
    if (!result) return;
    this.events.emit(record.debate.id, 'turn.created', { debateId: record.debate.id, turn: turnView(result.turn, result.citations) });
  }

  /** A speech for a seat whose debater is `manual`, submitted by a researcher. */
  async submitSpeech(debateId: string, seatName: string, text: string): Promise<{ index: number }> {
    const record = await this.requireRecord(debateId);
    const { spec, action } = progressOf(record);
    if (action.kind !== 'speak' || action.seat !== seatName) {
      throw new ConflictException(`debate ${debateId} is not waiting for a speech from seat ${seatName}`);
    }
    const seat = record.debate.seats.find((s) => s.seat === seatName)!;
    if (seat.backend !== 'manual') throw new ConflictException(`seat ${seatName} is spoken by the ${seat.backend} debater`);
    if (text.length > spec.speech.maxChars) {
      throw new UnprocessableEntityException(`text is ${text.length} characters; the protocol allows ${spec.speech.maxChars}`);
    }
    const cited = parseCitations(text);
    if (cited.length > spec.speech.maxCitations) {
      throw new UnprocessableEntityException(
        `text cites ${cited.length} pieces of evidence; the protocol allows ${spec.speech.maxCitations}`,
      );
    }
    const missing = verifyCitations(cited, record.item.evidence)
      .filter((c) => !c.verified)
      .map((c) => c.evidenceId);
    if (missing.length > 0) {
      throw new UnprocessableEntityException(`citation ${missing.map((m) => `[[${m}]]`).join(', ')} does not exist in the item's evidence`);
    }
    await this.appendSpeech(record, spec, action, text);
    return { index: action.index };
  }

  async requireRecord(debateId: string): Promise<DebateRecord> {
    const record = await this.debates.record(debateId);
    if (!record) throw new NotFoundException(`debate ${debateId} does not exist`);
    return record;
  }

  /** The judge's assignment in a debate, or a refusal. */
  assignmentOf(record: DebateRecord, principal: Principal): JudgeAssignmentEntity {
    const assignment = record.assignments.find((a) => a.judgeId === principal.id);
    if (!assignment) throw new ForbiddenException(`you are not a judge of debate ${record.debate.id}`);
    return assignment;
  }

  /** The debate as `principal` may see it: a judge sees their own view; researchers and admins observe. */
  async view(principal: Principal, debateId: string): Promise<JudgeDebateView> {
    const record = await this.requireRecord(debateId);
    const { spec, action } = progressOf(record);
    let mine: JudgeAssignmentEntity | undefined;
    if (principal.role === 'judge') mine = this.assignmentOf(record, principal);
    else if (principal.role !== 'researcher' && principal.role !== 'admin')
      throw new ForbiddenException('only judges, researchers and admins follow debates');
    const myVerdicts = mine ? record.verdicts.filter((v) => v.assignmentId === mine.id) : [];
    const awaiting = mine && action.kind === 'await-judges' && !myVerdicts.some((v) => v.stage === action.stage) ? action.stage : null;
    return judgeDebateView({
      debate: record.debate,
      spec,
      item: record.item,
      turns: record.turns,
      citations: record.citations,
      awaiting,
      myVerdicts,
    });
  }

  async assignments(principal: Principal): Promise<AssignmentView[]> {
    const assignments = await this.debates.assignmentsOf(principal.id);
    return Promise.all(
      assignments.map(async (a) => {
        const view = await this.view(principal, a.debateId);
        return {
          debateId: a.debateId,
          status: view.status,
          question: view.question,
          awaiting: view.awaiting,
          createdAt: a.createdAt.toISOString(),
        };
      }),
    );
  }

  list(filter: { status?: DebateEntity['status']; limit: number }): Promise<DebateEntity[]> {
    return this.debates.listDebates(filter);
  }
}
