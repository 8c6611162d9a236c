import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArchitectureDoc,
  ExperimentConfigDoc,
  ExperimentResultsDoc,
  FeatureRowDoc,
  ProtocolSpecDoc,
  SelectionRulesDoc,
  TrainingSettingsDoc,
  UploadItemDoc,
  WorldParamsDoc,
} from './dto-docs.js';
import { Type } from 'class-transformer';
import { Bulk } from './validation.js';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { ROLES, WEBHOOK_EVENTS, type Role, type WebhookEvent } from '#tribunal/contracts';

const NAME = /^[a-z0-9][a-z0-9._-]*$/;
const NAME_RULE = 'must be lower-case letters, digits, ".", "_" or "-", starting with a letter or digit';

export class CreateUserDto {
  @ApiProperty({ example: 'alice' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  @Matches(NAME, { message: `name ${NAME_RULE}` })
  name!: string;
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES) role!: Role;
}

export class LoadWorldDto {
  @ApiProperty({ example: 'rooms-1' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @Matches(NAME, { message: `name ${NAME_RULE}` })
  name!: string;
  @ApiProperty({ example: 7 }) @IsInt() @Min(0) @Max(2 ** 31 - 1) seed!: number;
  @ApiProperty({ example: 200 }) @IsInt() @Min(1) @Max(100_000) size!: number;
  @ApiPropertyOptional({ type: WorldParamsDoc, description: 'World generator parameters; each has a default' })
  @IsOptional()
  @IsObject()
  params?: Record<string, unknown>;
}

export class SelectDisputesDto {
  @ApiPropertyOptional({ default: 0.05 }) @IsOptional() @IsNumber() @Min(0) @Max(1) auditFraction?: number;
  @ApiPropertyOptional({ default: 4 }) @IsOptional() @IsInt() @Min(0) @Max(10_000) minBlindCells?: number;
  @ApiPropertyOptional({ default: 1 }) @IsOptional() @IsInt() @Min(0) @Max(2 ** 31 - 1) seed?: number;
}

export class CreateProtocolDto {
  @ApiProperty({ example: 'two-rounds' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @Matches(NAME, { message: `name ${NAME_RULE}` })
  name!: string;
  @ApiProperty({ type: ProtocolSpecDoc, description: 'The protocol spec (kind, rounds, speech limits, debaters, judges, adjudication)' })
  // Checked by validateProtocolSpec (libs/debate), whose messages name each field's path.
  @IsObject()
  spec!: Record<string, unknown>;
}

export class StartDebateDto {
  @ApiProperty() @IsUUID() disputeId!: string;
  @ApiProperty() @IsUUID() protocolId!: string;
  @ApiPropertyOptional({ type: [Number], description: 'one answer index per debater, for protocols with explicit assignment' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(8)
  @IsInt({ each: true })
  answers?: number[];
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(50) @IsUUID('all', { each: true }) judgeIds?: string[];
  @ApiPropertyOptional({
    type: [String],
    description: 'the debater users who speak for the manual seats, one per manual seat in seat order',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(8)
  @IsUUID('all', { each: true })
  debaterIds?: string[];
}

export class SpeechDto {
  @ApiProperty({ example: 'A' }) @IsString() @Matches(/^[A-H]$/, { message: 'seat must be one of A to H' }) seat!: string;
  @ApiProperty({ description: 'The speech; cite evidence as [[evidence-id]]' }) @IsString() @MinLength(1) @MaxLength(100_000) text!: string;
}

export class VerdictDto {
  @ApiProperty({ example: 'final', description: '"judge-<n>" for the judge round at position n, or "final"' })
  @IsString()
  @Matches(/^(final|judge-\d{1,3})$/, { message: 'stage must be "final" or "judge-<n>"' })
  stage!: string;
  @ApiProperty({ type: [Number], description: 'one probability per answer, summing to 1' })
  @IsArray()
  @ArrayMaxSize(100)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { each: true })
  probabilities!: number[];
  @ApiPropertyOptional({ description: "the judge's note; in interactive protocols, a question the debaters read" })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  note?: string;
  @ApiPropertyOptional({ description: 'ask to end the debate here, where the protocol lets judges end it' })
  @IsOptional()
  @IsBoolean()
  endDebate?: boolean;
}

export class LaunchCampaignDto {
  @ApiProperty({ example: 'khan-debate-sweep' }) @IsString() @MinLength(1) @MaxLength(200) name!: string;
  @ApiProperty() @IsUUID() protocolId!: string;
  @ApiPropertyOptional({ type: [String], description: 'the disputes to debate, in order' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100_000)
  @IsUUID('all', { each: true })
  disputeIds?: string[];
  @ApiPropertyOptional({ description: 'debate every open dispute of this dataset' }) @IsOptional() @IsUUID() datasetId?: string;
  @ApiProperty({ example: 4, description: 'debates running at once, at most' }) @IsInt() @Min(1) @Max(1000) concurrency!: number;
}

export class PageQuery {
  @ApiPropertyOptional({ default: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset?: number;
}

export class DebatesQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() campaignId?: string;
  @ApiPropertyOptional() @IsOptional() @IsIn(['pending', 'running', 'awaiting_judges', 'judging', 'completed', 'failed']) status?: string;
  @ApiPropertyOptional({ default: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
}

export class LabelsQuery {
  @ApiPropertyOptional({ default: '0', description: 'labels with a sequence number greater than this' })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'after must be a non-negative integer' })
  after?: string;
  @ApiPropertyOptional({ description: 'at most this many labels (default: all of them, streamed)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  limit?: number;
  @ApiPropertyOptional() @IsOptional() @IsUUID() datasetId?: string;
  @ApiPropertyOptional({
    enum: ['small', 'large'],
    description: 'small: labels agreeing with the simple label; large: every accepted label',
  })
  @IsOptional()
  @IsIn(['small', 'large'])
  set?: 'small' | 'large';
  @ApiPropertyOptional({ description: 'labels created at or after this time (ISO 8601)' }) @IsOptional() @IsISO8601() since?: string;
  @ApiPropertyOptional({ description: 'labels from debates under this protocol name' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  protocol?: string;
}

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://pipeline.example.com/tribunal' })
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }, { message: 'url must be an http(s) URL' })
  url!: string;
  @ApiPropertyOptional({ enum: WEBHOOK_EVENTS, isArray: true, default: WEBHOOK_EVENTS })
  @IsOptional()
  @IsArray()
  @IsIn(WEBHOOK_EVENTS, { each: true })
  events?: WebhookEvent[];
  @ApiPropertyOptional({ description: 'only labels of this dataset' }) @IsOptional() @IsUUID() datasetId?: string;
}

export class ImportNyuDto {
  @ApiProperty({
    description: "the archive's directory or .tgz, inside the server's import directory (TRIBUNAL_IMPORT_DIR); relative to it",
  })
  @IsString()
  @MinLength(1)
  @MaxLength(4096)
  path!: string;
  @ApiProperty({ example: 'nyu-debate-2023' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @Matches(NAME, { message: `name ${NAME_RULE}` })
  name!: string;
}

export class AnalyticsQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() datasetId?: string;
  @ApiPropertyOptional({ enum: ['protocol', 'setting'], default: 'protocol' }) @IsOptional() @IsIn(['protocol', 'setting']) by?:
    'protocol' | 'setting';
  @ApiPropertyOptional({ description: "only rooms an imported archive marks as in its paper's analysis" })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'paper must be true or false' })
  paper?: 'true' | 'false';
}

export class TrainDto {
  @ApiProperty() @IsUUID() datasetId!: string;
  @ApiPropertyOptional({
    type: ArchitectureDoc,
    description: 'The trunk: hidden layer widths, activation (relu or gelu), and how many first trunk layers count in θ₁ with the heads',
    example: { hidden: [64], activation: 'relu', theta1TrunkLayers: 0 },
  })
  @IsOptional()
  @IsObject()
  architecture?: Record<string, unknown>;
  @ApiPropertyOptional({
    type: TrainingSettingsDoc,
    description:
      'Objective and schedule: lambda (consistency on the small set), mu (instrumental head on simple labels), alpha1/alpha2 (prior on θ₁/θ₂), steps, batchSize, learningRate, beta1, beta2, eps, weightDecay, seed, evalEvery, checkpointEvery',
    example: { steps: 400, lambda: 1, alpha1: 0.0001, alpha2: 0.0001 },
  })
  @IsOptional()
  @IsObject()
  settings?: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'fail rather than train on the CPU when no GPU can be used' })
  @IsOptional()
  @IsBoolean()
  requireGpu?: boolean;
  @ApiPropertyOptional({
    description:
      "Methods to train beside the two-head model and its naive baseline on the same labels, seed and schedule, reported in the version's evaluation.methods: complex-only, mixture, two-head-lambda0, two-head-mu0, oracle (default none)",
    type: [String],
    example: ['complex-only', 'mixture', 'oracle'],
  })
  // Checked by trainingProblems, whose message lists the known names.
  @IsOptional()
  methods?: string[];
  @ApiPropertyOptional({
    description:
      'Train on at most this many of the complex-process labels, a sample drawn with the seed when the job starts (default: all); the simple labels are never sampled',
    type: 'integer',
    example: 20,
    nullable: true,
  })
  // Checked by trainingProblems.
  @IsOptional()
  complexLabels?: number | null;
}

export class ModelsQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() datasetId?: string;
}

export class PromoteDto {
  @ApiPropertyOptional({ description: "score the dataset again with the promoted version (default: the dataset's policy)" })
  @IsOptional()
  @IsBoolean()
  rescore?: boolean;
  @ApiPropertyOptional({ type: SelectionRulesDoc, description: 'dispute selection rules for the re-scoring, over the policy' })
  @IsOptional()
  @IsObject()
  selection?: Record<string, unknown>;
}

export class ScoreDto {
  @ApiPropertyOptional({ description: "the version to score with; default the dataset's active version" })
  @IsOptional()
  @IsUUID()
  modelVersionId?: string;
  @ApiPropertyOptional({ description: 'choose disputes from the predictions (default true)' }) @IsOptional() @IsBoolean() select?: boolean;
  @ApiPropertyOptional({
    type: SelectionRulesDoc,
    description: 'margin, divergence, auditFraction (0..1), budget (whole number or null), seed; over the policy',
    example: { margin: 0.2, divergence: 0.3, auditFraction: 0.02, budget: 50 },
  })
  @IsOptional()
  @IsObject()
  selection?: Record<string, unknown>;
}

export class UploadDatasetDto {
  @ApiProperty({ example: 'trivia' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @Matches(NAME, { message: `name ${NAME_RULE}` })
  name!: string;
  @ApiProperty({
    type: [UploadItemDoc],
    description: 'The items, all or none; each is checked by the service, which names the first bad one by its index',
    example: [{ externalId: 'q1', question: 'Who wrote it?', answers: ['the cook', 'the butler'], simpleLabel: 0 }],
  })
  @IsArray()
  @Bulk()
  items!: unknown[];
}

export class FeaturesDto {
  @ApiProperty({
    type: [FeatureRowDoc],
    description: 'Feature vectors by external id',
    example: [{ externalId: 'q1', features: [0.1, -0.3] }],
  })
  @IsArray()
  @Bulk()
  items!: unknown[];
}

export class RecordExperimentDto {
  @ApiProperty({ example: 'headline' }) @IsString() @MinLength(1) @MaxLength(200) name!: string;
  @ApiProperty({ type: ExperimentConfigDoc, description: 'the experiment config, as run' }) @IsObject() config!: Record<string, unknown>;
  @ApiProperty({ type: ExperimentResultsDoc, description: 'the results, as `tribunal experiment` writes them to results.json' })
  @IsObject()
  results!: Record<string, unknown>;
  @ApiProperty({ description: 'the printed table' }) @IsString() @MaxLength(100_000) summary!: string;
}

/**
 * A change of a dataset's model policy: the fields given replace the stored ones. Declared as a
 * type, not a class, so that the body reaches the service as sent: `modelPolicy` checks it and names
 * every unknown field with the list of known ones. Documented by `ModelPolicyChangeDoc`.
 */
export interface ModelPolicyDto {
  heldOutFraction?: number;
  retrainEveryLabels?: number | null;
  autoPromote?: boolean;
  rescoreOnPromote?: boolean;
  training?: Record<string, unknown>;
  selection?: Record<string, unknown>;
}
