import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import {
  CAMPAIGN_STATUSES,
  DEBATE_STATUSES,
  DISPUTE_STATUSES,
  MODEL_VERSION_STATUSES,
  PROTOCOL_KINDS,
  ROLES,
  TRAINING_JOB_STATUSES,
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_EVENTS,
  type AssignmentView,
  type AwaitingView,
  type CampaignProgressView,
  type CampaignView,
  type CitationView,
  type CountView,
  type CreatedUserView,
  type CreatedWebhookView,
  type DatasetView,
  type DebateSourcesView,
  type DebateSummaryView,
  type DebaterDebateView,
  type DebaterJudgementView,
  type DebaterStandingView,
  type DisabledView,
  type DisputeView,
  type DraftView,
  type ExperimentView,
  type ImportReportView,
  type ItemView,
  type JudgeDebateView,
  type JudgeOutcomesView,
  type JudgeOutcomeView,
  type JudgeRecordPointView,
  type JudgeRecordView,
  type JudgeStandingView,
  type LabelRecord,
  type ModelPolicyView,
  type ModelVersionView,
  type PrincipalView,
  type PromotionView,
  type QuotedSpanView,
  type SpeakingView,
  type ProtocolComparisonView,
  type ProtocolStatsView,
  type ProtocolVersionView,
  type ProtocolView,
  type ReliabilityBinView,
  type RevokedKeysView,
  type ScoringRunView,
  type SeatView,
  type SpeechAcceptedView,
  type TrainingJobView,
  type TrainingPoint,
  type TrainingStatusView,
  type TurnView,
  type UpdatedView,
  type VerdictAcceptedView,
  type VerdictView,
  type WebhookDeliveryView,
  type WebhookView,
} from '#tribunal/contracts';

/**
 * The OpenAPI side of the response views of libs/contracts/src/api.ts: one documented class per
 * view, each declared to implement its contract so that the two cannot drift apart. The mappers
 * (./mappers.ts) build the views from records.
 */

const Str = (o: ApiPropertyOptions = {}) => ApiProperty({ type: String, ...o } as ApiPropertyOptions);
const NStr = (o: ApiPropertyOptions = {}) => ApiProperty({ type: String, nullable: true, ...o } as ApiPropertyOptions);
const Time = (o: ApiPropertyOptions = {}) => ApiProperty({ type: String, format: 'date-time', ...o } as ApiPropertyOptions);
const NTime = (o: ApiPropertyOptions = {}) =>
  ApiProperty({ type: String, format: 'date-time', nullable: true, ...o } as ApiPropertyOptions);
const Int = (o: ApiPropertyOptions = {}) => ApiProperty({ type: 'integer', ...o } as ApiPropertyOptions);
const NInt = (o: ApiPropertyOptions = {}) => ApiProperty({ type: 'integer', nullable: true, ...o } as ApiPropertyOptions);
const Num = (o: ApiPropertyOptions = {}) => ApiProperty({ type: Number, ...o } as ApiPropertyOptions);
const NNum = (o: ApiPropertyOptions = {}) => ApiProperty({ type: Number, nullable: true, ...o } as ApiPropertyOptions);
const Bool = (o: ApiPropertyOptions = {}) => ApiProperty({ type: Boolean, ...o } as ApiPropertyOptions);
/** A JSON object whose fields this document does not list (a spec, a config, results). */
const Obj = (o: ApiPropertyOptions = {}) => ApiProperty({ type: 'object', additionalProperties: true, ...o } as ApiPropertyOptions);
const NObj = (o: ApiPropertyOptions = {}) =>
  ApiProperty({ type: 'object', additionalProperties: true, nullable: true, ...o } as ApiPropertyOptions);

export class StatusOkDoc {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
}

export class ReadinessDoc {
  @ApiProperty({ enum: ['ready', 'not ready'] }) status!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'object', additionalProperties: true },
    description: 'each check by name: whether it passed, and what failed',
  })
  checks!: Record<string, unknown>;
}

export class PrincipalDoc implements PrincipalView {
  @Str({ format: 'uuid' }) id!: string;
  @Str() name!: string;
  @ApiProperty({ enum: ROLES }) role!: PrincipalView['role'];
}

export class CreatedUserDoc implements CreatedUserView {
  @ApiProperty({ type: PrincipalDoc }) user!: PrincipalDoc;
  @Str({ description: 'the API key, shown this once' }) key!: string;
}

