import { ConflictException, Injectable, UnprocessableEntityException } from '@nestjs/common';
import type { EvidenceUnit } from '../../contracts/src/index.js';
import { probabilityProblem, simulatedJudge } from '../../judging/src/index.js';
import { DebateRepository, type DebateRecord, type JudgeAssignmentEntity } from '../../persistence/src/index.js';
import { JobQueue } from '../../queue/src/index.js';
import type { Principal } from './auth.service.js';
import { DebatesService, progressOf } from './debates.service.js';

export interface VerdictSubmission {
  stage: string;
  probabilities: number[];
  note?: string;
}

@Injectable()
export class JudgingService {
  constructor(
    private readonly debates: DebateRepository,
    private readonly debateService: DebatesService,
    private readonly queue: JobQueue,
  ) {}

  /** A human judge's probabilities at a stage. Submitting the same stage again changes nothing. */
  async submit(principal: Principal, debateId: string, submission: VerdictSubmission): Promise<{ stage: string; duplicate: boolean }> {
    const record = await this.debateService.requireRecord(debateId);
    const assignment = this.debateService.assignmentOf(record, principal);
    return this.record(record, assignment, submission);
  }

  /** The built-in judge's probabilities, run by the `judge.simulate` job. */
  async simulate(assignmentId: string, stage: string): Promise<void> {
    const debateId = await this.debates.debateOfAssignment(assignmentId);
    if (!debateId) return;
    const record = await this.debateService.requireRecord(debateId);
    const assignment = record.assignments.find((a) => a.id === assignmentId)!;
    const evidence = new Map(record.item.evidence.map((unit) => [unit.id, unit]));
    const revealed = record.citations
      .filter((c) => c.verified)
      .map((c) => evidence.get(c.evidenceId))
      .filter((u): u is EvidenceUnit => !!u);
    const probabilities = simulatedJudge({
      context: record.item.context,
      question: record.item.question,
      answers: record.item.answers,
      revealed,
    });
    await this.record(record, assignment, { stage, probabilities }).catch((error: unknown) => {
      // The debate moved past this stage (a retried job): nothing left to do.
      if (!(error instanceof ConflictException)) throw error;
    });
  }

  private async record(
    record: DebateRecord,
    assignment: JudgeAssignmentEntity,
    submission: VerdictSubmission,
  ): Promise<{ stage: string; duplicate: boolean }> {
    const previous = record.verdicts.find((v) => v.assignmentId === assignment.id && v.stage === submission.stage);
    if (previous) return { stage: submission.stage, duplicate: true };
    const { action } = progressOf(record);
    if (action.kind !== 'await-judges' || action.stage !== submission.stage) {
      const now = action.kind === 'await-judges' ? `it waits for stage ${action.stage}` : 'it is not waiting for judges';
      throw new ConflictException(`debate ${record.debate.id} is not waiting for verdicts at stage ${submission.stage}; ${now}`);
    }
    const problem = probabilityProblem(submission.probabilities, record.item.answers.length);
    if (problem) throw new UnprocessableEntityException(problem);
    const result = await this.debates.recordVerdict(
      {
        assignmentId: assignment.id,
        debateId: record.debate.id,
        stage: submission.stage,
        probabilities: submission.probabilities,
        note: submission.note ?? null,
      },
      (manager) =>
        this.queue.send(
          'debate.advance',
          { debateId: record.debate.id },
          { singletonKey: `${record.debate.id}:verdict:${assignment.id}:${submission.stage}` },
          manager,
        ),
    );
    return { stage: submission.stage, duplicate: result.duplicate };
  }
}
