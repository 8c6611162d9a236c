import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { DebaterSeat, DebateStatus, JudgeKind } from '#tribunal/contracts';
import {
  CitationEntity,
  DebateEntity,
  DisputeEntity,
  ItemEntity,
  JudgeAssignmentEntity,
  ProtocolEntity,
  SpeechDraftEntity,
  TurnEntity,
  VerdictEntity,
} from '../entities/index.js';
import { managerOf, type Transaction } from '../unit-of-work.js';
import { hydrate } from './hydrate.js';

export interface DebateRecord {
  debate: DebateEntity;
  protocol: ProtocolEntity;
  item: ItemEntity;
  turns: TurnEntity[];
  citations: CitationEntity[];
  assignments: JudgeAssignmentEntity[];
  verdicts: VerdictEntity[];
  drafts: SpeechDraftEntity[];
}

export interface FinishedDebate {
  id: string;
  status: 'completed' | 'failed';
  createdAt: Date;
  endedAt: Date | null;
  protocolId: string;
  datasetId: string;
  /** For imported archives: the archive's condition, and whether the room was in the published analysis. */
  setting: string | null;
  includedInPaper: boolean;
  groundTruth: number | null;
  seats: number;
  speeches: number;
  seatList: DebaterSeat[];
  /** In the order given; `judge` is a user's name, an archive's name for the judge, or the kind of an automatic judge. */
  verdicts: { assignmentId: string; stage: string; probabilities: number[]; judge: string }[];
}

/** A judge's final answer in a debate, with the debate's protocol: what adjudication pools. */
export interface FinalAnswer {
  debateId: string;
  protocolId: string;
  protocolName: string;
  protocolVersion: number;
  verdictId: string;
  judgeId: string | null;
  probabilities: number[];
}

export type NewCitation = Omit<CitationEntity, 'id' | 'turnId' | 'turn'>;

export interface NewDebate {
  dispute: DisputeEntity;
  protocol: ProtocolEntity;
  seats: DebaterSeat[];
  judges: { kind: JudgeKind; judgeId: string | null }[];
  campaignId?: string;
}

const ENDED: DebateStatus[] = ['completed', 'failed'];