export class RevokedKeysDoc implements RevokedKeysView {
  @Int() revoked!: number;
}

class LoadingDoc {
  @Int() done!: number;
  @Int() total!: number;
}

export class DatasetDoc implements DatasetView {
  @Str({ format: 'uuid' }) id!: string;
  @Str() name!: string;
  @Str({ description: 'world, upload or import' }) source!: string;
  @Obj() params!: Record<string, unknown>;
  @ApiProperty({ enum: ['loading', 'ready'] }) status!: 'loading' | 'ready';
  @Int({ description: 'items stored so far' }) items!: number;
  @ApiPropertyOptional({ type: LoadingDoc, description: "a load's progress" }) loading?: LoadingDoc;
  @Time() createdAt!: string;
}

export class UpdatedDoc implements UpdatedView {
  @Int() updated!: number;
}

class EvidenceDoc {
  @Str() id!: string;
  @Str() kind!: string;
  @Str() text!: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) reading?: Record<string, unknown>;
}

export class ItemDoc implements ItemView {
  @Str({ format: 'uuid' }) id!: string;
  @Str({ format: 'uuid' }) datasetId!: string;
  @Str() externalId!: string;
  @Obj({ description: 'what a judge may see of the input' }) context!: Record<string, unknown>;
  @ApiProperty({ type: [EvidenceDoc] }) evidence!: EvidenceDoc[];
  @Str() question!: string;
  @ApiProperty({ type: [String] }) answers!: string[];
  @NInt() simpleLabel!: number | null;
  @NInt() groundTruth!: number | null;
  @ApiProperty({ type: [Number], nullable: true }) features!: number[] | null;
  @Obj() meta!: Record<string, unknown>;
  @Time() createdAt!: string;
}

class DisputeReasonDoc {
  @ApiProperty({ enum: ['audit', 'rule', 'intended-vs-simple', 'heads-disagree', 'judges-disagree', 'imported'] })
  kind!: DisputeView['reasons'][number]['kind'];
  @Str() detail!: string;
  @ApiPropertyOptional({ type: 'integer' }) suggestedAnswer?: number;
}

export class DisputeDoc implements DisputeView {
  @Str({ format: 'uuid' }) id!: string;
  @Str({ format: 'uuid' }) itemId!: string;
  @ApiProperty({ type: [DisputeReasonDoc] }) reasons!: DisputeReasonDoc[];
  @ApiProperty({ enum: DISPUTE_STATUSES }) status!: DisputeView['status'];
  @NStr({ format: 'uuid' }) modelVersionId!: string | null;
  @Time() createdAt!: string;
}

class SkippedDoc {
  @Str() room!: string;
  @Str() reason!: string;
}

class CorrectSeatDoc {
  @Int() rooms!: number;
  @Int() A!: number;
  @Int() B!: number;
}

export class ImportReportDoc implements ImportReportView {
  @Str({ format: 'uuid' }) datasetId!: string;
  @Int() imported!: number;
  @ApiProperty({ type: [SkippedDoc] }) skipped!: SkippedDoc[];
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    description: 'protocol ids by archive setting',
  })
  protocols!: Record<string, string[]>;
  @ApiProperty({ type: CorrectSeatDoc }) correctSeat!: CorrectSeatDoc;
}

export class ProtocolVersionDoc implements ProtocolVersionView {
  @Str({ format: 'uuid' }) id!: string;
  @Str() name!: string;
  @Int() version!: number;
  @ApiProperty({ enum: PROTOCOL_KINDS }) kind!: ProtocolVersionView['kind'];
  @Obj({ description: 'the protocol spec, as stored' }) spec!: Record<string, unknown>;
  @NStr({ format: 'uuid' }) createdBy!: string | null;
  @Time() createdAt!: string;
  @NTime() lockedAt!: string | null;
}

class DebaterSeatDoc {
  @Str() seat!: string;
  @Int() answer!: number;
  @ApiProperty({ enum: ['builtin', 'manual', 'openai'] }) backend!: 'builtin' | 'manual' | 'openai';
  @ApiPropertyOptional({ type: String }) name?: string;
  @ApiPropertyOptional({ type: String, format: 'uuid', description: 'the debater user who holds this manual seat' }) userId?: string;
}

