import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { ROLES, type Role } from '../../../../libs/contracts/src/index.js';

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
  @ApiPropertyOptional({ description: 'World generator parameters (width, depth, hideProbability, labellerNoise, ...)' })
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
  @ApiProperty({ description: 'The protocol spec (kind, rounds, speech limits, debaters, judges, adjudication)' })
  @IsObject()
  spec!: Record<string, unknown>;
}

export class StartDebateDto {
  @ApiProperty() @IsUUID() disputeId!: string;
  @ApiProperty() @IsUUID() protocolId!: string;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(50) @IsUUID('all', { each: true }) judgeIds?: string[];
}

export class SpeechDto {
  @ApiProperty({ example: 'A' }) @IsString() @Matches(/^[A-H]$/, { message: 'seat must be one of A to H' }) seat!: string;
  @ApiProperty({ description: 'The speech; cite evidence as [[evidence-id]]' }) @IsString() @MinLength(1) @MaxLength(100_000) text!: string;
}

export class VerdictDto {
  @ApiProperty({ example: 'final', description: '"round-<n>" after round n, or "final"' })
  @IsString()
  @Matches(/^(final|round-\d{1,3})$/, { message: 'stage must be "final" or "round-<n>"' })
  stage!: string;
  @ApiProperty({ type: [Number], description: 'one probability per answer, summing to 1' })
  @IsArray()
  @ArrayMaxSize(100)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { each: true })
  probabilities!: number[];
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(5000) note?: string;
}

export class PageQuery {
  @ApiPropertyOptional({ default: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset?: number;
}

export class DebatesQuery {
  @ApiPropertyOptional() @IsOptional() @IsIn(['pending', 'running', 'awaiting_judges', 'judging', 'completed', 'failed']) status?: string;
  @ApiPropertyOptional({ default: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
}

export class LabelsQuery {
  @ApiPropertyOptional({ default: '0', description: 'return labels with a sequence number greater than this' })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'after must be a non-negative integer' })
  after?: string;
  @ApiPropertyOptional({ default: 1000 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10_000) limit?: number;
  @ApiPropertyOptional() @IsOptional() @IsUUID() datasetId?: string;
}
