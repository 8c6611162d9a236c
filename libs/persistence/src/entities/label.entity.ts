import { Column, Generated, JoinColumn, CreateDateColumn, Entity, Index, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import type { LabelProvenance } from '#tribunal/contracts';
import { DatasetEntity, ItemEntity } from './dataset.entity.js';

export type { LabelProvenance };

/** A complex-process label. `seq` orders labels for incremental pulls by pipelines. */
@Entity('labels')
export class LabelEntity {
  @PrimaryColumn({ type: 'bigint' }) seq!: string;
  @Index({ unique: true }) @Column({ type: 'uuid' }) @Generated('uuid') id!: string;
  @Index() @Column({ type: 'uuid', name: 'item_id' }) itemId!: string;
  @ManyToOne(() => ItemEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'item_id' }) item!: Relation<ItemEntity>;
  @Index() @Column({ type: 'uuid', name: 'dataset_id' }) datasetId!: string;
  @ManyToOne(() => DatasetEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'dataset_id' }) dataset!: Relation<DatasetEntity>;
  @Column({ type: 'int' }) answer!: number;
  @Column({ type: 'double precision', array: true }) distribution!: number[];
  @Column({ type: 'text' }) method!: string;
  @Column({ type: 'boolean', name: 'agrees_with_simple' }) agreesWithSimple!: boolean;
  @Column({ type: 'jsonb' }) provenance!: LabelProvenance;
  @Column({ type: 'int', name: 'schema_version' }) schemaVersion!: number;
  /** The label of the same dispute this one replaces, when the dispute was debated again after being labelled. */
  @Column({ type: 'uuid', nullable: true }) revises!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