export class DebateSummaryDoc implements DebateSummaryView {
  @Str({ format: 'uuid' }) id!: string;
  @Str({ format: 'uuid' }) disputeId!: string;
  @Str({ format: 'uuid' }) itemId!: string;
  @Str({ format: 'uuid' }) protocolId!: string;
  @ApiProperty({ enum: DEBATE_STATUSES }) status!: DebateSummaryView['status'];
  @ApiProperty({ type: [DebaterSeatDoc] }) seats!: DebaterSeatDoc[];
  @NStr() failureReason!: string | null;
  @NStr({ format: 'uuid' }) campaignId!: string | null;
  @Time() createdAt!: string;
  @NTime() endedAt!: string | null;
}

class CitationDoc implements CitationView {
  @ApiProperty({ enum: ['evidence', 'quote'] }) kind!: 'evidence' | 'quote';
  @NStr() evidenceId!: string | null;
  @Bool() verified!: boolean;
  @NStr() excerpt!: string | null;
  @ApiProperty({ type: [Number], nullable: true, minItems: 2, maxItems: 2 }) at!: [number, number] | null;
}

class TurnDoc implements TurnView {
  @Int() index!: number;
  @Int() round!: number;
  @Str() seat!: string;
  @Str() text!: string;
  @ApiProperty({ type: [CitationDoc] }) citations!: CitationDoc[];
  @Time() createdAt!: string;
}

class DraftDoc implements DraftView {
  @Int() index!: number;
  @Str() seat!: string;
  @Str() text!: string;
}

class SeatDoc implements SeatView {
  @Str() seat!: string;
  @Int() answer!: number;
}

class VerdictDoc implements VerdictView {
  @Str() stage!: string;
  @ApiProperty({ type: [Number] }) probabilities!: number[];
  @NStr() note!: string | null;
  @Bool() endsDebate!: boolean;
}

class RoundDoc {
  @Int() position!: number;
  @ApiProperty({ enum: ['speeches', 'judge'] }) type!: ProtocolView['rounds'][number]['type'];
  @NStr() stage!: string | null;
}

class LimitsDoc {
  @Int() chars!: number;
  @Int() citations!: number;
  @NInt() quoteChars!: number | null;
}

class ScoringRuleDoc {
  @ApiProperty({ enum: ['log'] }) kind!: 'log';
  @Num() base!: number;
  @Num() perTurnPenalty!: number;
}

class JudgeProtocolDoc implements ProtocolView {
  @ApiProperty({ enum: PROTOCOL_KINDS }) kind!: ProtocolView['kind'];
  @NStr() description!: string | null;
  @ApiProperty({ type: [RoundDoc] }) rounds!: RoundDoc[];
  @Bool() judgeMayEnd!: boolean;
  @ApiProperty({ type: LimitsDoc }) limits!: LimitsDoc;
  @ApiProperty({ type: ScoringRuleDoc }) scoring!: ScoringRuleDoc;
}

class AwaitingDoc implements AwaitingView {
  @Str() stage!: string;
  @Bool() mayEnd!: boolean;
  @Bool() noteVisibleToDebaters!: boolean;
  @NInt() noteLimit!: number | null;
}

export class JudgeDebateDoc implements JudgeDebateView {
  @Str({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: DEBATE_STATUSES }) status!: JudgeDebateView['status'];
  @ApiProperty({ type: JudgeProtocolDoc }) protocol!: JudgeProtocolDoc;
  @Str() question!: string;
  @ApiProperty({ type: [String] }) answers!: string[];
  @Obj({ description: 'the public part of the item' }) context!: Record<string, unknown>;
  @ApiProperty({ type: [SeatDoc] }) seats!: SeatDoc[];
  @ApiProperty({ type: [TurnDoc] }) turns!: TurnDoc[];
  @ApiProperty({ type: [DraftDoc] }) drafts!: DraftDoc[];
  @ApiProperty({ type: AwaitingDoc, nullable: true }) awaiting!: AwaitingDoc | null;
  @ApiProperty({ type: [VerdictDoc], description: "this judge's own verdicts" }) myVerdicts!: VerdictDoc[];
}

class SourceDoc {
  @Str() id!: string;
  @Str() kind!: string;
  @Str() text!: string;
}

class SpeechLimitsDoc {
  @Int() chars!: number;
  @NInt() quoteChars!: number | null;
  @Int() citations!: number;
}

