import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  AGGREGATIONS,
  ASSIGNMENTS,
  DEBATER_BACKENDS,
  EXPERIMENT_KINDS,
  JUDGE_KINDS,
  OVER_LIMIT,
  PROTOCOL_KINDS,
  ROUND_TYPES,
} from '#tribunal/contracts';

/**
 * Documentation-only shapes of request bodies' nested parts. The request pipe does not build these
 * classes: the nested parts reach the services as sent, where the domain's own checks (protocol
 * specs, training requests, selection rules, world parameters, upload items) refuse a bad one with
 * a message naming its path and the known fields. These classes say in OpenAPI what those checks accept.
 */

export class WorldParamsDoc {
  @ApiPropertyOptional({ type: 'integer', description: 'cells across, default 6' }) width?: number;
  @ApiPropertyOptional({ type: 'integer', description: 'cells away from the camera, default 6' }) depth?: number;
  @ApiPropertyOptional({ type: [Number], minItems: 2, maxItems: 2, description: 'inclusive range of objects per room, default [2, 7]' })
  objectsPerRoom?: [number, number];
  @ApiPropertyOptional({ type: [Number], minItems: 2, maxItems: 2, description: 'inclusive range of occluders per room, default [1, 3]' })
  occludersPerRoom?: [number, number];
  @ApiPropertyOptional({ type: Number, description: 'chance a target object is placed behind an occluder, default 0.35' })
  hideProbability?: number;
  @ApiPropertyOptional({ type: Number, description: 'chance the simple labeller is off by one, default 0.08' }) labellerNoise?: number;
  @ApiPropertyOptional({ type: 'integer', description: 'citations a speech may carry, default 3' }) maxCitations?: number;
}

export class RoundSpecDoc {
  @ApiProperty({ enum: ROUND_TYPES }) type!: string;
  @ApiPropertyOptional({ type: 'integer', description: 'speech rounds: characters per speech' }) charLimit?: number;
  @ApiPropertyOptional({ type: 'integer', description: 'speech rounds: quoted characters per speech' }) quoteLimit?: number;
  @ApiPropertyOptional({ type: Boolean, description: "judge rounds: the judges' probabilities and notes are shown to the debaters" })
  visibleToDebaters?: boolean;
  @ApiPropertyOptional({ type: 'integer', description: "judge rounds: characters in a judge's note" }) noteLimit?: number;
}

export class StructureSpecDoc {
  @ApiProperty({ type: [RoundSpecDoc] }) opening!: RoundSpecDoc[];
  @ApiProperty({ type: [RoundSpecDoc] }) repeating!: RoundSpecDoc[];
  @ApiProperty({ type: [RoundSpecDoc] }) closing!: RoundSpecDoc[];
}

export class EndSpecDoc {
  @ApiProperty({ type: 'integer' }) maxRepeats!: number;
  @ApiProperty({ type: Boolean }) judgeMayEnd!: boolean;
}

export class LimitsSpecDoc {
  @ApiProperty({ type: 'integer' }) chars!: number;
  @ApiPropertyOptional({ type: 'integer' }) tokens?: number;
  @ApiPropertyOptional({ type: 'integer' }) quoteChars?: number;
  @ApiProperty({ type: 'integer' }) citations!: number;
  @ApiProperty({ enum: OVER_LIMIT }) overLimit!: string;
  @ApiPropertyOptional({ type: 'integer' }) retries?: number;
}

export class BestOfSpecDoc {
  @ApiProperty({ type: 'integer' }) n!: number;
  @ApiProperty({ type: String }) endpoint!: string;
  @ApiProperty({ type: String }) model!: string;
}

export class DebaterSpecDoc {
  @ApiProperty({ enum: DEBATER_BACKENDS }) backend!: string;
  @ApiPropertyOptional({ type: String, description: 'openai: a configured endpoint name (TRIBUNAL_ENDPOINTS)' }) endpoint?: string;
  @ApiPropertyOptional({ type: String }) model?: string;
  @ApiPropertyOptional({ type: Number }) temperature?: number;
  @ApiPropertyOptional({ type: Number }) topP?: number;
  @ApiPropertyOptional({ type: BestOfSpecDoc }) bestOf?: BestOfSpecDoc;
  @ApiPropertyOptional({ type: 'integer', description: 'manual: seconds a person has for a speech before the debate fails' })
  deadlineSeconds?: number;
}

export class JudgesSpecDoc {
  @ApiProperty({ type: 'integer' }) count!: number;
  @ApiProperty({ enum: JUDGE_KINDS }) kind!: string;
  @ApiPropertyOptional({ type: String }) endpoint?: string;
  @ApiPropertyOptional({ type: String }) model?: string;
  @ApiPropertyOptional({ type: 'integer' }) deadlineSeconds?: number;
  @ApiPropertyOptional({ enum: ['shown', 'hidden'], description: "the item's public context, shown to judges (default) or hidden" })
  context?: string;
}

