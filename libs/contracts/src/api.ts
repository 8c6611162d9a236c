import type {
  CampaignStatus,
  DebateStatus,
  DebaterSeat,
  DisputeReason,
  DisputeStatus,
  EvidenceUnit,
  ModelVersionStatus,
  ProtocolKind,
  Role,
  TrainingJobStatus,
  WebhookDeliveryStatus,
  WebhookEvent,
} from './domain.js';

/**
 * What the HTTP API's responses carry, field by field. The API builds each of these from its
 * records with one mapper (apps/api/src/http/views.ts), so a renamed column cannot change the wire
 * format unnoticed; the OpenAPI document (apps/api/openapi.json) describes the same shapes, and the
 * typed client (api-types.ts) is generated from it. Times are ISO 8601 strings.
 * Browser-safe: types only.
 */

/** Who a key belongs to. */
export interface PrincipalView {
  id: string;
  name: string;
  role: Role;
}

export interface CreatedUserView {
  user: PrincipalView;
  /** The API key, shown this once. */
  key: string;
}

export interface RevokedKeysView {
  revoked: number;
}

export interface DatasetView {
  id: string;
  name: string;
  /** `world`, `upload` or `import`. */
  source: string;
  params: Record<string, unknown>;
  /** `loading` while its items are being written. */
  status: 'loading' | 'ready';
  /** Items stored so far. */
  items: number;
  /** A load's progress: items written of the total it will have. */
  loading?: { done: number; total: number };
  createdAt: string;
}

export interface UpdatedView {
  updated: number;
}

export interface ItemView {
  id: string;
  datasetId: string;
  externalId: string;
  context: Record<string, unknown>;
  evidence: EvidenceUnit[];
  question: string;
  answers: string[];
  simpleLabel: number | null;
  groundTruth: number | null;
  features: number[] | null;
  meta: Record<string, unknown>;
  createdAt: string;
}

export interface DisputeView {
  id: string;
  itemId: string;
  reasons: DisputeReason[];
  status: DisputeStatus;
  modelVersionId: string | null;
  createdAt: string;
}

export interface ImportReportView {
  datasetId: string;
  imported: number;
  skipped: { room: string; reason: string }[];
  /** Protocol ids by archive setting (human-debate, human-consultancy, ai-debate, ai-consultancy). */
  protocols: Record<string, string[]>;
  correctSeat: { rooms: number; A: number; B: number };
}

/** One version of a protocol. */
export interface ProtocolVersionView {
  id: string;
  name: string;
  version: number;
  kind: ProtocolKind;
  spec: Record<string, unknown>;
  createdBy: string | null;
  createdAt: string;
  /** Set when the first debate ran under this version; from then on it never changes. */
  lockedAt: string | null;
}

/** A debate as researchers list it (what a judge sees is `JudgeDebateView`). */
export interface DebateSummaryView {
  id: string;
  disputeId: string;
  itemId: string;
  protocolId: string;
  status: DebateStatus;
  seats: DebaterSeat[];
  failureReason: string | null;
  campaignId: string | null;
  createdAt: string;
  endedAt: string | null;
}

export interface SpeechAcceptedView {
  index: number;
}

export interface VerdictAcceptedView {
  stage: string;
  /** The same verdict had already been given. */
  duplicate: boolean;
}

