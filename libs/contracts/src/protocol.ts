import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { DEBATER_BACKENDS, JUDGE_KINDS, PROTOCOL_KINDS, type DebaterBackend, type JudgeKind, type ProtocolKind } from './domain.js';

export const ROUND_TYPES = ['judge', 'simultaneous', 'sequential'] as const;
export type RoundType = (typeof ROUND_TYPES)[number];

/**
 * One round of a protocol's structure, after the NYU debate platform: a judge round (the judges give
 * probabilities, and may write a note or question), or a round of speeches, all at once
 * (`simultaneous`: no debater sees another's speech of the same round) or one after another.
 */
export class RoundSpec {
  @IsIn(ROUND_TYPES) type!: RoundType;
  /** Speech rounds: characters per speech (overrides `limits.chars`). */
  @IsOptional() @IsInt() @Min(20) @Max(100_000) charLimit?: number;
  /** Speech rounds: quoted characters per speech (overrides `limits.quoteChars`). */
  @IsOptional() @IsInt() @Min(0) @Max(100_000) quoteLimit?: number;
  /** Judge rounds: the judges' probabilities and notes are shown to the debaters (judge feedback, questions). */
  @IsOptional() @IsBoolean() visibleToDebaters?: boolean;
  /** Judge rounds: characters in a judge's note or question. */
  @IsOptional() @IsInt() @Min(0) @Max(10_000) noteLimit?: number;
}

export class StructureSpec {
  @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => RoundSpec) opening!: RoundSpec[];
  @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => RoundSpec) repeating!: RoundSpec[];
  @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => RoundSpec) closing!: RoundSpec[];
}

/** When a debate ends: after `maxRepeats` runs of the repeating rounds, or earlier when the judges all say so. */
export class EndSpec {
  @IsInt() @Min(0) @Max(50) maxRepeats!: number;
  /** At a judge round, judges may end the debate; it ends when every judge asks to. */
  @IsBoolean() judgeMayEnd!: boolean;
}

export const OVER_LIMIT = ['truncate', 'retry'] as const;
export const JUDGE_CONTEXT = ['shown', 'hidden'] as const;

export class LimitsSpec {
  /** Characters per speech, unless a round says otherwise. */
  @IsInt() @Min(20) @Max(100_000) chars!: number;
  /** Tokens a model debater may generate per speech. */
  @IsOptional() @IsInt() @Min(1) @Max(100_000) tokens?: number;
  /** Characters of quotations per speech. */
  @IsOptional() @IsInt() @Min(0) @Max(100_000) quoteChars?: number;
  /** Evidence citations per speech. */
  @IsInt() @Min(0) @Max(50) citations!: number;
  /** What happens to a speech over a limit: cut at the limit, or asked for again (then cut). */
  @IsIn(OVER_LIMIT) overLimit!: (typeof OVER_LIMIT)[number];
  @IsOptional() @IsInt() @Min(0) @Max(5) retries?: number;
}

/** Sampling several candidate speeches and keeping the one a judge model rates highest. */
export class BestOfSpec {
  @IsInt() @Min(2) @Max(16) n!: number;
  @IsString() @Matches(/^[a-z0-9_-]+$/) endpoint!: string;
  @IsString() @MaxLength(200) model!: string;
}

export class DebaterSpec {
  @IsIn(DEBATER_BACKENDS) backend!: DebaterBackend;
  /** `openai`: the name of a configured OpenAI-compatible endpoint (TRIBUNAL_ENDPOINTS). */
  @IsOptional() @IsString() @Matches(/^[a-z0-9_-]+$/, { message: 'endpoint must be a configured endpoint name' }) endpoint?: string;
  @IsOptional() @IsString() @MaxLength(200) model?: string;
  @IsOptional() @IsNumber() @Min(0) @Max(2) temperature?: number;
  @IsOptional() @IsNumber() @Min(0) @Max(1) topP?: number;
  @IsOptional() @ValidateNested() @Type(() => BestOfSpec) bestOf?: BestOfSpec;
  /** `manual` seats: a speech not submitted this long after it is asked for ends the debate as failed. */
  @IsOptional() @IsInt() @Min(1) @Max(30 * 86_400) deadlineSeconds?: number;
}

export class JudgesSpec {
  @IsInt() @Min(1) @Max(50) count!: number;
  @IsIn(JUDGE_KINDS) kind!: JudgeKind;
  /** `llm` judges: a configured endpoint and model. */
  @IsOptional() @IsString() @Matches(/^[a-z0-9_-]+$/) endpoint?: string;
  @IsOptional() @IsString() @MaxLength(200) model?: string;
  /** A human judge who has not answered this long after being asked ends the debate as failed. */
  @IsOptional() @IsInt() @Min(1) @Max(30 * 86_400) deadlineSeconds?: number;
  /**
   * The item's public context (a passage, the camera view): `shown` to the judges (the default), or
   * `hidden`, so that they see only the question, the answers and the speeches with their verified
   * citations, as the NYU debates ran (the judge never reads the story).
   */
  @IsOptional() @IsIn(JUDGE_CONTEXT) context?: (typeof JUDGE_CONTEXT)[number];
}