export class ScoringSpecDoc {
  @ApiProperty({ enum: ['log'] }) kind!: string;
  @ApiProperty({ type: Number }) base!: number;
  @ApiProperty({ type: Number }) perTurnPenalty!: number;
}

export class RequeueSpecDoc {
  @ApiProperty({ type: 'integer' }) maxDebates!: number;
  @ApiPropertyOptional({ type: String, format: 'uuid' }) protocolId?: string;
}

export class AdjudicationSpecDoc {
  @ApiProperty({ enum: AGGREGATIONS }) method!: string;
  @ApiProperty({ type: Number }) threshold!: number;
  @ApiPropertyOptional({ type: Boolean }) unanimous?: boolean;
  @ApiPropertyOptional({ type: 'integer' }) minJudges?: number;
  @ApiPropertyOptional({ type: RequeueSpecDoc }) requeue?: RequeueSpecDoc;
}

export class PromptsSpecDoc {
  @ApiPropertyOptional({ type: String }) debaterSystem?: string;
  @ApiPropertyOptional({ type: String }) debaterTurn?: string;
  @ApiPropertyOptional({ type: String }) judge?: string;
}

/** libs/contracts' ProtocolSpec, as OpenAPI sees it. */
export class ProtocolSpecDoc {
  @ApiProperty({ enum: PROTOCOL_KINDS }) kind!: string;
  @ApiPropertyOptional({ type: String }) description?: string;
  @ApiProperty({ type: StructureSpecDoc }) structure!: StructureSpecDoc;
  @ApiProperty({ type: EndSpecDoc }) end!: EndSpecDoc;
  @ApiProperty({ type: LimitsSpecDoc }) limits!: LimitsSpecDoc;
  @ApiProperty({ enum: ASSIGNMENTS }) assignment!: string;
  @ApiProperty({ type: [DebaterSpecDoc] }) debaters!: DebaterSpecDoc[];
  @ApiProperty({ type: JudgesSpecDoc }) judges!: JudgesSpecDoc;
  @ApiProperty({ type: ScoringSpecDoc }) scoring!: ScoringSpecDoc;
  @ApiProperty({ type: AdjudicationSpecDoc }) adjudication!: AdjudicationSpecDoc;
  @ApiPropertyOptional({ type: PromptsSpecDoc }) prompts?: PromptsSpecDoc;
  @ApiPropertyOptional({ type: 'integer' }) speechTimeoutSeconds?: number;
}

export class ArchitectureDoc {
  @ApiPropertyOptional({ type: 'array', items: { type: 'integer' }, description: 'hidden layer widths, at most 8, each 1 to 8192' })
  hidden?: number[];
  @ApiPropertyOptional({ enum: ['relu', 'gelu'] }) activation?: string;
  @ApiPropertyOptional({ type: 'integer', description: 'first trunk layers counted in θ₁ with the heads' }) theta1TrunkLayers?: number;
}

export class TrainingSettingsDoc {
  @ApiPropertyOptional({ type: 'integer' }) steps?: number;
  @ApiPropertyOptional({ type: 'integer' }) batchSize?: number;
  @ApiPropertyOptional({ type: Number }) learningRate?: number;
  @ApiPropertyOptional({ type: Number }) beta1?: number;
  @ApiPropertyOptional({ type: Number }) beta2?: number;
  @ApiPropertyOptional({ type: Number }) eps?: number;
  @ApiPropertyOptional({ type: Number }) weightDecay?: number;
  @ApiPropertyOptional({ type: Number, description: 'weight of the consistency term on the small set' }) lambda?: number;
  @ApiPropertyOptional({ type: Number, description: 'weight of the instrumental head on simple labels' }) mu?: number;
  @ApiPropertyOptional({ type: Number, description: 'prior weight on θ₁' }) alpha1?: number;
  @ApiPropertyOptional({ type: Number, description: 'prior weight on θ₂' }) alpha2?: number;
  @ApiPropertyOptional({ type: 'integer' }) seed?: number;
  @ApiPropertyOptional({ type: 'integer' }) evalEvery?: number;
  @ApiPropertyOptional({ type: 'integer' }) checkpointEvery?: number;
}