class SpeakingDoc implements SpeakingView {
  @Int({ description: 'the turn the speech will be' }) index!: number;
  @Int() round!: number;
  @Bool() simultaneous!: boolean;
  @ApiProperty({ type: SpeechLimitsDoc }) limits!: SpeechLimitsDoc;
  @NTime({ description: 'a speech not given by then fails the debate' }) dueAt!: string | null;
}

class DebaterJudgementDoc implements DebaterJudgementView {
  @Str() stage!: string;
  @ApiProperty({ type: [Number] }) probabilities!: number[];
  @NStr() note!: string | null;
}

export class DebaterDebateDoc implements DebaterDebateView {
  @Str({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: DEBATE_STATUSES }) status!: DebaterDebateView['status'];
  @ApiProperty({ type: JudgeProtocolDoc }) protocol!: JudgeProtocolDoc;
  @Str() question!: string;
  @ApiProperty({ type: [String] }) answers!: string[];
  @Obj({ description: 'the public part of the item' }) context!: Record<string, unknown>;
  @ApiProperty({ type: [SourceDoc], description: "the evidence speeches cite or quote: a text item's story" }) evidence!: SourceDoc[];
  @Str({ description: 'the seat the caller speaks for' }) seat!: string;
  @Int() answer!: number;
  @ApiProperty({ type: [SeatDoc] }) seats!: SeatDoc[];
  @ApiProperty({ type: [TurnDoc], description: 'the speeches the caller may read now' }) turns!: TurnDoc[];
  @ApiProperty({ type: [DebaterJudgementDoc], description: "the judges' answers the protocol shows debaters" })
  judgements!: DebaterJudgementDoc[];
  @ApiProperty({ type: SpeakingDoc, nullable: true, description: 'the speech asked of the caller now' }) speaking!: SpeakingDoc | null;
}

class QuotedSpanDoc implements QuotedSpanView {
  @Int() turn!: number;
  @Str() seat!: string;
  @ApiProperty({ type: [Number], nullable: true, minItems: 2, maxItems: 2, description: 'where the quotation stands in the speech' })
  at!: [number, number] | null;
  @Str() evidenceId!: string;
  @ApiProperty({ type: [Number], minItems: 2, maxItems: 2, description: "where it stands in the evidence unit's text" }) span!: [
    number,
    number,
  ];
}

export class DebateSourcesDoc implements DebateSourcesView {
  @ApiProperty({ type: [SourceDoc] }) evidence!: SourceDoc[];
  @ApiProperty({ type: [QuotedSpanDoc] }) quotes!: QuotedSpanDoc[];
}

export class AssignmentDoc implements AssignmentView {
  @Str({ format: 'uuid' }) debateId!: string;
  @ApiProperty({ enum: DEBATE_STATUSES }) status!: AssignmentView['status'];
  @Str() question!: string;
  @NStr({ description: 'judges: the stage asked of them; debaters: "speech" while a speech is asked of them' }) awaiting!: string | null;
  @Time() createdAt!: string;
}

export class SpeechAcceptedDoc implements SpeechAcceptedView {
  @Int() index!: number;
}

export class VerdictAcceptedDoc implements VerdictAcceptedView {
  @Str() stage!: string;
  @Bool({ description: 'the same verdict had already been given' }) duplicate!: boolean;
}

export class CampaignDoc implements CampaignView {
  @Str({ format: 'uuid' }) id!: string;
  @Str() name!: string;
  @Str({ format: 'uuid' }) protocolId!: string;
  @ApiProperty({ enum: CAMPAIGN_STATUSES }) status!: CampaignView['status'];
  @Int() concurrency!: number;
  @NStr({ format: 'uuid' }) createdBy!: string | null;
  @Time() createdAt!: string;
  @NTime() finishedAt!: string | null;
}

export class CampaignProgressDoc implements CampaignProgressView {
  @Str({ format: 'uuid' }) campaignId!: string;
  @ApiProperty({ enum: CAMPAIGN_STATUSES }) status!: CampaignProgressView['status'];
  @Int({ description: 'disputes not yet debated' }) waiting!: number;
  @ApiProperty({
    type: 'object',
    properties: Object.fromEntries(DEBATE_STATUSES.map((s) => [s, { type: 'integer' }])),
    description: 'debates by status',
  })
  debates!: CampaignProgressView['debates'];
  @Int() total!: number;
}

