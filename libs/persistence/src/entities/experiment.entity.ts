import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A headless experiment's configuration and results, as `tribunal experiment` reported them. */
@Entity('experiments')
export class ExperimentEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'jsonb' }) config!: Record<string, unknown>;
  @Column({ type: 'jsonb' }) results!: Record<string, unknown>;
  /** The printed table, as the command printed it. */
  @Column({ type: 'text' }) summary!: string;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