export class SelectionRulesDoc {
  @ApiPropertyOptional({ type: Number, description: 'intended head over the simple label by at least this probability' })
  margin?: number;
  @ApiPropertyOptional({ type: Number, description: "heads' total-variation distance at least this" }) divergence?: number;
  @ApiPropertyOptional({ type: Number, description: 'fraction of items drawn at random for audit' }) auditFraction?: number;
  @ApiPropertyOptional({ type: 'integer', nullable: true, description: 'model-flagged disputes per scoring, at most' })
  budget?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'most of the training split ever disputed' })
  maxDisputedFraction?: number | null;
  @ApiPropertyOptional({ type: 'integer' }) seed?: number;
}

export class TrainingDefaultsDoc {
  @ApiPropertyOptional({ type: ArchitectureDoc }) architecture?: ArchitectureDoc;
  @ApiPropertyOptional({ type: TrainingSettingsDoc }) settings?: TrainingSettingsDoc;
  @ApiPropertyOptional({ type: [String] }) methods?: string[];
}

/** The body of PUT /datasets/{id}/model-policy: the fields given replace the stored ones. */
export class ModelPolicyChangeDoc {
  @ApiPropertyOptional({ type: Number, description: 'fraction of items held out, from 0 to below 1' }) heldOutFraction?: number;
  @ApiPropertyOptional({ type: 'integer', nullable: true, description: 'queue training every this many new labels; null: by hand' })
  retrainEveryLabels?: number | null;
  @ApiPropertyOptional({ type: Boolean }) autoPromote?: boolean;
  @ApiPropertyOptional({ type: Boolean }) rescoreOnPromote?: boolean;
  @ApiPropertyOptional({ type: TrainingDefaultsDoc }) training?: TrainingDefaultsDoc;
  @ApiPropertyOptional({ type: SelectionRulesDoc }) selection?: SelectionRulesDoc;
}

class EvidenceUnitDoc {
  @ApiProperty({ type: String }) id!: string;
  @ApiProperty({ type: String }) kind!: string;
  @ApiProperty({ type: String }) text!: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) reading?: Record<string, unknown>;
}

/** One item of an upload (the list is checked by the dataset service item by item, not by the request pipe). */
export class UploadItemDoc {
  @ApiProperty({ type: String, example: 'q1' }) externalId!: string;
  @ApiProperty({ type: String, example: 'Who wrote it?' }) question!: string;
  @ApiProperty({ type: [String], minItems: 2, example: ['the cook', 'the butler'] }) answers!: string[];
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'what a judge may see' }) context?: Record<
    string,
    unknown
  >;
  @ApiPropertyOptional({ type: [EvidenceUnitDoc] }) evidence?: EvidenceUnitDoc[];
  @ApiPropertyOptional({ type: 'integer', nullable: true, description: 'index of the cheap label' }) simpleLabel?: number | null;
  @ApiPropertyOptional({ type: 'integer', nullable: true }) groundTruth?: number | null;
  @ApiPropertyOptional({ type: [Number], description: 'feature vector, one length for all items' }) features?: number[];
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) meta?: Record<string, unknown>;
}

export class FeatureRowDoc {
  @ApiProperty({ type: String, example: 'q1' }) externalId!: string;
  @ApiProperty({ type: [Number], example: [0.1, -0.3] }) features!: number[];
}

/** The headline experiment's config (libs/contracts/src/experiments.ts, docs/experiments.md). */
export class ExperimentConfigDoc {
  @ApiPropertyOptional({ type: String }) name?: string;
  @ApiPropertyOptional({ type: 'array', items: { type: 'integer' } }) seeds?: number[];
  @ApiPropertyOptional({ type: 'array', items: { type: 'object', additionalProperties: true } }) worlds?: Record<string, unknown>[];
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) comparison?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) training?: Record<string, unknown>;
  @ApiPropertyOptional({
    type: 'object',
    properties: Object.fromEntries(EXPERIMENT_KINDS.map((k) => [k, { type: 'object', additionalProperties: true }])),
  })
  protocols?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'integer' }) judges?: number;
  @ApiPropertyOptional({ type: 'integer' }) concurrency?: number;
}

/** What `tribunal experiment` writes to results.json: `ExperimentResult` in libs/contracts/src/experiments.ts, docs/experiments.md. */
export class ExperimentResultsDoc {
  @ApiPropertyOptional({ type: 'integer', example: 2 }) schemaVersion?: number;
  @ApiPropertyOptional({ type: ExperimentConfigDoc }) config?: ExperimentConfigDoc;
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'per world, its rooms judged under every protocol',
  })
  comparisons?: Record<string, unknown>[];
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: "per world and seed: the loop's rounds and every method's accuracy",
  })
  runs?: Record<string, unknown>[];
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'per world, the runs pooled over seeds',
  })
  worlds?: Record<string, unknown>[];
  @ApiPropertyOptional({ type: Number }) seconds?: number;
}