class ReliabilityBinDoc implements ReliabilityBinView {
  @Num() from!: number;
  @Num() to!: number;
  @Int() count!: number;
  @Num() meanConfidence!: number;
  @Num() accuracy!: number;
}

class ProtocolStatsDoc implements ProtocolStatsView {
  @Int() debates!: number;
  @Int() failed!: number;
  @Int() judged!: number;
  @NNum({ description: 'share of final answers on the truth; a tie counts in part (0.5/0.5 is half right)' }) accuracy!: number | null;
  @NNum() brier!: number | null;
  @NNum() ece!: number | null;
  @NNum() meanReward!: number | null;
  @NNum({ description: 'speeches per debater' }) meanSpeechRounds!: number | null;
  @NNum({ description: 'answers a judge gave before their final one, per judge and debate (the NYU 2023 paper\'s "rounds")' })
  meanContinues!: number | null;
  @NNum() medianSecondsToVerdict!: number | null;
  @NNum() meanInformationGain!: number | null;
  @NNum() agreement!: number | null;
  @ApiProperty({ type: [ReliabilityBinDoc] }) reliability!: ReliabilityBinDoc[];
}

class ComparedProtocolDoc {
  @Str() id!: string;
  @Str() name!: string;
  @Int() version!: number;
  @Str() kind!: string;
}

export class ProtocolComparisonDoc implements ProtocolComparisonView {
  @ApiProperty({ type: ComparedProtocolDoc }) protocol!: ComparedProtocolDoc;
  @ApiProperty({ type: ProtocolStatsDoc }) stats!: ProtocolStatsDoc;
}

export class JudgeStandingDoc implements JudgeStandingView {
  @Str() judge!: string;
  @Int() debates!: number;
  @Int() judged!: number;
  @NNum() accuracy!: number | null;
  @NNum() meanReward!: number | null;
}

class ScoringRuleOfOutcomeDoc {
  @ApiProperty({ enum: ['log'] }) kind!: 'log';
  @Num() base!: number;
  @Num() perTurnPenalty!: number;
}

export class JudgeOutcomeDoc implements JudgeOutcomeView {
  @Str({ format: 'uuid' }) debateId!: string;
  @Time() endedAt!: string;
  @Str() question!: string;
  @ApiProperty({ type: [String] }) answers!: string[];
  @ApiProperty({ type: [Number], description: "the judge's last probabilities over the answers" }) final!: number[];
  @Int({ description: 'judge rounds answered before the final one' }) continues!: number;
  @ApiProperty({ enum: ['labelled', 'unresolved'], description: 'whether the process kept a label' })
  settlement!: 'labelled' | 'unresolved';
  @NInt({ description: "the answer of the item's latest label; null when none was kept" }) settledAnswer!: number | null;
  @NInt({ description: 'the correct answer, where known' }) truth!: number | null;
  @NNum({ description: '1 right, 0 wrong, 1/k when the truth is one of k answers tied at the top (0.5/0.5 is half right)' })
  correct!: number | null;
  @NNum({ description: 'the same against the settled answer' }) agreesWithLabel!: number | null;
  @NNum({ description: 'the reward under the scoring rule, where the truth is known' }) reward!: number | null;
  @ApiProperty({ type: ScoringRuleOfOutcomeDoc }) scoring!: ScoringRuleOfOutcomeDoc;
}

export class JudgeOutcomesDoc implements JudgeOutcomesView {
  @ApiProperty({ type: [JudgeOutcomeDoc], description: 'newest first' }) outcomes!: JudgeOutcomeDoc[];
  @Int({ description: 'ended debates whose outcome is withheld while their item is not settled or may be debated again' })
  withheld!: number;
}

class JudgeRecordPointDoc implements JudgeRecordPointView {
  @Str({ format: 'uuid' }) debateId!: string;
  @Time() endedAt!: string;
  @Int() judged!: number;
  @Num() accuracy!: number;
  @Num() meanReward!: number;
}

