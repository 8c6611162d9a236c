import { Column, JoinColumn, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn, Unique, type Relation } from 'typeorm';
import type { EvidenceUnit } from '#tribunal/contracts';

@Entity('datasets')
export class DatasetEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Index({ unique: true }) @Column({ type: 'text' }) name!: string;
  /** Where the items came from: `world` (the built-in world), `upload`, `import`. */
  @Column({ type: 'text' }) source!: string;
  @Column({ type: 'jsonb', default: {} }) params!: Record<string, unknown>;
  /** How its model is kept up to date: retraining trigger, promotion, re-scoring, dispute selection. */
  @Column({ type: 'jsonb', name: 'model_policy', default: {} }) modelPolicy!: Record<string, unknown>;
  /**
   * `loading` while its items are written chunk by chunk (invisible to every operation but the
   * list), `ready` once all are. A load that fails is removed; one whose process died is removed
   * once its lease (`loading_until`, renewed with every chunk) has run out.
   */
  @Column({ type: 'text', default: 'ready' }) status!: 'loading' | 'ready';
  /** The number of items a load in progress will have written when it is done. */
  @Column({ type: 'int', name: 'loading_total', nullable: true }) loadingTotal!: number | null;
  @Column({ type: 'timestamptz', name: 'loading_until', nullable: true }) loadingUntil!: Date | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}

@Entity('items')
@Unique('items_dataset_external', ['datasetId', 'externalId'])
export class ItemEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Index() @Column({ type: 'uuid', name: 'dataset_id' }) datasetId!: string;
  @ManyToOne(() => DatasetEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'dataset_id' }) dataset!: Relation<DatasetEntity>;
  @Column({ type: 'text', name: 'external_id' }) externalId!: string;
  /** What a judge may see of the input (for the built-in world, the camera view). */
  @Column({ type: 'jsonb' }) context!: Record<string, unknown>;
  /** Evidence units debaters may cite; a judge sees only those cited and verified. */
  @Column({ type: 'jsonb' }) evidence!: EvidenceUnit[];
  @Column({ type: 'text' }) question!: string;
  @Column({ type: 'jsonb' }) answers!: string[];
  /** The cheap label; null for items that came without one (an imported archive). */
  @Column({ type: 'int', name: 'simple_label', nullable: true }) simpleLabel!: number | null;
  @Column({ type: 'int', name: 'ground_truth', nullable: true }) groundTruth!: number | null;
  @Column({ type: 'real', array: true, nullable: true }) features!: number[] | null;
  @Column({ type: 'jsonb', default: {} }) meta!: Record<string, unknown>;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
