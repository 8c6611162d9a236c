import type { DataSource } from 'typeorm';
import { DebateEntity, DisputeEntity, LabelEntity } from '../entities/index.js';
import type { DebateRepository, InTransaction } from './debate.repository.js';

/** Arbitrary, fixed: the advisory lock under which label sequence numbers are handed out. */
const LABEL_SEQUENCE_LOCK = 7_412_094;

export type NewLabel = Omit<LabelEntity, 'seq' | 'id' | 'createdAt' | 'item' | 'dataset'>;

export class LabelRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly debates: DebateRepository,
  ) {}

  /**
   * Ends a debate's adjudication: writes its label (when clear-cut) and closes debate and dispute, in
   * one transaction. Sequence numbers are taken under a lock held until commit, so labels become
   * visible in sequence order and a reader polling `after=<seq>` never skips one.
   */
  async concludeDebate(
    debateId: string,
    label: NewLabel | null,
    then?: InTransaction,
  ): Promise<{ label: LabelEntity | null; concluded: boolean }> {
    return this.dataSource.transaction(async (manager) => {
      const debate = await this.debates.lock(manager, debateId);
      if (!debate || debate.status === 'completed' || debate.status === 'failed') return { label: null, concluded: false };
      let saved: LabelEntity | null = null;
      if (label) {
        await manager.query('SELECT pg_advisory_xact_lock($1)', [LABEL_SEQUENCE_LOCK]);
        const [{ next }] = (await manager.query('SELECT coalesce(max(seq), 0) + 1 AS next FROM labels')) as { next: string }[];
        await manager.getRepository(LabelEntity).insert({ ...label, seq: String(next) });
        saved = await manager.getRepository(LabelEntity).findOneByOrFail({ seq: String(next) });
      }
      await manager.update(DebateEntity, { id: debateId }, { status: 'completed', endedAt: new Date() });
      await manager.update(DisputeEntity, { id: debate.disputeId }, { status: label ? 'labelled' : 'unresolved' });
      await then?.(manager);
      return { label: saved, concluded: true };
    });
  }

  /** Labels after a sequence number, in order. */
  after(seq: string, filter: { limit: number; datasetId?: string }): Promise<LabelEntity[]> {
    const query = this.dataSource
      .getRepository(LabelEntity)
      .createQueryBuilder('l')
      .where('l.seq > :seq', { seq })
      .orderBy('l.seq', 'ASC')
      .limit(filter.limit);
    if (filter.datasetId) query.andWhere('l.dataset_id = :datasetId', { datasetId: filter.datasetId });
    return query.getMany();
  }
}