export class JudgeRecordDoc implements JudgeRecordView {
  @Int({ description: 'settled debates shown' }) settled!: number;
  @Int({ description: 'of those, the debates whose truth is known' }) judged!: number;
  @NNum({ description: 'ties count as the share of them that is right' }) accuracy!: number | null;
  @NNum() meanReward!: number | null;
  @NNum() brier!: number | null;
  @NNum() ece!: number | null;
  @NNum({ description: 'agreement with the settled labels' }) labelAgreement!: number | null;
  @ApiProperty({ type: [ReliabilityBinDoc] }) reliability!: ReliabilityBinDoc[];
  @ApiProperty({ type: [JudgeRecordPointDoc], description: 'running figures in the order the debates ended' })
  timeline!: JudgeRecordPointDoc[];
  @Int() withheld!: number;
}

class StrengthDoc {
  @Num() strength!: number;
  @Num() low!: number;
  @Num() high!: number;
}

export class DebaterStandingDoc implements DebaterStandingView {
  @Str() debater!: string;
  @Int() debates!: number;
  @Num({ description: 'debates won; a tied pool is a share of one (0.5 each for two sides)' }) wins!: number;
  @Num() winRate!: number;
  @NNum() winRateHonest!: number | null;
  @NNum() winRateDishonest!: number | null;
  @ApiProperty({ type: StrengthDoc, nullable: true }) strength!: StrengthDoc | null;
}

export class WebhookDoc implements WebhookView {
  @Str({ format: 'uuid' }) id!: string;
  @Str() url!: string;
  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true }) events!: WebhookView['events'];
  @NStr({ format: 'uuid' }) datasetId!: string | null;
  @NStr({ format: 'uuid' }) createdBy!: string | null;
  @Time() createdAt!: string;
  @NTime() disabledAt!: string | null;
}

export class CreatedWebhookDoc implements CreatedWebhookView {
  @ApiProperty({ type: WebhookDoc }) webhook!: WebhookDoc;
  @Str({ description: 'the signing secret, shown this once' }) secret!: string;
}

export class DisabledDoc implements DisabledView {
  @Bool() disabled!: boolean;
}

export class WebhookDeliveryDoc implements WebhookDeliveryView {
  @Str({ format: 'uuid', description: "the receiver's idempotency key" }) id!: string;
  @Str({ format: 'uuid' }) webhookId!: string;
  @Str() labelSeq!: string;
  @ApiProperty({ enum: WEBHOOK_EVENTS }) event!: WebhookDeliveryView['event'];
  @ApiProperty({ enum: WEBHOOK_DELIVERY_STATUSES }) status!: WebhookDeliveryView['status'];
  @Int() attempts!: number;
  @NInt() lastStatus!: number | null;
  @NStr() lastError!: string | null;
  @Time() createdAt!: string;
  @NTime() deliveredAt!: string | null;
}

class LabelProvenanceDebateDoc {
  @Str({ format: 'uuid' }) id!: string;
  @Str({ format: 'uuid' }) protocolId!: string;
  @Str() protocolName!: string;
  @Int() protocolVersion!: number;
}

class LabelProvenanceDoc {
  @Str({ format: 'uuid' }) disputeId!: string;
  @ApiProperty({ type: [LabelProvenanceDebateDoc] }) debates!: LabelProvenanceDebateDoc[];
  @ApiProperty({ type: [String], description: 'the verdicts pooled' }) verdicts!: string[];
}

/** One line of GET /labels, and the label of a webhook delivery. */
export class LabelRecordDoc implements LabelRecord {
  @Int() schemaVersion!: number;
  @Str({ description: 'sequence number: pass the last one as `after` to continue' }) seq!: string;
  @Str({ format: 'uuid' }) id!: string;
  @Str({ format: 'uuid' }) datasetId!: string;
  @Str({ format: 'uuid' }) itemId!: string;
  @Int() answer!: number;
  @ApiProperty({ type: [Number] }) distribution!: number[];
  @Str() method!: string;
  @Bool() agreesWithSimple!: boolean;
  @ApiProperty({ type: LabelProvenanceDoc }) provenance!: LabelProvenanceDoc;
  @NStr({ format: 'uuid', description: 'the label this one replaces' }) revises!: string | null;
  @Time() createdAt!: string;
}

export class CountDoc implements CountView {
  @Int() count!: number;
}