export interface CampaignView {
  id: string;
  name: string;
  protocolId: string;
  status: CampaignStatus;
  concurrency: number;
  createdBy: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface ReliabilityBinView {
  /** Confidence range [from, to) of the chosen answer. */
  from: number;
  to: number;
  count: number;
  meanConfidence: number;
  accuracy: number;
}

export interface ProtocolStatsView {
  debates: number;
  failed: number;
  judged: number;
  /** Share of final answers on the truth; a tie counts in part (0.5/0.5 is half right). */
  accuracy: number | null;
  brier: number | null;
  ece: number | null;
  meanReward: number | null;
  /** Speeches per debater. */
  meanSpeechRounds: number | null;
  /** Answers a judge gave before their final one, per judge and debate (the NYU 2023 paper's "rounds"). */
  meanContinues: number | null;
  medianSecondsToVerdict: number | null;
  meanInformationGain: number | null;
  agreement: number | null;
  reliability: ReliabilityBinView[];
}

export interface ProtocolComparisonView {
  /** The group: a protocol version, or an imported archive's setting. */
  protocol: { id: string; name: string; version: number; kind: string };
  stats: ProtocolStatsView;
}

export interface JudgeStandingView {
  judge: string;
  debates: number;
  judged: number;
  accuracy: number | null;
  meanReward: number | null;
}

export interface DebaterStandingView {
  debater: string;
  debates: number;
  /** Debates won; a tied pool is a share of one (0.5 each for two sides). */
  wins: number;
  winRate: number;
  winRateHonest: number | null;
  winRateDishonest: number | null;
  strength: { strength: number; low: number; high: number } | null;
}

/** A webhook; its signing secret is shown only when it is created. */
export interface WebhookView {
  id: string;
  url: string;
  events: WebhookEvent[];
  datasetId: string | null;
  createdBy: string | null;
  createdAt: string;
  disabledAt: string | null;
}

export interface CreatedWebhookView {
  webhook: WebhookView;
  /** The signing secret, shown this once. */
  secret: string;
}

export interface DisabledView {
  disabled: boolean;
}

export interface WebhookDeliveryView {
  id: string;
  webhookId: string;
  labelSeq: string;
  event: WebhookEvent;
  status: WebhookDeliveryStatus;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

export interface CountView {
  count: number;
}

/** How a label came to be: its dispute, the debates that decided it, the verdicts pooled. */
export interface LabelProvenance {
  disputeId: string;
  debates: { id: string; protocolId: string; protocolName: string; protocolVersion: number }[];
  verdicts: string[];
}

/**
 * A label as pipelines read it (`GET /labels`, webhooks): the documented, versioned schema. The
 * database writes it as JSON itself for bulk pulls; a test holds that projection to these keys.
 */
export interface LabelRecord {
  schemaVersion: number;
  seq: string;
  id: string;
  datasetId: string;
  itemId: string;
  answer: number;
  distribution: number[];
  method: string;
  agreesWithSimple: boolean;
  provenance: LabelProvenance;
  /** The id of the label this one replaces (its dispute was debated again), or null. */
  revises: string | null;
  createdAt: string;
}

/** A training run as it was queued. Its progress is read as `TrainingStatusView`. */
export interface TrainingJobView {
  id: string;
  status: TrainingJobStatus;
  datasetId: string;
  /** `manual`, or `labels` when the dataset's policy retrains every N new labels. */
  trigger: string;
  config: Record<string, unknown>;
  checkpointStep: number | null;
  device: string | null;
  modelVersionId: string | null;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface ModelVersionView {
  id: string;
  name: string;
  status: ModelVersionStatus;
  datasetId: string;
  trainingJobId: string | null;
  sha256: string | null;
  config: Record<string, unknown>;
  /** Held-out metrics of each head, the baseline and any extra methods. */
  evaluation: Record<string, unknown>;
  promotedAt: string | null;
  createdAt: string;
}

export interface ScoringRunView {
  id: string;
  modelVersionId: string;
  datasetId: string;
  status: TrainingJobStatus;
  selection: Record<string, unknown> | null;
  scored: number;
  total: number;
  disputesCreated: number | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface PromotionView {
  version: ModelVersionView;
  scoringRun: ScoringRunView | null;
}

export interface ModelPolicyView {
  heldOutFraction: number;
  retrainEveryLabels: number | null;
  autoPromote: boolean;
  rescoreOnPromote: boolean;
  /** Defaults for training jobs: architecture, settings, methods. */
  training: Record<string, unknown>;
  /** Dispute selection rules: margin, divergence, auditFraction, budget, seed, maxDisputedFraction. */
  selection: Record<string, unknown>;
}

export interface ExperimentView {
  id: string;
  name: string;
  config: Record<string, unknown>;
  results: Record<string, unknown>;
  summary: string;
  createdAt: string;
}