/** The rule judges are scored by, shown to them: log score of the final probability on the truth, minus a penalty per judge round continued. */
export class ScoringSpec {
  @IsIn(['log']) kind!: 'log';
  @IsNumber() @Min(1.0001) @Max(100) base!: number;
  @IsNumber() @Min(0) @Max(10) perTurnPenalty!: number;
}

export const ASSIGNMENTS = ['simple-vs-model', 'top-two', 'random', 'explicit'] as const;
export type Assignment = (typeof ASSIGNMENTS)[number];

export const AGGREGATIONS = ['mean', 'log-pool', 'skill-weighted'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

/** When a dispute's debates are not clear-cut: debate it again, under this protocol (by default the same), up to `maxDebates` in all. */
export class RequeueSpec {
  @IsInt() @Min(2) @Max(20) maxDebates!: number;
  @IsOptional() @IsString() @Matches(/^[0-9a-f-]{36}$/, { message: 'protocolId must be a protocol id' }) protocolId?: string;
}

export class AdjudicationSpec {
  /**
   * How the final answers of every judge of every debate of the dispute are pooled: their mean, the
   * logarithmic opinion pool, or a mean weighted by each judge's record under the log score on items
   * whose answer is known.
   */
  @IsIn(AGGREGATIONS) method!: Aggregation;
  /** Clear-cut rule: the aggregate probability of the winning answer must reach this. */
  @IsNumber() @Min(0.5) @Max(1) threshold!: number;
  /** Clear-cut rule: every judge's own choice must be the winning answer. */
  @IsOptional() @IsBoolean() unanimous?: boolean;
  /** Clear-cut rule: at least this many judges' answers. */
  @IsOptional() @IsInt() @Min(1) @Max(100) minJudges?: number;
  @IsOptional() @ValidateNested() @Type(() => RequeueSpec) requeue?: RequeueSpec;
}

export class PromptsSpec {
  /** Template of the debater's system prompt. */
  @IsOptional() @IsString() @MaxLength(20_000) debaterSystem?: string;
  /** Template of the debater's request for one speech. */
  @IsOptional() @IsString() @MaxLength(20_000) debaterTurn?: string;
  /** Template of the request to a judge model. */
  @IsOptional() @IsString() @MaxLength(20_000) judge?: string;
}

/**
 * A researcher's recipe for a debate, stored as data, versioned, and immutable once used.
 * `direct` has no debaters (the judge answers alone), `consultancy` one, `debate` and `interactive`
 * two or more; `interactive` protocols show the judges' notes (questions) to the debaters.
 */
export class ProtocolSpec {
  @IsIn(PROTOCOL_KINDS) kind!: ProtocolKind;
  @IsOptional() @IsString() @MaxLength(2000) description?: string;
  @IsDefined() @ValidateNested() @Type(() => StructureSpec) structure!: StructureSpec;
  @IsDefined() @ValidateNested() @Type(() => EndSpec) end!: EndSpec;
  @IsDefined() @ValidateNested() @Type(() => LimitsSpec) limits!: LimitsSpec;
  @IsIn(ASSIGNMENTS) assignment!: Assignment;
  @IsArray() @ArrayMaxSize(8) @ValidateNested({ each: true }) @Type(() => DebaterSpec) debaters!: DebaterSpec[];
  @IsDefined() @ValidateNested() @Type(() => JudgesSpec) judges!: JudgesSpec;
  @IsDefined() @ValidateNested() @Type(() => ScoringSpec) scoring!: ScoringSpec;
  @IsDefined() @ValidateNested() @Type(() => AdjudicationSpec) adjudication!: AdjudicationSpec;
  @IsOptional() @ValidateNested() @Type(() => PromptsSpec) prompts?: PromptsSpec;
  /** How long a model debater may take over one speech before the attempt counts as failed. */
  @IsOptional() @IsInt() @Min(1) @Max(3600) speechTimeoutSeconds?: number;
}

/** Two built-in debaters, two rounds of sequential speeches, a simulated judge after each. */
export const DEFAULT_DEBATE_PROTOCOL: ProtocolSpec = {
  kind: 'debate',
  description: 'Two built-in debaters, two rounds of sequential speeches, judged after each round.',
  structure: { opening: [], repeating: [{ type: 'sequential' }, { type: 'judge' }], closing: [] },
  end: { maxRepeats: 2, judgeMayEnd: false },
  limits: { chars: 1200, citations: 3, overLimit: 'truncate' },
  assignment: 'simple-vs-model',
  debaters: [{ backend: 'builtin' }, { backend: 'builtin' }],
  judges: { count: 1, kind: 'simulated' },
  scoring: { kind: 'log', base: 2, perTurnPenalty: 0.05 },
  adjudication: { method: 'mean', threshold: 0.7 },
};
