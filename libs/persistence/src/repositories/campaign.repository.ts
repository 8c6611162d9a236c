import type { DataSource } from 'typeorm';
import type { DebateStatus } from '#tribunal/contracts';
import { CampaignEntity, CampaignEntryEntity } from '../entities/index.js';
import { managerOf, type Transaction } from '../unit-of-work.js';

export interface CampaignProgress {
  /** Disputes whose debate has not started yet. */
  waiting: number;
  /** Debates by status. */
  debates: Partial<Record<DebateStatus, number>>;
  total: number;
}

export class CampaignFull extends Error {}

export class CampaignRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A campaign and its entries, in the caller's transaction. */
  async create(
    tx: Transaction,
    campaign: Pick<CampaignEntity, 'name' | 'protocolId' | 'concurrency' | 'createdBy'>,
    disputeIds: string[],
  ): Promise<CampaignEntity> {
    const manager = managerOf(tx);
    const saved = await manager.getRepository(CampaignEntity).save({ ...campaign, status: 'running' as const, finishedAt: null });
    for (let start = 0; start < disputeIds.length; start += 500) {
      await manager
        .getRepository(CampaignEntryEntity)
        .insert(
          disputeIds
            .slice(start, start + 500)
            .map((disputeId, i) => ({ campaignId: saved.id, disputeId, position: start + i, debateId: null })),
        );
    }
    return saved;
  }

  get(id: string): Promise<CampaignEntity | null> {
    return this.dataSource.getRepository(CampaignEntity).findOneBy({ id });
  }

  list(): Promise<CampaignEntity[]> {
    return this.dataSource.getRepository(CampaignEntity).find({ order: { createdAt: 'DESC' } });
  }

  /** Entries whose debate has not started, in order. */
  waiting(campaignId: string, limit: number): Promise<CampaignEntryEntity[]> {
    return this.dataSource
      .getRepository(CampaignEntryEntity)
      .createQueryBuilder('e')
      .where('e.campaign_id = :campaignId AND e.debate_id IS NULL', { campaignId })
      .orderBy('e.position', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** How many of the campaign's debates have not ended. */
  async running(campaignId: string): Promise<number> {
    const [{ n }] = (await this.dataSource.query(
      `SELECT count(*)::int AS n FROM debates WHERE campaign_id = $1 AND status NOT IN ('completed', 'failed')`,
      [campaignId],
    )) as { n: number }[];
    return n;
  }

  async progress(campaignId: string): Promise<CampaignProgress> {
    const rows: { status: DebateStatus | null; count: string }[] = await this.dataSource.query(
      `SELECT d.status, count(*) AS count FROM campaign_entries e LEFT JOIN debates d ON d.id = e.debate_id
       WHERE e.campaign_id = $1 GROUP BY d.status`,
      [campaignId],
    );
    const progress: CampaignProgress = { waiting: 0, debates: {}, total: 0 };
    for (const row of rows) {
      const count = Number(row.count);
      progress.total += count;
      if (row.status === null) progress.waiting = count;
      else progress.debates[row.status] = count;
    }
    return progress;
  }

  /**
   * Inside the transaction that creates a debate: takes the campaign's lock, checks it still has room
   * under its concurrency and the entry is still waiting, and claims the entry for the debate. Throws
   * `CampaignFull` otherwise, rolling the debate back.
   */
  async claim(tx: Transaction, entryId: string, debateId: string): Promise<void> {
    const manager = managerOf(tx);
    const [campaign] = (await manager.query(
      `SELECT c.id, c.status, c.concurrency FROM campaigns c JOIN campaign_entries e ON e.campaign_id = c.id
        WHERE e.id = $1 FOR UPDATE OF c`,
      [entryId],
    )) as { id: string; status: string; concurrency: number }[];
    if (!campaign) throw new Error(`campaign entry ${entryId} does not exist`);
    if (campaign.status !== 'running') throw new CampaignFull('campaign is not running');
    // A statement of its own, after the lock: it sees every debate committed by whoever held it.
    const [{ active, claimed }] = (await manager.query(
      `WITH active AS (SELECT count(*)::int AS n FROM debates WHERE campaign_id = $3 AND status NOT IN ('completed', 'failed') AND id <> $2),
            claimed AS (UPDATE campaign_entries SET debate_id = $2 WHERE id = $1 AND debate_id IS NULL AND (SELECT n FROM active) < $4 RETURNING id)
       SELECT (SELECT n FROM active) AS active, (SELECT count(*)::int FROM claimed) AS claimed`,
      [entryId, debateId, campaign.id, campaign.concurrency],
    )) as { active: number; claimed: number }[];
    if (active >= campaign.concurrency) throw new CampaignFull('campaign is at its concurrency');
    if (!claimed) throw new CampaignFull('entry already started');
  }

  /** Marks a campaign completed when nothing waits and nothing runs; returns whether it did. */
  async completeIfDone(campaignId: string): Promise<boolean> {
    const result = await this.dataSource.query(
      `UPDATE campaigns SET status = 'completed', finished_at = now() WHERE id = $1 AND status = 'running'
       AND NOT EXISTS (SELECT 1 FROM campaign_entries e LEFT JOIN debates d ON d.id = e.debate_id
                       WHERE e.campaign_id = $1 AND (e.debate_id IS NULL OR d.status NOT IN ('completed', 'failed')))
       RETURNING id`,
      [campaignId],
    );
    // An UPDATE answers [rows, affected].
    return (result as [unknown[], number])[1] > 0;
  }

  async cancel(campaignId: string): Promise<boolean> {
    const result = await this.dataSource
      .getRepository(CampaignEntity)
      .update({ id: campaignId, status: 'running' }, { status: 'cancelled', finishedAt: new Date() });
    return (result.affected ?? 0) > 0;
  }
}
