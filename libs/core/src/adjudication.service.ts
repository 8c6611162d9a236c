import { Injectable, Logger } from '@nestjs/common';
import { LABEL_SCHEMA_VERSION } from '../../contracts/src/index.js';
import { clearCut, meanPool } from '../../judging/src/index.js';
import { LabelRepository, type LabelEntity } from '../../persistence/src/index.js';
import { JobQueue } from '../../queue/src/index.js';
import { DebateEvents } from './debate-events.js';
import { WebhooksService } from './webhooks.service.js';
import { progressOf } from './debate-progress.js';
import { DebatesService } from './debates.service.js';

/** Turns a finished debate's final verdicts into a complex-process label, when the outcome is clear-cut. */
@Injectable()
export class AdjudicationService {
  private readonly logger = new Logger(AdjudicationService.name);

  constructor(
    private readonly debates: DebatesService,
    private readonly labels: LabelRepository,
    private readonly events: DebateEvents,
    private readonly queue: JobQueue,
    private readonly webhooks: WebhooksService,
  ) {}

  async adjudicate(debateId: string): Promise<LabelEntity | null> {
    const record = await this.debates.requireRecord(debateId);
    const { spec, action } = progressOf(record);
    if (action.kind !== 'adjudicate') return null;
    // The judges' last answers: at the end of the structure, or where they all asked to end.
    const finals = record.verdicts.filter((v) => v.stage === action.stage);
    const distribution = meanPool(finals.map((v) => v.probabilities));
    const outcome = clearCut(distribution, spec.adjudication.threshold);
    const { label, concluded } = await this.labels.concludeDebate(
      debateId,
      outcome.clearCut
        ? {
            itemId: record.item.id,
            datasetId: record.item.datasetId,
            answer: outcome.answer,
            distribution,
            method: spec.adjudication.method,
            // An item without a simple label cannot agree with it: its labels are in the large set only.
            agreesWithSimple: record.item.simpleLabel !== null && outcome.answer === record.item.simpleLabel,
            provenance: {
              disputeId: record.debate.disputeId,
              debates: [
                {
                  id: debateId,
                  protocolId: record.protocol.id,
                  protocolName: record.protocol.name,
                  protocolVersion: record.protocol.version,
                },
              ],
              verdicts: finals.map((v) => v.id),
            },
            schemaVersion: LABEL_SCHEMA_VERSION,
          }
        : null,
      async (manager, saved) => {
        if (saved) await this.webhooks.queueFor(manager, saved);
        const campaignId = record.debate.campaignId;
        if (campaignId) await this.queue.send('campaign.fill', { campaignId }, { singletonKey: `${campaignId}:${debateId}:done` }, manager);
      },
    );
    if (concluded) {
      this.events.emit(debateId, 'debate.status', { debateId, status: 'completed', awaiting: null });
      this.logger.log(
        label
          ? `debate ${debateId}: label ${label.seq} = "${record.item.answers[label.answer]}" (p=${outcome.probability.toFixed(2)})`
          : `debate ${debateId}: not clear-cut (p=${outcome.probability.toFixed(2)} < ${spec.adjudication.threshold}); left unlabelled`,
      );
    }
    return label;
  }
}
