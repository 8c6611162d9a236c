import { Column, JoinColumn, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn, Unique, type Relation } from 'typeorm';
import { JUDGE_KINDS, type JudgeKind } from '#tribunal/contracts';
import { DebateEntity } from './debate.entity.js';
import { UserEntity } from './user.entity.js';

@Entity('judge_assignments')
@Unique('judge_assignments_debate_slot', ['debateId', 'slot'])
export class JudgeAssignmentEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Index() @Column({ type: 'uuid', name: 'debate_id' }) debateId!: string;
  @ManyToOne(() => DebateEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'debate_id' }) debate!: Relation<DebateEntity>;
  @Column({ type: 'int' }) slot!: number;
  @Column({ type: 'enum', enum: JUDGE_KINDS, enumName: 'judge_kind' }) kind!: JudgeKind;
  @Index() @Column({ type: 'uuid', name: 'judge_id', nullable: true }) judgeId!: string | null;
  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' }) @JoinColumn({ name: 'judge_id' }) judge!: Relation<UserEntity> | null;
  /** For judges who are not users here (an imported archive's): the name the archive gives them. */
  @Column({ type: 'text', name: 'judge_name', nullable: true }) judgeName!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}

/** A judge's probabilities over the answers: after a round (`round` set) or final (`round` null). */
@Entity('verdicts')
@Unique('verdicts_assignment_round', ['assignmentId', 'stage'])
export class VerdictEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'assignment_id' }) assignmentId!: string;
  @ManyToOne(() => JudgeAssignmentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'assignment_id' })
  assignment!: Relation<JudgeAssignmentEntity>;
  @Index() @Column({ type: 'uuid', name: 'debate_id' }) debateId!: string;
  /** `round-<n>` after round n, or `final`. */
  @Column({ type: 'text' }) stage!: string;
  @Column({ type: 'double precision', array: true }) probabilities!: number[];
  @Column({ type: 'text', nullable: true }) note!: string | null;
  /** The judge asked to end the debate here (where the protocol lets judges end it). */
  @Column({ type: 'boolean', name: 'ends_debate', default: false }) endsDebate!: boolean;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