export class TrainingJobDoc implements TrainingJobView {
  @Str({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: TRAINING_JOB_STATUSES }) status!: TrainingJobView['status'];
  @Str({ format: 'uuid' }) datasetId!: string;
  @Str({ description: 'manual, or labels (the policy retrains every N new labels)' }) trigger!: string;
  @Obj() config!: Record<string, unknown>;
  @NInt() checkpointStep!: number | null;
  @NStr() device!: string | null;
  @NStr({ format: 'uuid' }) modelVersionId!: string | null;
  @NStr() error!: string | null;
  @Time() createdAt!: string;
  @NTime() startedAt!: string | null;
  @NTime() finishedAt!: string | null;
}

class LossDoc {
  @Num() total!: number;
  @Num() large!: number;
  @Num() consistency!: number;
  @Num() simple!: number;
  @Num() prior!: number;
}

class HeldOutDoc {
  @NNum() intended!: number | null;
  @NNum() instrumental!: number | null;
  @NNum() baseline!: number | null;
}

class TrainingPointDoc implements TrainingPoint {
  @Int() step!: number;
  @Int() steps!: number;
  @ApiProperty({ type: LossDoc }) loss!: LossDoc;
  @Num() baselineLoss!: number;
  @ApiProperty({ type: HeldOutDoc }) heldOut!: HeldOutDoc;
}

export class TrainingStatusDoc implements TrainingStatusView {
  @Str({ format: 'uuid' }) trainingJobId!: string;
  @Str({ format: 'uuid' }) datasetId!: string;
  @ApiProperty({ enum: TRAINING_JOB_STATUSES }) status!: TrainingStatusView['status'];
  @NStr() device!: string | null;
  @ApiProperty({ type: [TrainingPointDoc] }) progress!: TrainingPointDoc[];
  @NStr({ format: 'uuid' }) modelVersionId!: string | null;
  @NStr() error!: string | null;
}

export class ModelVersionDoc implements ModelVersionView {
  @Str({ format: 'uuid' }) id!: string;
  @Str() name!: string;
  @ApiProperty({ enum: MODEL_VERSION_STATUSES }) status!: ModelVersionView['status'];
  @Str({ format: 'uuid' }) datasetId!: string;
  @NStr({ format: 'uuid' }) trainingJobId!: string | null;
  @NStr({ description: 'SHA-256 of the inference ONNX file' }) sha256!: string | null;
  @Obj() config!: Record<string, unknown>;
  @Obj({ description: 'held-out metrics of each head, the baseline and any extra methods' }) evaluation!: Record<string, unknown>;
  @NTime() promotedAt!: string | null;
  @Time() createdAt!: string;
}

export class ScoringRunDoc implements ScoringRunView {
  @Str({ format: 'uuid' }) id!: string;
  @Str({ format: 'uuid' }) modelVersionId!: string;
  @Str({ format: 'uuid' }) datasetId!: string;
  @ApiProperty({ enum: TRAINING_JOB_STATUSES }) status!: ScoringRunView['status'];
  @NObj({ description: 'how disputes are chosen; null scores without choosing' }) selection!: Record<string, unknown> | null;
  @Int() scored!: number;
  @Int() total!: number;
  @NInt() disputesCreated!: number | null;
  @NStr() error!: string | null;
  @Time() createdAt!: string;
  @NTime() finishedAt!: string | null;
}

export class PromotionDoc implements PromotionView {
  @ApiProperty({ type: ModelVersionDoc }) version!: ModelVersionDoc;
  @ApiProperty({ type: ScoringRunDoc, nullable: true }) scoringRun!: ScoringRunDoc | null;
}

export class ModelPolicyDoc implements ModelPolicyView {
  @Num() heldOutFraction!: number;
  @NInt() retrainEveryLabels!: number | null;
  @Bool() autoPromote!: boolean;
  @Bool() rescoreOnPromote!: boolean;
  @Obj({ description: 'defaults for training jobs: architecture, settings, methods' }) training!: Record<string, unknown>;
  @Obj({ description: 'dispute selection rules' }) selection!: Record<string, unknown>;
}

export class ExperimentDoc implements ExperimentView {
  @Str({ format: 'uuid' }) id!: string;
  @Str() name!: string;
  @Obj() config!: Record<string, unknown>;
  @Obj() results!: Record<string, unknown>;
  @Str() summary!: string;
  @Time() createdAt!: string;
}

/** Protocol presets by name: each a spec ready to POST /protocols. */
export const PRESETS_SCHEMA = {
  type: 'object',
  additionalProperties: { type: 'object', additionalProperties: true },
} as const;