/** Debates and what happens in them: seats, judge assignments, turns with citations, drafts, verdicts. */
export class DebateRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Creates a debate and its judge assignments, and marks its dispute debated, in the caller's transaction. */
  /** The debate, its judges' assignments, its protocol locked and its dispute marked debating: one statement. */
  async createDebate(tx: Transaction, input: NewDebate): Promise<DebateEntity> {
    const [row] = (await managerOf(tx).query(
      `WITH locked AS (UPDATE protocols SET locked_at = now() WHERE id = $3 AND locked_at IS NULL),
            marked AS (UPDATE disputes SET status = 'debating' WHERE id = $1),
            debate AS (INSERT INTO debates (dispute_id, item_id, protocol_id, seats, campaign_id, status)
                       VALUES ($1, $2, $3, $4::jsonb, $5, 'pending') RETURNING *),
            assigned AS (INSERT INTO judge_assignments (debate_id, slot, kind, judge_id)
                         SELECT debate.id, j.slot, j.kind::judge_kind, j.judge_id
                           FROM debate, unnest($6::int[], $7::text[], $8::uuid[]) AS j(slot, kind, judge_id))
       SELECT row_to_json(debate) AS debate FROM debate`,
      [
        input.dispute.id,
        input.dispute.itemId,
        input.protocol.id,
        JSON.stringify(input.seats),
        input.campaignId ?? null,
        input.judges.map((_, slot) => slot),
        input.judges.map((judge) => judge.kind),
        input.judges.map((judge) => judge.judgeId),
      ],
    )) as { debate: Record<string, unknown> }[];
    return hydrate(this.dataSource, DebateEntity, row!.debate);
  }

  /**
   * A debate with everything that happened in it, in one round trip: PostgreSQL gathers the rows as
   * JSON and they are hydrated through the entities' own column mapping, exactly as a find would.
   */
  async record(debateId: string): Promise<DebateRecord | null> {
    const [row] = (await this.dataSource.query(
      `SELECT row_to_json(d) AS debate, row_to_json(p) AS protocol, row_to_json(i) AS item,
              (SELECT coalesce(json_agg(t ORDER BY t.index), '[]') FROM turns t WHERE t.debate_id = d.id) AS turns,
              (SELECT coalesce(json_agg(c), '[]') FROM citations c JOIN turns t ON t.id = c.turn_id WHERE t.debate_id = d.id) AS citations,
              (SELECT coalesce(json_agg(a ORDER BY a.slot), '[]') FROM judge_assignments a WHERE a.debate_id = d.id) AS assignments,
              (SELECT coalesce(json_agg(v ORDER BY v.created_at), '[]') FROM verdicts v WHERE v.debate_id = d.id) AS verdicts,
              (SELECT coalesce(json_agg(s ORDER BY s.index), '[]') FROM speech_drafts s WHERE s.debate_id = d.id) AS drafts
         FROM debates d JOIN protocols p ON p.id = d.protocol_id JOIN items i ON i.id = d.item_id
        WHERE d.id = $1`,
      [debateId],
    )) as Record<keyof DebateRecord, Record<string, unknown> & Record<string, unknown>[]>[];
    if (!row) return null;
    const many = <T>(entity: new () => T, rows: Record<string, unknown>[]) => rows.map((r) => hydrate(this.dataSource, entity, r));
    const protocol = hydrate(this.dataSource, ProtocolEntity, row.protocol);
    const item = hydrate(this.dataSource, ItemEntity, row.item);
    const debate = Object.assign(hydrate(this.dataSource, DebateEntity, row.debate), { protocol, item });
    return {
      debate,
      protocol,
      item,
      turns: many(TurnEntity, row.turns),
      citations: many(CitationEntity, row.citations),
      assignments: many(JudgeAssignmentEntity, row.assignments),
      verdicts: many(VerdictEntity, row.verdicts),
      drafts: many(SpeechDraftEntity, row.drafts),
    };
  }

  listDebates(filter: { status?: DebateStatus; limit: number; campaignId?: string }): Promise<DebateEntity[]> {
    return this.dataSource.getRepository(DebateEntity).find({
      where: { ...(filter.status ? { status: filter.status } : {}), ...(filter.campaignId ? { campaignId: filter.campaignId } : {}) },
      order: { createdAt: 'DESC' },
      take: filter.limit,
    });
  }

  /** A judge's assignments with the state of each debate. */
  assignmentsOf(judgeId: string): Promise<JudgeAssignmentEntity[]> {
    return this.dataSource.getRepository(JudgeAssignmentEntity).find({
      where: { judgeId },
      relations: { debate: { item: true } },
      order: { createdAt: 'DESC' },
    });
  }

  /** The debates in which a person speaks for a seat, newest first. */
  debatesOfDebater(userId: string): Promise<DebateEntity[]> {
    return this.dataSource
      .getRepository(DebateEntity)
      .createQueryBuilder('d')
      .innerJoinAndSelect('d.item', 'item')
      .where('d.seats @> :seat::jsonb', { seat: JSON.stringify([{ userId }]) })
      .orderBy('d.created_at', 'DESC')
      .getMany();
  }

  /** How many debates each judge has not finished, to spread new assignments evenly. */
  async openAssignmentCounts(judgeIds: string[]): Promise<Map<string, number>> {
    if (judgeIds.length === 0) return new Map();
    const rows: { judge_id: string; open: string }[] = await this.dataSource.query(
      `SELECT a.judge_id, count(*) AS open FROM judge_assignments a JOIN debates d ON d.id = a.debate_id
       WHERE a.judge_id = ANY($1) AND d.status NOT IN ('completed', 'failed') GROUP BY a.judge_id`,
      [judgeIds],
    );
    return new Map(rows.map((r) => [r.judge_id, Number(r.open)]));
  }

  /**
   * Appends a turn with its verified citations, in one statement: the debate's row locked (unless it
   * ended), the turn, its citations, the draft it replaces removed, the debate marked running. The
   * turn's index is unique per debate, so a step retried after a crash finds its turn already there
   * and appends nothing: null then, and when the debate has ended. Inside `tx` when given.
   */
  async appendTurn(
    tx: Transaction | undefined,
    turn: Pick<TurnEntity, 'debateId' | 'index' | 'round' | 'seat' | 'text'>,
    citations: NewCitation[],
  ): Promise<{ turn: TurnEntity; citations: CitationEntity[] } | null> {
    // Ids made here, so that the citations come back in the speech's order.
    const cited = citations.map((c) => ({ ...c, id: randomUUID() }));
    const [row] = (await this.query(
      tx,
      `WITH debate AS (
         SELECT id, status FROM debates WHERE id = $1 AND status NOT IN ('completed', 'failed') FOR UPDATE
       ), turn AS (
         INSERT INTO turns (debate_id, index, round, seat, text) SELECT $1, $2, $3, $4, $5 FROM debate
         ON CONFLICT DO NOTHING RETURNING *
       ), cited AS (
         INSERT INTO citations (id, turn_id, kind, evidence_id, quote, verified, score, excerpt, span_start, span_end, at_start, at_end)
         SELECT c.id, turn.id, c.kind, c."evidenceId", c.quote, c.verified, c.score, c.excerpt, c."spanStart", c."spanEnd", c."atStart", c."atEnd"
           FROM turn, jsonb_to_recordset($6::jsonb) AS c(id uuid, kind text, "evidenceId" text, quote text, verified boolean, score real,
                                                         excerpt text, "spanStart" int, "spanEnd" int, "atStart" int, "atEnd" int)
         RETURNING *
       ), drafted AS (
         DELETE FROM speech_drafts WHERE debate_id = $1 AND index = $2 AND EXISTS (SELECT 1 FROM turn)
       ), running AS (
         UPDATE debates SET status = 'running' WHERE id = $1 AND status <> 'running' AND EXISTS (SELECT 1 FROM turn)
       )
       SELECT (SELECT row_to_json(turn) FROM turn) AS turn, (SELECT coalesce(json_agg(cited), '[]') FROM cited) AS citations`,
      [turn.debateId, turn.index, turn.round, turn.seat, turn.text, JSON.stringify(cited)],
    )) as { turn: Record<string, unknown> | null; citations: Record<string, unknown>[] }[];
    if (!row?.turn) return null;
    const order = new Map<string, number>(cited.map((c, i) => [c.id, i]));
    return {
      turn: hydrate(this.dataSource, TurnEntity, row.turn),
      citations: row.citations.map((c) => hydrate(this.dataSource, CitationEntity, c)).sort((a, b) => order.get(a.id)! - order.get(b.id)!),
    };
  }

  /**
   * The turns of a debate with indices from `from` (inclusive) to `to` (exclusive), with their
   * citations, in index order: one statement, inside `tx`. After `appendTurn` in the same
   * transaction (which locks the debate's row) it sees every turn appended before, so of several
   * speeches of a round appended at once exactly one, the last to take the lock, sees them all.
   */
  async turnsBetween(
    tx: Transaction,
    debateId: string,
    from: number,
    to: number,
  ): Promise<{ turn: TurnEntity; citations: CitationEntity[] }[]> {
    const rows = (await this.query(
      tx,
      `SELECT row_to_json(t) AS turn,
              (SELECT coalesce(json_agg(c ORDER BY c.at_start NULLS LAST, c.id), '[]') FROM citations c WHERE c.turn_id = t.id) AS citations
         FROM turns t WHERE t.debate_id = $1 AND t.index >= $2 AND t.index < $3 ORDER BY t.index`,
      [debateId, from, to],
    )) as { turn: Record<string, unknown>; citations: Record<string, unknown>[] }[];
    return rows.map((row) => ({
      turn: hydrate(this.dataSource, TurnEntity, row.turn),
      citations: row.citations.map((c) => hydrate(this.dataSource, CitationEntity, c)),
    }));
  }

  /** Moves a debate to a status unless it already ended (one statement); returns whether anything changed. Inside `tx` when given. */
  async setStatus(tx: Transaction | undefined, debateId: string, status: DebateStatus, failureReason?: string): Promise<boolean> {
    // A SELECT over the UPDATE: answered as rows by every driver, whatever the statement's first word.
    const [{ changed }] = (await this.query(
      tx,
      `WITH moved AS (
         UPDATE debates SET status = $2::debate_status, failure_reason = $3,
                ended_at = CASE WHEN $2::debate_status IN ('completed', 'failed') THEN now() END
          WHERE id = $1 AND status NOT IN ('completed', 'failed') AND status <> $2::debate_status RETURNING id
       )
       SELECT count(*)::int AS changed FROM moved`,
      [debateId, status, failureReason ?? null],
    )) as { changed: number }[];
    return changed > 0;
  }

  /**
   * Records a judge's probabilities at a stage, once: a second submission for the same stage changes
   * nothing and reports the first. Inside `tx` when given.
   */
  async recordVerdict(
    tx: Transaction | undefined,
    verdict: Pick<VerdictEntity, 'assignmentId' | 'debateId' | 'stage' | 'probabilities' | 'note' | 'endsDebate'>,
  ): Promise<{ verdict: VerdictEntity; duplicate: boolean }> {
    const [inserted] = (await this.query(
      tx,
      `INSERT INTO verdicts (assignment_id, debate_id, stage, probabilities, note, ends_debate) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT DO NOTHING RETURNING row_to_json(verdicts) AS verdict`,
      [verdict.assignmentId, verdict.debateId, verdict.stage, verdict.probabilities, verdict.note, verdict.endsDebate],
    )) as { verdict: Record<string, unknown> }[];
    if (inserted) return { verdict: hydrate(this.dataSource, VerdictEntity, inserted.verdict), duplicate: false };
    const [existing] = (await this.query(tx, `SELECT row_to_json(v) AS verdict FROM verdicts v WHERE assignment_id = $1 AND stage = $2`, [
      verdict.assignmentId,
      verdict.stage,
    ])) as { verdict: Record<string, unknown> }[];
    return { verdict: hydrate(this.dataSource, VerdictEntity, existing!.verdict), duplicate: true };
  }

  private query(tx: Transaction | undefined, sql: string, parameters: unknown[]): Promise<unknown[]> {
    return tx ? managerOf(tx).query(sql, parameters) : this.dataSource.query(sql, parameters);
  }

  /**
   * Keeps the text of a speech being written; a no-op once the turn exists or the debate ended. The
   * debate's row is share-locked first, so a save racing the turn's append (which holds it for update
   * and removes the draft) waits for it, and then sees the turn: no draft outlives its turn.
   */
  async saveDraft(draft: Pick<SpeechDraftEntity, 'debateId' | 'index' | 'seat' | 'text'>): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const debate = await manager
        .getRepository(DebateEntity)
        .findOne({ where: { id: draft.debateId }, lock: { mode: 'pessimistic_read' } });
      if (!debate || ENDED.includes(debate.status)) return;
      await manager.query(
        `INSERT INTO speech_drafts (debate_id, index, seat, text) SELECT $1, $2, $3, $4
         WHERE NOT EXISTS (SELECT 1 FROM turns WHERE debate_id = $1 AND index = $2)
         ON CONFLICT (debate_id, index) DO UPDATE SET text = excluded.text, updated_at = now()`,
        [draft.debateId, draft.index, draft.seat, draft.text],
      );
    });
  }

  async debateOfAssignment(assignmentId: string): Promise<string | null> {
    const assignment = await this.dataSource.getRepository(JudgeAssignmentEntity).findOneBy({ id: assignmentId });
    return assignment?.debateId ?? null;
  }

  /** Every finished debate with its protocol, the item's truth, speeches, and verdicts: what analytics need. */
  async finished(): Promise<FinishedDebate[]> {
    const rows: (Omit<FinishedDebate, 'speeches'> & { speeches: string })[] = await this.dataSource.query(
      `SELECT d.id, d.status, d.created_at AS "createdAt", d.ended_at AS "endedAt", d.protocol_id AS "protocolId",
              i.ground_truth AS "groundTruth", d.seats AS "seatList", jsonb_array_length(d.seats) AS seats, i.dataset_id AS "datasetId",
              i.meta ->> 'setting' AS setting, coalesce((i.meta ->> 'includedInPaper')::boolean, false) AS "includedInPaper",
              (SELECT count(*) FROM turns t WHERE t.debate_id = d.id) AS speeches,
              coalesce((SELECT json_agg(json_build_object('assignmentId', v.assignment_id, 'stage', v.stage, 'probabilities', v.probabilities,
                                                          'judge', coalesce(a.judge_name, u.name, a.kind::text))
                                 ORDER BY v.created_at, (v.stage = 'final'))
                          FROM verdicts v JOIN judge_assignments a ON a.id = v.assignment_id LEFT JOIN users u ON u.id = a.judge_id
                         WHERE v.debate_id = d.id), '[]') AS verdicts
         FROM debates d JOIN items i ON i.id = d.item_id
        WHERE d.status IN ('completed', 'failed')`,
    );
    return rows.map((r) => ({ ...r, speeches: Number(r.speeches), seats: Number(r.seats) }));
  }

  /** Every judge's last answer in each completed debate of a dispute, with the debate's protocol. */
  async finalAnswersOf(disputeId: string, excluding: string): Promise<FinalAnswer[]> {
    return this.dataSource.query(
      `SELECT DISTINCT ON (v.assignment_id) d.id AS "debateId", p.id AS "protocolId", p.name AS "protocolName", p.version AS "protocolVersion",
              v.id AS "verdictId", a.judge_id AS "judgeId", v.probabilities
         FROM debates d JOIN protocols p ON p.id = d.protocol_id JOIN verdicts v ON v.debate_id = d.id
         JOIN judge_assignments a ON a.id = v.assignment_id
        WHERE d.dispute_id = $1 AND d.status = 'completed' AND d.id <> $2
        ORDER BY v.assignment_id, v.created_at DESC`,
      [disputeId, excluding],
    );
  }

  /** Each judge's final answers on items whose answer is known, outside one dispute: their record under the scoring rule. */
  async judgeRecords(judgeIds: string[], excludingDispute: string): Promise<Map<string, { probabilities: number[]; truth: number }[]>> {
    const records = new Map<string, { probabilities: number[]; truth: number }[]>();
    if (judgeIds.length === 0) return records;
    const rows: { judgeId: string; probabilities: number[]; truth: number }[] = await this.dataSource.query(
      `SELECT DISTINCT ON (v.assignment_id) a.judge_id AS "judgeId", v.probabilities, i.ground_truth AS truth
         FROM verdicts v JOIN judge_assignments a ON a.id = v.assignment_id JOIN debates d ON d.id = v.debate_id JOIN items i ON i.id = d.item_id
        WHERE a.judge_id = ANY($1) AND d.status = 'completed' AND i.ground_truth IS NOT NULL AND d.dispute_id <> $2
        ORDER BY v.assignment_id, v.created_at DESC`,
      [judgeIds, excludingDispute],
    );
    for (const row of rows)
      records.set(row.judgeId, [...(records.get(row.judgeId) ?? []), { probabilities: row.probabilities, truth: row.truth }]);
    return records;
  }

  /** Whether the dispute has a debate started after the given one (a re-queue already done). */
  async hasDebateAfter(disputeId: string, debateId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM debates d, debates ref WHERE ref.id = $2 AND d.dispute_id = $1 AND d.created_at > ref.created_at LIMIT 1`,
      [disputeId, debateId],
    );
    return rows.length > 0;
  }

  debatesOfDispute(disputeId: string): Promise<number> {
    return this.dataSource.getRepository(DebateEntity).countBy({ disputeId });
  }

  /**
   * Ends a debate's adjudication in the caller's transaction, in one statement: the debate completed
   * and its dispute labelled, left unresolved, or (with the reason, among its reasons) to be debated
   * again. False, with nothing written, when the debate had already ended (a second run).
   */
  async conclude(tx: Transaction, debateId: string, outcome: { labelled: boolean; requeued?: string }): Promise<boolean> {
    const status = outcome.requeued ? 'debating' : outcome.labelled ? 'labelled' : 'unresolved';
    const reasons = outcome.requeued ? [{ kind: 'judges-disagree', detail: outcome.requeued }] : [];
    const [{ changed }] = (await managerOf(tx).query(
      `WITH closed AS (
         UPDATE debates SET status = 'completed', ended_at = now() WHERE id = $1 AND status NOT IN ('completed', 'failed') RETURNING dispute_id
       ), marked AS (
         UPDATE disputes SET status = $2::dispute_status, reasons = reasons || $3::jsonb FROM closed WHERE disputes.id = closed.dispute_id
         RETURNING disputes.id
       )
       SELECT count(*)::int AS changed FROM marked`,
      [debateId, status, JSON.stringify(reasons)],
    )) as { changed: number }[];
    return changed > 0;
  }
}
