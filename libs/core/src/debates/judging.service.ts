import { Injectable, Logger } from '@nestjs/common';
import { Conflict, Invalid, isJsonObject, type EvidenceUnit } from '#tribunal/contracts';
import { awaitingView, judgeContext, judgeText } from '#tribunal/debate';
import { describeJudgeOutput, probabilityProblem, simulatedJudge } from '#tribunal/judging';
import {
  DatasetRepository,
  DebateRepository,
  UnitOfWork,
  type DebateRecord,
  type JudgeAssignmentEntity,
  type VerdictEntity,
} from '#tribunal/persistence';
import { JobQueue } from '#tribunal/queue';
import type { WorldParams } from '#tribunal/world';
import type { Principal } from '../identity/auth.service.js';
import { progressOf, speechStage, type NextStep } from './debate-progress.js';
import { DebatesService } from './debates.service.js';
import { LlmEndpoints } from '../llm-endpoints/llm-endpoints.js';

export interface VerdictSubmission {
  stage: string;
  probabilities: number[];
  note?: string;
  /** Ask to end the debate here (where the protocol lets judges end it). */
  endDebate?: boolean;
}

/** The public part of an item as text, for a judge model. */
function contextText(context: Record<string, unknown>): string {
  return context.kind === 'world-room' ? `the camera view of the room: ${JSON.stringify(context.camera)}` : JSON.stringify(context);
}

@Injectable()
export class JudgingService {
  private readonly logger = new Logger('Debates');
  /** Each dataset's world parameters, read once: a dataset's params never change after it is made. */
  private readonly worldParams = new Map<string, Partial<WorldParams> | undefined>();

  constructor(
    private readonly debateRepository: DebateRepository,
    private readonly debates: DebatesService,
    private readonly unitOfWork: UnitOfWork,
    private readonly queue: JobQueue,
    private readonly llmEndpoints: LlmEndpoints,
    private readonly datasetRepository: DatasetRepository,
  ) {}

  /** A human judge's probabilities at a stage. Submitting the same stage again changes nothing. */
  async submit(principal: Principal, debateId: string, submission: VerdictSubmission): Promise<{ stage: string; duplicate: boolean }> {
    const record = await this.debates.requireRecord(debateId);
    const assignment = this.debates.assignmentOf(record, principal);
    const { duplicate } = await this.record(record, assignment, submission, 'queue');
    return { stage: submission.stage, duplicate };
  }

  debateOf(assignmentId: string): Promise<string | null> {
    return this.debateRepository.debateOfAssignment(assignmentId);
  }

  /** A simulated or model judge's probabilities at a stage, given once; null when they were given already, or the debate moved on. */
  async auto(record: DebateRecord, assignment: JudgeAssignmentEntity, stage: string, next: NextStep): Promise<VerdictEntity | null> {
    if (record.verdicts.some((v) => v.assignmentId === assignment.id && v.stage === stage)) return null;
    const { spec } = progressOf(record);
    const evidence = new Map(record.item.evidence.map((unit) => [unit.id, unit]));
    let verdict: { probabilities: number[]; note: string | null };
    if (assignment.kind === 'llm') {
      const seats = new Map(record.debate.seats.map((s) => [s.seat, s.answer]));
      const answered = await this.llmEndpoints.judge(spec, spec.judges.endpoint!, spec.judges.model!).judge({
        question: record.item.question,
        answers: record.item.answers,
        context: contextText(judgeContext(spec, record.item.context)),
        turns: record.turns.map((t) => ({
          seat: t.seat,
          answer: seats.get(t.seat)!,
          text: judgeText(
            t.text,
            record.citations
              .filter((c) => c.turnId === t.id)
              .map((c) => ({ ...c, at: c.atStart === null ? null : ([c.atStart, c.atEnd!] as [number, number]) })),
          ),
        })),
      });
      // The debate's log says how the model was asked: a refusal is news to whoever runs the endpoint.
      const judge = `judge model "${spec.judges.model}" (endpoint "${spec.judges.endpoint}", slot ${assignment.slot}, stage ${stage})`;
      const how = `debate ${record.debate.id}: ${judge} ${describeJudgeOutput(answered.output)}`;
      if (answered.output.via === 'text' && answered.output.because === 'refused') this.logger.warn(how);
      else this.logger.log(how);
      verdict = answered;
    } else {
      const revealed = record.citations
        .filter((c) => c.verified && c.kind === 'evidence' && c.evidenceId)
        .map((c) => evidence.get(c.evidenceId!))
        .filter((u): u is EvidenceUnit => !!u);
      verdict = {
        probabilities: simulatedJudge({
          context: judgeContext(spec, record.item.context),
          question: record.item.question,
          answers: record.item.answers,
          revealed,
          world: record.item.context.kind === 'world-room' ? await this.worldOf(record.item.datasetId) : undefined,
        }),
        note: null,
      };
    }
    const submission = { stage, probabilities: verdict.probabilities, note: verdict.note ?? undefined };
    try {
      const recorded = await this.record(record, assignment, submission, next);
      return recorded.duplicate ? null : recorded.verdict;
    } catch (error) {
      // The debate moved past this stage (a second run of it): nothing left to do.
      if (error instanceof Conflict) return null;
      throw error;
    }
  }

