import type { DataSource, SelectQueryBuilder } from 'typeorm';
import type { LabelRecord } from '#tribunal/contracts';
import { DebateEntity, DisputeEntity, LabelEntity } from '../entities/index.js';
import { managerOf, type Transaction } from '../unit-of-work.js';
import type { DebateRepository } from './debate.repository.js';

/**
 * The label record's fields as SQL over \`labels l\`, in the record's order: typed by \`LabelRecord\`
 * (libs/contracts), so that the record is defined once and the database writes exactly its keys.
 */
export const LABEL_RECORD_SQL: { readonly [K in keyof LabelRecord]-?: string } = {
  schemaVersion: 'l.schema_version',
  seq: 'l.seq::text',
  id: 'l.id',
  datasetId: 'l.dataset_id',
  itemId: 'l.item_id',
  answer: 'l.answer',
  distribution: 'l.distribution',
  method: 'l.method',
  agreesWithSimple: 'l.agrees_with_simple',
  provenance: 'l.provenance',
  revises: 'l.revises',
  createdAt: `to_char(l.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
};

const LABEL_RECORD_PROJECTION = Object.entries(LABEL_RECORD_SQL)
  .map(([key, sql]) => `${sql} AS "${key}"`)
  .join(', ');

/** Arbitrary, fixed: the advisory lock under which label sequence numbers are handed out. */
const LABEL_SEQUENCE_LOCK = 7_412_094;

/** The latest accepted label of an item, as training reads it. */
export interface ItemLabel {
  itemId: string;
  answer: number;
  agreesWithSimple: boolean;
}

export type NewLabel = Omit<LabelEntity, 'seq' | 'id' | 'createdAt' | 'item' | 'dataset' | 'revises'>;

/** Which labels a pipeline reads: after a sequence number, of a dataset, of the small set (simple and complex labels agree) or all, since a time, from a protocol. */
export interface LabelFilter {
  after: string;
  datasetId?: string;
  set?: 'small' | 'large';
  since?: Date;
  protocol?: string;
}

export class LabelRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly debateRepository: DebateRepository,
  ) {}

  /**
   * Ends a debate's adjudication in the caller's transaction: writes its label (when clear-cut) and
   * closes debate and dispute. `concluded` is false, and nothing is written, when the debate had
   * already ended (a retried job).
   */
  async concludeDebate(
    tx: Transaction,
    debateId: string,
    label: NewLabel | null,
    /** Set when the dispute is to be debated again: why, recorded among its reasons. */
    requeued?: string,
  ): Promise<{ label: LabelEntity | null; concluded: boolean }> {
    const manager = managerOf(tx);
    const debate = await this.debateRepository.lock(tx, debateId);
    if (!debate || debate.status === 'completed' || debate.status === 'failed') return { label: null, concluded: false };
    const saved = label ? await this.append(tx, label) : null;
    await manager.update(DebateEntity, { id: debateId }, { status: 'completed', endedAt: new Date() });
    if (requeued) {
      await manager.query(`UPDATE disputes SET status = 'debating', reasons = reasons || $2::jsonb WHERE id = $1`, [
        debate.disputeId,
        JSON.stringify([{ kind: 'judges-disagree', detail: requeued }]),
      ]);
    } else {
      await manager.update(DisputeEntity, { id: debate.disputeId }, { status: label ? 'labelled' : 'unresolved' });
    }
    return { label: saved, concluded: true };
  }

  /**
   * Writes a label with the next sequence number. The number is taken under a lock held until the
   * caller's transaction commits, so labels become visible in sequence order: a reader polling
   * `after=<seq>` never sees a number before all smaller ones are visible, and never skips one.
   */
  async append(tx: Transaction, label: NewLabel): Promise<LabelEntity> {
    const manager = managerOf(tx);
    await manager.query('SELECT pg_advisory_xact_lock($1)', [LABEL_SEQUENCE_LOCK]);
    const [{ next }] = (await manager.query('SELECT coalesce(max(seq), 0) + 1 AS next FROM labels')) as { next: string }[];
    // A dispute labelled before gets a revision: the new label names the one it replaces.
    const [previous] = (await manager.query(`SELECT id FROM labels WHERE provenance ->> 'disputeId' = $1 ORDER BY seq DESC LIMIT 1`, [
      label.provenance.disputeId,
    ])) as { id: string }[];
    await manager.getRepository(LabelEntity).insert({ ...label, seq: String(next), revises: previous?.id ?? null });
    return manager.getRepository(LabelEntity).findOneByOrFail({ seq: String(next) });
  }

  private filtered(filter: LabelFilter): SelectQueryBuilder<LabelEntity> {
    const query = this.dataSource.getRepository(LabelEntity).createQueryBuilder('l').where('l.seq > :after', { after: filter.after });
    if (filter.datasetId) query.andWhere('l.dataset_id = :datasetId', { datasetId: filter.datasetId });
    if (filter.set === 'small') query.andWhere('l.agrees_with_simple');
    if (filter.since) query.andWhere('l.created_at >= :since', { since: filter.since });
    if (filter.protocol) {
      query.andWhere(`l.provenance -> 'debates' @> :protocol::jsonb`, { protocol: JSON.stringify([{ protocolName: filter.protocol }]) });
    }
    return query;
  }

  /**
   * Labels after a sequence number, in order, under the filter, each serialised by PostgreSQL as the
   * JSON of the pipelines' label record (`LabelRecord` in libs/contracts, projected by
   * `LABEL_RECORD_SQL`), so that a bulk pull maps and stringifies nothing in Node.
   */
  async after(filter: LabelFilter, limit: number): Promise<{ seq: string; json: string }[]> {
    return this.filtered(filter)
      .select('l.seq::text', 'seq')
      .addSelect(
        // row_to_json writes no spaces between fields: a tenth less to send than json_build_object.
        `row_to_json((SELECT r FROM (SELECT ${LABEL_RECORD_PROJECTION}) r))::text`,
        'json',
      )
      .orderBy('l.seq', 'ASC')
      .limit(limit)
      .getRawMany();
  }

  bySeq(seq: string): Promise<LabelEntity | null> {
    return this.dataSource.getRepository(LabelEntity).findOneBy({ seq });
  }

  count(filter: LabelFilter): Promise<number> {
    return this.filtered(filter).getCount();
  }

  /** Each item's latest label up to a sequence number (a revised label replaces the one before). */
  async latestLabels(datasetId: string, upToSeq: number): Promise<ItemLabel[]> {
    const rows: { item_id: string; answer: number; agrees_with_simple: boolean }[] = await this.dataSource.query(
      `SELECT DISTINCT ON (item_id) item_id, answer, agrees_with_simple FROM labels
       WHERE dataset_id = $1 AND seq <= $2 ORDER BY item_id, seq DESC`,
      [datasetId, upToSeq],
    );
    return rows.map((r) => ({ itemId: r.item_id, answer: r.answer, agreesWithSimple: r.agrees_with_simple }));
  }

  async labelSeqOf(datasetId: string): Promise<{ max: number; count: number }> {
    const [row] = (await this.dataSource.query(`SELECT coalesce(max(seq), 0) AS max, count(*) AS count FROM labels WHERE dataset_id = $1`, [
      datasetId,
    ])) as { max: string; count: string }[];
    return { max: Number(row?.max ?? 0), count: Number(row?.count ?? 0) };
  }

  async labelsAfter(datasetId: string, seq: number): Promise<number> {
    const [row] = (await this.dataSource.query(`SELECT count(*) AS count FROM labels WHERE dataset_id = $1 AND seq > $2`, [
      datasetId,
      seq,
    ])) as {
      count: string;
    }[];
    return Number(row?.count ?? 0);
  }
}
