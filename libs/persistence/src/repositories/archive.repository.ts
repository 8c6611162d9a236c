import type { DataSource } from 'typeorm';
import type { ArchivedDebateRecord } from '#tribunal/archive';
import {
  CitationEntity,
  DebateEntity,
  DisputeEntity,
  ItemEntity,
  JudgeAssignmentEntity,
  TurnEntity,
  VerdictEntity,
} from '../entities/index.js';

/** A finished debate from an archive, with everything it said and every answer its judge gave (built by libs/archive). */
export type ArchivedDebate = ArchivedDebateRecord;

export class ArchiveRepository {
  constructor(private readonly dataSource: DataSource) {}

  async importedIds(datasetId: string): Promise<Set<string>> {
    const rows: { external_id: string }[] = await this.dataSource.query('SELECT external_id FROM items WHERE dataset_id = $1', [datasetId]);
    return new Set(rows.map((r) => r.external_id));
  }

  /** Writes an archived debate whole, or nothing of it: item, dispute, debate, turns, citations, judge and verdicts. */
  async write(archived: ArchivedDebate): Promise<string> {
    return this.dataSource.transaction(async (manager) => {
      const item = await manager.getRepository(ItemEntity).save(manager.getRepository(ItemEntity).create(archived.item));
      const dispute = await manager
        .getRepository(DisputeEntity)
        .save({ itemId: item.id, reasons: archived.reasons, status: 'unresolved' as const, modelVersionId: null });
      const debate = await manager.getRepository(DebateEntity).save({
        disputeId: dispute.id,
        itemId: item.id,
        protocolId: archived.protocolId,
        seats: archived.seats,
        status: 'completed' as const,
        failureReason: null,
        campaignId: null,
        createdAt: archived.createdAt,
        endedAt: archived.endedAt,
      });
      for (const turn of archived.turns) {
        const saved = await manager
          .getRepository(TurnEntity)
          .save({ debateId: debate.id, index: turn.index, round: turn.round, seat: turn.seat, text: turn.text, createdAt: turn.createdAt });
        if (turn.citations.length)
          await manager.getRepository(CitationEntity).insert(turn.citations.map((c) => ({ ...c, turnId: saved.id })));
      }
      const assignment = await manager
        .getRepository(JudgeAssignmentEntity)
        .save({ debateId: debate.id, slot: 0, kind: 'human' as const, judgeId: null, judgeName: archived.judge });
      if (archived.verdicts.length) {
        await manager
          .getRepository(VerdictEntity)
          .insert(archived.verdicts.map((v) => ({ ...v, assignmentId: assignment.id, debateId: debate.id })));
      }
      return debate.id;
    });
  }
}