  /**
   * The parameters a world dataset was generated with (`POST /datasets/world` stores them as
   * `params.world`), which the simulated judge reasons with; none for other datasets (an upload of
   * world rooms is judged under the default world).
   */
  private async worldOf(datasetId: string): Promise<Partial<WorldParams> | undefined> {
    if (this.worldParams.has(datasetId)) return this.worldParams.get(datasetId);
    const world = (await this.datasetRepository.byId(datasetId))?.params.world;
    const params = isJsonObject(world) ? (world as Partial<WorldParams>) : undefined;
    this.worldParams.set(datasetId, params);
    return params;
  }

  /**
   * The `debate.deadline` job: a human judge who still has not answered, or a person who still has not
   * given a speech (stage `speech-<index>`), ends the debate as failed.
   */
  async deadline(debateId: string, stage: string): Promise<void> {
    const record = await this.debates.requireRecord(debateId);
    const { spec, action } = progressOf(record);
    if (stage.startsWith('speech-')) {
      const ended = record.debate.status === 'failed' || record.debate.status === 'completed';
      const late = action.kind === 'speak' && !ended ? action.speeches.find((s) => speechStage(s.index) === stage) : undefined;
      if (!late) return;
      const seconds = spec.debaters[record.debate.seats.findIndex((s) => s.seat === late.seat)]?.deadlineSeconds;
      return this.debates.fail(debateId, `debater ${late.seat} did not give speech ${late.index} within ${seconds} s`);
    }
    if (
      action.kind !== 'await-judges' ||
      action.stage !== stage ||
      record.debate.status === 'failed' ||
      record.debate.status === 'completed'
    )
      return;
    const given = new Set(record.verdicts.filter((v) => v.stage === stage).map((v) => v.assignmentId));
    const late = record.assignments.filter((a) => !given.has(a.id)).length;
    await this.debates.fail(debateId, `${late} judge(s) did not answer at stage ${stage} within ${spec.judges.deadlineSeconds} s`);
  }

  private async record(
    record: DebateRecord,
    assignment: JudgeAssignmentEntity,
    submission: VerdictSubmission,
    next: NextStep,
  ): Promise<{ verdict: VerdictEntity; duplicate: boolean }> {
    const previous = record.verdicts.find((v) => v.assignmentId === assignment.id && v.stage === submission.stage);
    if (previous) return { verdict: previous, duplicate: true };
    const { spec, action } = progressOf(record);
    const ended = record.debate.status === 'completed' || record.debate.status === 'failed';
    if (ended || action.kind !== 'await-judges' || action.stage !== submission.stage) {
      const now = ended
        ? `it has ${record.debate.status === 'failed' ? 'failed' : 'ended'}`
        : action.kind === 'await-judges'
          ? `it waits for stage ${action.stage}`
          : 'it is not waiting for judges';
      throw new Conflict(`debate ${record.debate.id} is not waiting for verdicts at stage ${submission.stage}; ${now}`);
    }
    const problem = probabilityProblem(submission.probabilities, record.item.answers.length);
    if (problem) throw new Invalid(problem);
    const asked = awaitingView(spec, action.step);
    if (submission.endDebate && !asked.mayEnd)
      throw new Invalid(`endDebate: this protocol does not let judges end the debate at stage ${submission.stage}`);
    if (submission.note && asked.noteLimit !== null && submission.note.length > asked.noteLimit) {
      throw new Invalid(`note is ${submission.note.length} characters; the protocol allows ${asked.noteLimit}`);
    }
    const verdict = {
      assignmentId: assignment.id,
      debateId: record.debate.id,
      stage: submission.stage,
      probabilities: submission.probabilities,
      note: submission.note ?? null,
      endsDebate: submission.endDebate ?? false,
    };
    // Within a debate's run the verdict is one statement; a person's queues the step that notices it.
    const result =
      next === 'inline'
        ? await this.debateRepository.recordVerdict(undefined, verdict)
        : await this.unitOfWork.run(async (tx) => {
            const recorded = await this.debateRepository.recordVerdict(tx, verdict);
            const key = `${record.debate.id}:verdict:${assignment.id}:${submission.stage}`;
            if (!recorded.duplicate) await this.queue.send('debate.advance', { debateId: record.debate.id }, { singletonKey: key }, tx);
            return recorded;
          });
    return result;
  }
}
