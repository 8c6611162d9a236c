import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, type Relation } from 'typeorm';
import { WEBHOOK_DELIVERY_STATUSES, type WebhookDeliveryStatus, type WebhookEvent } from '#tribunal/contracts';
import { UserEntity } from './user.entity.js';

/** Where a pipeline wants labels pushed. The secret signs each delivery; it is kept because signing needs it. */
@Entity('webhooks')
export class WebhookEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) url!: string;
  @Column({ type: 'text' }) secret!: string;
  @Column({ type: 'jsonb' }) events!: WebhookEvent[];
  /** Only labels of this dataset, when set. */
  @Column({ type: 'uuid', name: 'dataset_id', nullable: true }) datasetId!: string | null;
  /** The user who created it: they (and admins) alone see, read and disable it. Null: admins only. */
  @Index() @Column({ type: 'uuid', name: 'created_by', nullable: true }) createdBy!: string | null;
  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL', nullable: true }) @JoinColumn({ name: 'created_by' }) creator?: Relation<UserEntity>;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @Column({ type: 'timestamptz', name: 'disabled_at', nullable: true }) disabledAt!: Date | null;
}

/** One event for one webhook: its id is the idempotency key the receiver sees on every attempt. */
@Entity('webhook_deliveries')
@Unique('webhook_deliveries_once', ['webhookId', 'labelSeq', 'event'])
export class WebhookDeliveryEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Index() @Column({ type: 'uuid', name: 'webhook_id' }) webhookId!: string;
  @ManyToOne(() => WebhookEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'webhook_id' }) webhook!: Relation<WebhookEntity>;
  @Column({ type: 'bigint', name: 'label_seq' }) labelSeq!: string;
  @Column({ type: 'text' }) event!: WebhookEvent;
  @Column({ type: 'enum', enum: WEBHOOK_DELIVERY_STATUSES, enumName: 'webhook_delivery_status', default: 'pending' })
  status!: WebhookDeliveryStatus;
  @Column({ type: 'int', default: 0 }) attempts!: number;
  @Column({ type: 'int', name: 'last_status', nullable: true }) lastStatus!: number | null;
  @Column({ type: 'text', name: 'last_error', nullable: true }) lastError!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @Column({ type: 'timestamptz', name: 'delivered_at', nullable: true }) deliveredAt!: Date | null;
}
