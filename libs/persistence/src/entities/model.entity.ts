import { Column, JoinColumn, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn, Unique, type Relation } from 'typeorm';
import { MODEL_VERSION_STATUSES, TRAINING_JOB_STATUSES, type ModelVersionStatus, type TrainingJobStatus } from '#tribunal/contracts';
import { DatasetEntity, ItemEntity } from './dataset.entity.js';

/** A trained model: the inference ONNX graph, what it was trained on, and how it did on held-out items. */
@Entity('model_versions')
@Index('model_versions_one_active', ['datasetId'], { unique: true, where: `status = 'active'` })
export class ModelVersionEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Index({ unique: true }) @Column({ type: 'text' }) name!: string;
  @Column({ type: 'enum', enum: MODEL_VERSION_STATUSES, enumName: 'model_version_status', default: 'candidate' })
  status!: ModelVersionStatus;
  /** The dataset whose items it scores (its features and answer set). */
  @Index() @Column({ type: 'uuid', name: 'dataset_id' }) datasetId!: string;
  @ManyToOne(() => DatasetEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'dataset_id' }) dataset!: Relation<DatasetEntity>;
  @Column({ type: 'uuid', name: 'training_job_id', nullable: true }) trainingJobId!: string | null;
  @Column({ type: 'timestamptz', name: 'promoted_at', nullable: true }) promotedAt!: Date | null;
  /** SHA-256 of the inference ONNX file. */
  @Column({ type: 'text', nullable: true }) sha256!: string | null;
  @Column({ type: 'bytea', nullable: true }) onnx!: Buffer | null;
  @Column({ type: 'jsonb', default: {} }) config!: Record<string, unknown>;
  @Column({ type: 'jsonb', default: {} }) evaluation!: Record<string, unknown>;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}

@Entity('predictions')
@Unique('predictions_version_item', ['modelVersionId', 'itemId'])
export class PredictionEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'model_version_id' }) modelVersionId!: string;
  @ManyToOne(() => ModelVersionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'model_version_id' })
  modelVersion!: Relation<ModelVersionEntity>;
  @Index() @Column({ type: 'uuid', name: 'item_id' }) itemId!: string;
  @ManyToOne(() => ItemEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'item_id' }) item!: Relation<ItemEntity>;
  @Column({ type: 'real', array: true }) intended!: number[];
  @Column({ type: 'real', array: true }) instrumental!: number[];
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}

/**
 * A training run. Its data snapshot is taken when it first starts and kept, so a retried or resumed
 * run trains on exactly the same examples; its checkpoint lets a killed trainer resume.
 */
@Entity('training_jobs')
export class TrainingJobEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'enum', enum: TRAINING_JOB_STATUSES, enumName: 'training_job_status', default: 'queued' })
  status!: TrainingJobStatus;
  @Index() @Column({ type: 'uuid', name: 'dataset_id' }) datasetId!: string;
  @ManyToOne(() => DatasetEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'dataset_id' }) dataset!: Relation<DatasetEntity>;
  /** `manual`, or `labels` when a dataset's policy retrains every N new labels. */
  @Column({ type: 'text', default: 'manual' }) trigger!: string;
  @Column({ type: 'jsonb', default: {} }) config!: Record<string, unknown>;
  @Column({ type: 'jsonb', nullable: true }) snapshot!: Record<string, unknown> | null;
  /** Evaluation points so far: step, losses, held-out accuracy of each head. */
  @Column({ type: 'jsonb', default: [] }) progress!: Record<string, unknown>[];
  @Column({ type: 'bytea', nullable: true }) checkpoint!: Buffer | null;
  @Column({ type: 'int', name: 'checkpoint_step', nullable: true }) checkpointStep!: number | null;
  /** Where it ran (`cpu`, `cuda:0`), once started. */
  @Column({ type: 'text', nullable: true }) device!: string | null;
  @Column({ type: 'uuid', name: 'model_version_id', nullable: true }) modelVersionId!: string | null;
  @ManyToOne(() => ModelVersionEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'model_version_id' })
  modelVersion!: Relation<ModelVersionEntity> | null;
  @Column({ type: 'text', nullable: true }) error!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @Column({ type: 'timestamptz', name: 'started_at', nullable: true }) startedAt!: Date | null;
  @Column({ type: 'timestamptz', name: 'finished_at', nullable: true }) finishedAt!: Date | null;
}

/** One pass of a model version over a dataset: predictions for every item, then disputes chosen from them. */
@Entity('scoring_runs')
export class ScoringRunEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Index() @Column({ type: 'uuid', name: 'model_version_id' }) modelVersionId!: string;
  @ManyToOne(() => ModelVersionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'model_version_id' })
  modelVersion!: Relation<ModelVersionEntity>;
  @Index() @Column({ type: 'uuid', name: 'dataset_id' }) datasetId!: string;
  @ManyToOne(() => DatasetEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'dataset_id' }) dataset!: Relation<DatasetEntity>;
  /** queued, running, completed, failed. */
  @Column({ type: 'text', default: 'queued' }) status!: TrainingJobStatus;
  /** How disputes are chosen from the predictions; null scores without choosing. */
  @Column({ type: 'jsonb', nullable: true }) selection!: Record<string, unknown> | null;
  @Column({ type: 'int', default: 0 }) scored!: number;
  @Column({ type: 'int', default: 0 }) total!: number;
  @Column({ type: 'int', name: 'disputes_created', nullable: true }) disputesCreated!: number | null;
  @Column({ type: 'text', nullable: true }) error!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @Column({ type: 'timestamptz', name: 'finished_at', nullable: true }) finishedAt!: Date | null;
}
