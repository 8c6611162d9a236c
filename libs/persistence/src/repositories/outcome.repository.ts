import type { DataSource } from 'typeorm';
import type { DebateStatus, DisputeStatus } from '#tribunal/contracts';
import { ProtocolEntity } from '../entities/index.js';
import { hydrate } from './hydrate.js';

/** An item one judge judged, as the outcome rule reads it: every dispute and debate of it, and that judge's answers. */
export interface ItemOfJudge {
  itemId: string;
  question: string;
  answers: string[];
  groundTruth: number | null;
  /** Every dispute of the item, with the answer of its latest label when one was kept. */
  disputes: { id: string; status: DisputeStatus; labelAnswer: number | null }[];
  /** Every debate on the item, whoever judges it: the users assigned, and the judge's own probabilities in the order given. */
  debates: {
    id: string;
    disputeId: string;
    status: DebateStatus;
    endedAt: string | null;
    protocol: ProtocolEntity;
    judgeIds: string[];
    verdicts: number[][];
  }[];
}

type Row = Omit<ItemOfJudge, 'debates'> & {
  debates: (Omit<ItemOfJudge['debates'][number], 'protocol'> & { protocol: Record<string, unknown> })[];
};

/** What judges may learn of their debates once settled: the facts the rule needs, read in one query. */
export class OutcomeRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The items of the judge's debates (those of one item only, when given), each with all its disputes and debates. */
  async itemsOfJudge(judgeId: string, itemId?: string): Promise<ItemOfJudge[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT i.id AS "itemId", i.question, i.answers, i.ground_truth AS "groundTruth",
              (SELECT coalesce(json_agg(json_build_object('id', s.id, 'status', s.status, 'labelAnswer',
                        (SELECT l.answer FROM labels l WHERE l.item_id = i.id AND l.provenance ->> 'disputeId' = s.id::text
                          ORDER BY l.seq DESC LIMIT 1))), '[]')
                 FROM disputes s WHERE s.item_id = i.id) AS disputes,
              (SELECT coalesce(json_agg(json_build_object(
                        'id', d.id, 'disputeId', d.dispute_id, 'status', d.status, 'endedAt', d.ended_at, 'protocol', row_to_json(p),
                        'judgeIds', (SELECT coalesce(json_agg(a.judge_id), '[]') FROM judge_assignments a
                                      WHERE a.debate_id = d.id AND a.judge_id IS NOT NULL),
                        'verdicts', (SELECT coalesce(json_agg(v.probabilities ORDER BY v.created_at, (v.stage = 'final')), '[]')
                                       FROM verdicts v JOIN judge_assignments a ON a.id = v.assignment_id
                                      WHERE v.debate_id = d.id AND a.judge_id = $1))), '[]')
                 FROM debates d JOIN protocols p ON p.id = d.protocol_id WHERE d.item_id = i.id) AS debates
         FROM items i
        WHERE i.id IN (SELECT d.item_id FROM judge_assignments a JOIN debates d ON d.id = a.debate_id WHERE a.judge_id = $1)
          AND ($2::uuid IS NULL OR i.id = $2::uuid)`,
      [judgeId, itemId ?? null],
    );
    return rows.map((row) => ({
      ...row,
      debates: row.debates.map((d) => ({
        ...d,
        endedAt: d.endedAt === null ? null : new Date(d.endedAt).toISOString(),
        protocol: hydrate(this.dataSource, ProtocolEntity, d.protocol),
      })),
    }));
  }

  /** The users assigned to judge any debate on the item. */
  async judgesOfItem(itemId: string): Promise<string[]> {
    const rows: { judgeId: string }[] = await this.dataSource.query(
      `SELECT DISTINCT a.judge_id AS "judgeId" FROM judge_assignments a JOIN debates d ON d.id = a.debate_id
        WHERE d.item_id = $1 AND a.judge_id IS NOT NULL`,
      [itemId],
    );
    return rows.map((r) => r.judgeId);
  }
}
