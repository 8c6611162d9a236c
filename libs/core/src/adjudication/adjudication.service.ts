import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { LABEL_SCHEMA_VERSION, type ProtocolSpec } from '#tribunal/contracts';
import { clearCut, judgeSkill, logPool, meanPool, weightedMeanPool } from '#tribunal/judging';
import {
  DebateRepository,
  LabelRepository,
  UnitOfWork,
  type DebateRecord,
  type FinalAnswer,
  type LabelEntity,
} from '#tribunal/persistence';
import { JobQueue } from '#tribunal/queue';
import { LiveEvents } from '../live-events/live-events.js';
import { progressOf } from '../debates/debate-progress.js';
import { DebatesService } from '../debates/debates.service.js';
import { OutcomesService } from '../outcomes/outcomes.service.js';

/**
 * Turns a dispute's debates into a complex-process label: every judge's final answer, from this
 * debate and the dispute's earlier ones, pooled by the protocol's method, kept only when clear-cut.
 * A dispute that falls short may be debated again, as the protocol says. What a new label sets off
 * elsewhere (webhooks, retraining) is one `label.created` job, queued with the label.
 */
@Injectable()
export class AdjudicationService {
  private readonly logger = new Logger(AdjudicationService.name);

  constructor(
    private readonly debates: DebatesService,
    private readonly debateRepository: DebateRepository,
    private readonly labelRepository: LabelRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly events: LiveEvents,
    private readonly queue: JobQueue,
    private readonly outcomes: OutcomesService,
  ) {}

  private async pool(spec: ProtocolSpec, answers: FinalAnswer[], disputeId: string, width: number): Promise<number[]> {
    const distributions = answers.map((a) => a.probabilities);
    switch (spec.adjudication.method) {
      case 'mean':
        return meanPool(distributions);
      case 'log-pool':
        return logPool(distributions);
      case 'skill-weighted': {
        const records = await this.debateRepository.judgeRecords(
          answers.flatMap((a) => (a.judgeId ? [a.judgeId] : [])),
          disputeId,
        );
        // Judges without a record (built-in and model judges among them) weigh as chance.
        return weightedMeanPool(
          distributions,
          answers.map((a) => judgeSkill(a.judgeId ? (records.get(a.judgeId) ?? []) : [], width)),
        );
      }
    }
  }

  /** `known`: the debate's record as the caller holds it, current, when it has just read or written it. */
  async adjudicate(debateId: string, known?: DebateRecord): Promise<LabelEntity | null> {
    const record = known ?? (await this.debates.requireRecord(debateId));
    const { spec, action } = progressOf(record);
    if (action.kind !== 'adjudicate') return null;
    const { protocol, debate, item } = record;
    // The judges' last answers here (at the end of the structure, or where they all asked to end), and in the dispute's earlier debates.
    const answers: FinalAnswer[] = [
      ...record.verdicts
        .filter((v) => v.stage === action.stage)
        .map((v) => ({
          debateId,
          protocolId: protocol.id,
          protocolName: protocol.name,
          protocolVersion: protocol.version,
          verdictId: v.id,
          judgeId: record.assignments.find((a) => a.id === v.assignmentId)?.judgeId ?? null,
          probabilities: v.probabilities,
        })),
      ...(await this.debateRepository.finalAnswersOf(debate.disputeId, debateId)),
    ];
    const distribution = await this.pool(spec, answers, debate.disputeId, item.answers.length);
    const rule = spec.adjudication;
    const outcome = clearCut(distribution, rule.threshold, {
      verdicts: answers.map((a) => a.probabilities),
      unanimous: rule.unanimous,
      minJudges: rule.minJudges,
    });
    const debated = await this.debateRepository.debatesOfDispute(debate.disputeId);
    const requeue = !outcome.clearCut && rule.requeue && debated < rule.requeue.maxDebates ? rule.requeue : undefined;
    const debatesUsed = [
      ...new Map(
        answers.map((a) => [
          a.debateId,
          { id: a.debateId, protocolId: a.protocolId, protocolName: a.protocolName, protocolVersion: a.protocolVersion },
        ]),
      ).values(),
    ];
    const newLabel = outcome.clearCut
      ? {
          itemId: item.id,
          datasetId: item.datasetId,
          answer: outcome.answer,
          distribution,
          method: rule.method,
          // An item without a simple label cannot agree with it: its labels are in the large set only.
          agreesWithSimple: item.simpleLabel !== null && outcome.answer === item.simpleLabel,
          provenance: { disputeId: debate.disputeId, debates: debatesUsed, verdicts: answers.map((a) => a.verdictId) },
          schemaVersion: LABEL_SCHEMA_VERSION,
        }
      : null;
    const requeued = requeue ? `not clear-cut after ${debated} debate(s) (${outcome.reason}); debated again` : undefined;
    const { label, concluded } = await this.unitOfWork.run(async (tx) => {
      if (!(await this.debateRepository.conclude(tx, debateId, { labelled: newLabel !== null, requeued }))) {
        return { label: null, concluded: false };
      }
      if (requeue) {
        await this.queue.send(
          'dispute.requeue',
          { disputeId: debate.disputeId, protocolId: requeue.protocolId ?? protocol.id, after: debateId },
          { singletonKey: `${debate.disputeId}:after:${debateId}` },
          tx,
        );
      }
      const campaignId = debate.campaignId;
      if (campaignId) await this.queue.send('campaign.fill', { campaignId }, { singletonKey: `${campaignId}:${debateId}:done` }, tx);
      if (!newLabel) return { label: null, concluded: true };
      const id = randomUUID();
      await this.queue.send('label.created', { labelId: id }, { singletonKey: id }, tx);
      // Last: the label's sequence number is held under a lock until this transaction commits.
      return { label: await this.labelRepository.append(tx, { ...newLabel, id }), concluded: true };
    });
    if (concluded) {
      this.events.emit(debateId, 'debate.status', { debateId, status: 'completed', awaiting: null });
      // Each debate's outcome is a detail (LOG_LEVEL=debug): at the default level the log follows campaigns, training and scoring.
      this.logger.debug(
        label
          ? `debate ${debateId}: label ${label.seq} = "${item.answers[label.answer]}" (p=${outcome.probability.toFixed(2)}, ${answers.length} judge answers)`
          : `debate ${debateId}: not clear-cut (${outcome.reason})${requeue ? '; the dispute is debated again' : '; left unlabelled'}`,
      );
      // Judges whose outcomes on this item are now shown hear of it; live, so a miss only waits for their next look.
      await this.outcomes.announce(item.id).catch((error: Error) => this.logger.warn(`outcomes of item ${item.id}: ${error.message}`));
    }
    return label;
  }

  /** The `dispute.requeue` job: another debate of the dispute, once, even if the job runs twice. */
  async requeue(disputeId: string, protocolId: string, after: string): Promise<void> {
    if (await this.debateRepository.hasDebateAfter(disputeId, after)) return;
    await this.debates.start({ disputeId, protocolId });
  }
}
