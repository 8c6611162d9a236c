import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, type Relation } from 'typeorm';
import { CAMPAIGN_STATUSES, type CampaignStatus } from '#tribunal/contracts';
import { DebateEntity, DisputeEntity, ProtocolEntity } from './debate.entity.js';

/** A protocol run over a set of disputes, a limited number of debates at a time. */
@Entity('campaigns')
export class CampaignEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'uuid', name: 'protocol_id' }) protocolId!: string;
  @ManyToOne(() => ProtocolEntity, { onDelete: 'RESTRICT' }) @JoinColumn({ name: 'protocol_id' }) protocol!: Relation<ProtocolEntity>;
  @Column({ type: 'enum', enum: CAMPAIGN_STATUSES, enumName: 'campaign_status', default: 'running' }) status!: CampaignStatus;
  /** Debates of the campaign running at once, at most. */
  @Column({ type: 'int' }) concurrency!: number;
  @Column({ type: 'uuid', name: 'created_by', nullable: true }) createdBy!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @Column({ type: 'timestamptz', name: 'finished_at', nullable: true }) finishedAt!: Date | null;
}

/** One dispute of a campaign, and the debate started for it once its turn came. */
@Entity('campaign_entries')
@Unique('campaign_entries_campaign_dispute', ['campaignId', 'disputeId'])
export class CampaignEntryEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Index() @Column({ type: 'uuid', name: 'campaign_id' }) campaignId!: string;
  @ManyToOne(() => CampaignEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'campaign_id' }) campaign!: Relation<CampaignEntity>;
  @Column({ type: 'uuid', name: 'dispute_id' }) disputeId!: string;
  @ManyToOne(() => DisputeEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'dispute_id' }) dispute!: Relation<DisputeEntity>;
  @Column({ type: 'int' }) position!: number;
  @Index({ unique: true }) @Column({ type: 'uuid', name: 'debate_id', nullable: true }) debateId!: string | null;
  @ManyToOne(() => DebateEntity, { onDelete: 'SET NULL' }) @JoinColumn({ name: 'debate_id' }) debate!: Relation<DebateEntity> | null;
}
