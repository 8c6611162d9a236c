import type { DataSource, SelectQueryBuilder } from 'typeorm';
import type { LabelRecord } from '#tribunal/contracts';
import { LabelEntity } from '../entities/index.js';
import { managerOf, type Transaction } from '../unit-of-work.js';
import { hydrate } from './hydrate.js';

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
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Writes a label with the next sequence number, last in the caller's transaction. The number is
   * taken under a lock held until that transaction commits, so labels become visible in sequence
   * order: a reader polling `after=<seq>` never sees a number before all smaller ones are visible, and
   * never skips one. The lock is held for this one statement and the commit: write everything else of
   * the unit of work first. A dispute labelled before gets a revision: the new label names the one it
   * replaces.
   */
  async append(tx: Transaction, label: NewLabel & { id?: string }): Promise<LabelEntity> {
    const manager = managerOf(tx);
    await manager.query('SELECT pg_advisory_xact_lock($1)', [LABEL_SEQUENCE_LOCK]);
    const [row] = (await manager.query(
      `INSERT INTO labels (seq, id, item_id, dataset_id, answer, distribution, method, agrees_with_simple, provenance, schema_version, revises)
       SELECT (SELECT coalesce(max(seq), 0) + 1 FROM labels), coalesce($1, gen_random_uuid()), $2, $3, $4, $5, $6, $7, $8, $9,
              (SELECT id FROM labels WHERE provenance ->> 'disputeId' = $8::jsonb ->> 'disputeId' ORDER BY seq DESC LIMIT 1)
       RETURNING row_to_json(labels) AS label`,
      [
        label.id ?? null,
        label.itemId,
        label.datasetId,
        label.answer,
        label.distribution,
        label.method,
        label.agreesWithSimple,
        JSON.stringify(label.provenance),
        label.schemaVersion,
      ],
    )) as { label: Record<string, unknown> }[];
    return hydrate(this.dataSource, LabelEntity, row!.label);
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

  byId(id: string): Promise<LabelEntity | null> {
    return this.dataSource.getRepository(LabelEntity).findOneBy({ id });
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
