import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { DEBATER_BACKENDS, JUDGE_KINDS, PROTOCOL_KINDS, type DebaterBackend, type JudgeKind, type ProtocolKind } from './domain.js';

export class SpeechLimits {
  @IsInt() @Min(20) @Max(100_000) maxChars!: number;
  @IsInt() @Min(0) @Max(50) maxCitations!: number;
}

export class DebaterSpec {
  @IsIn(DEBATER_BACKENDS) backend!: DebaterBackend;
}

export class JudgeSpec {
  @IsInt() @Min(1) @Max(50) count!: number;
  @IsIn(JUDGE_KINDS) kind!: JudgeKind;
}

export const ASSIGNMENTS = ['simple-vs-alternative', 'random'] as const;
export type Assignment = (typeof ASSIGNMENTS)[number];

export class AdjudicationSpec {
  @IsIn(['mean']) method!: 'mean';
  /** Clear-cut rule: the aggregate probability of the winning answer must reach this. */
  @IsNumber() @Min(0.5) @Max(1) threshold!: number;
}

/**
 * A researcher's recipe for a debate, stored as data. This is the first cut: fixed rounds between
 * built-in or manual debaters, human or simulated judges, mean aggregation with a clear-cut threshold.
 */
export class ProtocolSpec {
  @IsIn(PROTOCOL_KINDS) kind!: ProtocolKind;
  @IsInt() @Min(0) @Max(20) rounds!: number;
  @IsIn(['sequential']) turnOrder!: 'sequential';
  @IsDefined() @ValidateNested() @Type(() => SpeechLimits) speech!: SpeechLimits;
  @IsIn(ASSIGNMENTS) assignment!: Assignment;
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => DebaterSpec)
  @ArrayMinSize(0)
  @ArrayMaxSize(8)
  debaters!: DebaterSpec[];
  @IsDefined() @ValidateNested() @Type(() => JudgeSpec) judges!: JudgeSpec;
  /** Judges give probabilities after every round, and the next round waits for them. */
  @IsBoolean() judgeEachRound!: boolean;
  @IsDefined() @ValidateNested() @Type(() => AdjudicationSpec) adjudication!: AdjudicationSpec;
  @IsOptional() @IsInt() @Min(1) @Max(86_400) turnTimeoutSeconds?: number;
}

export const DEFAULT_DEBATE_PROTOCOL: ProtocolSpec = {
  kind: 'debate',
  rounds: 2,
  turnOrder: 'sequential',
  speech: { maxChars: 1200, maxCitations: 3 },
  assignment: 'simple-vs-alternative',
  debaters: [{ backend: 'builtin' }, { backend: 'builtin' }],
  judges: { count: 1, kind: 'simulated' },
  judgeEachRound: true,
  adjudication: { method: 'mean', threshold: 0.7 },
};
