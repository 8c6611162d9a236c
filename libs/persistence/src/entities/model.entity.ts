import { Column, JoinColumn, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn, Unique, type Relation } from 'typeorm';
import {
  MODEL_VERSION_STATUSES,
  TRAINING_JOB_STATUSES,
  type ModelVersionStatus,
  type TrainingJobStatus,
} from '../../../contracts/src/index.js';
import { ItemEntity } from './dataset.entity.js';

@Entity('model_versions')
export class ModelVersionEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Index({ unique: true }) @Column({ type: 'text' }) name!: string;
  @Column({ type: 'enum', enum: MODEL_VERSION_STATUSES, enumName: 'model_version_status', default: 'candidate' })
  status!: ModelVersionStatus;
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

@Entity('training_jobs')
export class TrainingJobEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'enum', enum: TRAINING_JOB_STATUSES, enumName: 'training_job_status', default: 'queued' })
  status!: TrainingJobStatus;
  @Column({ type: 'jsonb', default: {} }) config!: Record<string, unknown>;
  @Column({ type: 'uuid', name: 'model_version_id', nullable: true }) modelVersionId!: string | null;
  @ManyToOne(() => ModelVersionEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'model_version_id' })
  modelVersion!: Relation<ModelVersionEntity> | null;
  @Column({ type: 'text', nullable: true }) error!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @Column({ type: 'timestamptz', name: 'started_at', nullable: true }) startedAt!: Date | null;
  @Column({ type: 'timestamptz', name: 'finished_at', nullable: true }) finishedAt!: Date | null;
}
