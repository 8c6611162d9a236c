import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
  type Relation,
} from 'typeorm';
import {
  DEBATE_STATUSES,
  DISPUTE_STATUSES,
  PROTOCOL_KINDS,
  type DebateStatus,
  type DebaterSeat,
  type DisputeReason,
  type DisputeStatus,
  type ProtocolKind,
} from '#tribunal/contracts';
import { ItemEntity } from './dataset.entity.js';
import { ModelVersionEntity } from './model.entity.js';

@Entity('disputes')
export class DisputeEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Index() @Column({ type: 'uuid', name: 'item_id' }) itemId!: string;
  @ManyToOne(() => ItemEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'item_id' }) item!: Relation<ItemEntity>;
  /** Why the item was selected: every rule that flagged it. */
  @Column({ type: 'jsonb' }) reasons!: DisputeReason[];
  @Column({ type: 'enum', enum: DISPUTE_STATUSES, enumName: 'dispute_status', default: 'open' }) status!: DisputeStatus;
  @Column({ type: 'uuid', name: 'model_version_id', nullable: true }) modelVersionId!: string | null;
  @ManyToOne(() => ModelVersionEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'model_version_id' })
  modelVersion!: Relation<ModelVersionEntity> | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}

/** One immutable version of a protocol; editing a protocol adds a version. */
@Entity('protocols')
@Unique('protocols_name_version', ['name', 'version'])
export class ProtocolEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'int' }) version!: number;
  @Column({ type: 'enum', enum: PROTOCOL_KINDS, enumName: 'protocol_kind' }) kind!: ProtocolKind;
  @Column({ type: 'jsonb' }) spec!: Record<string, unknown>;
  @Column({ type: 'uuid', name: 'created_by', nullable: true }) createdBy!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  /** Set when the first debate runs under this version; from then on it never changes. */
  @Column({ type: 'timestamptz', name: 'locked_at', nullable: true }) lockedAt!: Date | null;
}

@Entity('debates')
export class DebateEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Index() @Column({ type: 'uuid', name: 'dispute_id' }) disputeId!: string;
  @ManyToOne(() => DisputeEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'dispute_id' }) dispute!: Relation<DisputeEntity>;
  @Index() @Column({ type: 'uuid', name: 'item_id' }) itemId!: string;
  @ManyToOne(() => ItemEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'item_id' }) item!: Relation<ItemEntity>;
  @Column({ type: 'uuid', name: 'protocol_id' }) protocolId!: string;
  @ManyToOne(() => ProtocolEntity, { onDelete: 'RESTRICT' }) @JoinColumn({ name: 'protocol_id' }) protocol!: Relation<ProtocolEntity>;
  @Index()
  @Column({ type: 'enum', enum: DEBATE_STATUSES, enumName: 'debate_status', default: 'pending' })
  status!: DebateStatus;
  @Column({ type: 'jsonb' }) seats!: DebaterSeat[];
  @Column({ type: 'text', name: 'failure_reason', nullable: true }) failureReason!: string | null;
  @Index() @Column({ type: 'uuid', name: 'campaign_id', nullable: true }) campaignId!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @Column({ type: 'timestamptz', name: 'ended_at', nullable: true }) endedAt!: Date | null;
}

@Entity('turns')
@Unique('turns_debate_index', ['debateId', 'index'])
export class TurnEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'debate_id' }) debateId!: string;
  @ManyToOne(() => DebateEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'debate_id' }) debate!: Relation<DebateEntity>;
  /** Position in the debate, from 0; unique, so a retried step cannot append a turn twice. */
  @Column({ type: 'int' }) index!: number;
  @Column({ type: 'int' }) round!: number;
  @Column({ type: 'text' }) seat!: string;
  @Column({ type: 'text' }) text!: string;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}

@Entity('citations')
export class CitationEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Index() @Column({ type: 'uuid', name: 'turn_id' }) turnId!: string;
  @ManyToOne(() => TurnEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'turn_id' }) turn!: Relation<TurnEntity>;
  /** `evidence` (an id cited as [[id]]) or `quote` (text quoted as <quote>…</quote>). */
  @Column({ type: 'text' }) kind!: 'evidence' | 'quote';
  /** The evidence unit cited, or in which a quotation was found (or came closest). */
  @Column({ type: 'text', name: 'evidence_id', nullable: true }) evidenceId!: string | null;
  @Column({ type: 'text', nullable: true }) quote!: string | null;
  @Column({ type: 'boolean' }) verified!: boolean;
  /** For quotations: how close the best match is, from 0 to 1. */
  @Column({ type: 'real', nullable: true }) score!: number | null;
  /** What a judge is shown of a verified citation; null when it did not verify. */
  @Column({ type: 'text', nullable: true }) excerpt!: string | null;
  /** Verified quotations: where they stand in the evidence unit's text. */
  @Column({ type: 'int', name: 'span_start', nullable: true }) spanStart!: number | null;
  @Column({ type: 'int', name: 'span_end', nullable: true }) spanEnd!: number | null;
  /** Where the citation stands in the speech. */
  @Column({ type: 'int', name: 'at_start', nullable: true }) atStart!: number | null;
  @Column({ type: 'int', name: 'at_end', nullable: true }) atEnd!: number | null;
}

/** The text of a speech still being written, kept so that a judge who (re)joins sees it so far. */
@Entity('speech_drafts')
export class SpeechDraftEntity {
  @PrimaryColumn({ type: 'uuid', name: 'debate_id' }) debateId!: string;
  @PrimaryColumn({ type: 'int' }) index!: number;
  @ManyToOne(() => DebateEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'debate_id' }) debate!: Relation<DebateEntity>;
  @Column({ type: 'text' }) seat!: string;
  @Column({ type: 'text' }) text!: string;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}
