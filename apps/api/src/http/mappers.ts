import type {
  AssignmentView,
  CampaignProgressView,
  CampaignView,
  CreatedUserView,
  CreatedWebhookView,
  DatasetView,
  DebateSummaryView,
  DebaterStandingView,
  DisputeView,
  ExperimentView,
  ImportReportView,
  ItemView,
  JudgeStandingView,
  ModelPolicyView,
  ModelVersionView,
  PrincipalView,
  PromotionView,
  ProtocolComparisonView,
  ProtocolVersionView,
  ScoringRunView,
  TrainingJobView,
  TrainingStatusView,
  WebhookDeliveryView,
  WebhookView,
} from '#tribunal/contracts';
import type {
  CampaignEntity,
  DatasetSummary,
  DebateEntity,
  DisputeEntity,
  ExperimentEntity,
  ItemEntity,
  ModelVersionEntity,
  ProtocolEntity,
  ScoringRunEntity,
  TrainingJobEntity,
  WebhookDeliveryEntity,
  WebhookEntity,
} from '#tribunal/persistence';

/**
 * One mapper per response view: record → what the wire carries, field by field. A column renamed
 * in an entity breaks the build here instead of changing the API.
 */

type Time = Date | string;
const iso = (t: Time): string => (typeof t === 'string' ? new Date(t).toISOString() : t.toISOString());
const isoOrNull = (t: Time | null | undefined): string | null => (t ? iso(t) : null);

export const toPrincipalView = (p: PrincipalView): PrincipalView => ({ id: p.id, name: p.name, role: p.role });

export const toCreatedUserView = (created: { user: PrincipalView; key: string }): CreatedUserView => ({
  user: toPrincipalView(created.user),
  key: created.key,
});

export const toDatasetView = (d: DatasetSummary): DatasetView => ({
  id: d.id,
  name: d.name,
  source: d.source,
  params: d.params,
  status: d.status,
  items: d.items,
  ...(d.loading ? { loading: { done: d.loading.done, total: d.loading.total } } : {}),
  createdAt: iso(d.createdAt),
});

export const toItemView = (i: ItemEntity): ItemView => ({
  id: i.id,
  datasetId: i.datasetId,
  externalId: i.externalId,
  context: i.context,
  evidence: i.evidence,
  question: i.question,
  answers: i.answers,
  simpleLabel: i.simpleLabel,
  groundTruth: i.groundTruth,
  features: i.features,
  meta: i.meta,
  createdAt: iso(i.createdAt),
});

export const toDisputeView = (d: DisputeEntity): DisputeView => ({
  id: d.id,
  itemId: d.itemId,
  reasons: d.reasons,
  status: d.status,
  modelVersionId: d.modelVersionId,
  createdAt: iso(d.createdAt),
});

export const toImportReportView = (r: ImportReportView): ImportReportView => ({
  datasetId: r.datasetId,
  imported: r.imported,
  skipped: r.skipped.map((s) => ({ room: s.room, reason: s.reason })),
  protocols: r.protocols,
  correctSeat: r.correctSeat,
});

export const toProtocolVersionView = (p: ProtocolEntity): ProtocolVersionView => ({
  id: p.id,
  name: p.name,
  version: p.version,
  kind: p.kind,
  spec: p.spec,
  createdBy: p.createdBy,
  createdAt: iso(p.createdAt),
  lockedAt: isoOrNull(p.lockedAt),
});

export const toDebateSummaryView = (d: DebateEntity): DebateSummaryView => ({
  id: d.id,
  disputeId: d.disputeId,
  itemId: d.itemId,
  protocolId: d.protocolId,
  status: d.status,
  seats: d.seats,
  failureReason: d.failureReason,
  campaignId: d.campaignId,
  createdAt: iso(d.createdAt),
  endedAt: isoOrNull(d.endedAt),
});

export const toAssignmentView = (a: AssignmentView): AssignmentView => ({
  debateId: a.debateId,
  status: a.status,
  question: a.question,
  awaiting: a.awaiting,
  createdAt: a.createdAt,
});

export const toCampaignView = (c: CampaignEntity): CampaignView => ({
  id: c.id,
  name: c.name,
  protocolId: c.protocolId,
  status: c.status,
  concurrency: c.concurrency,
  createdBy: c.createdBy,
  createdAt: iso(c.createdAt),
  finishedAt: isoOrNull(c.finishedAt),
});

export const toCampaignProgressView = (p: CampaignProgressView): CampaignProgressView => ({
  campaignId: p.campaignId,
  status: p.status,
  waiting: p.waiting,
  debates: p.debates,
  total: p.total,
});

export const toProtocolComparisonView = (c: ProtocolComparisonView): ProtocolComparisonView => ({
  protocol: { id: c.protocol.id, name: c.protocol.name, version: c.protocol.version, kind: c.protocol.kind },
  stats: c.stats,
});

export const toJudgeStandingView = (s: JudgeStandingView): JudgeStandingView => ({
  judge: s.judge,
  debates: s.debates,
  judged: s.judged,
  accuracy: s.accuracy,
  meanReward: s.meanReward,
});

export const toDebaterStandingView = (s: DebaterStandingView): DebaterStandingView => ({
  debater: s.debater,
  debates: s.debates,
  wins: s.wins,
  winRate: s.winRate,
  winRateHonest: s.winRateHonest,
  winRateDishonest: s.winRateDishonest,
  strength: s.strength,
});

export const toWebhookView = (w: Omit<WebhookEntity, 'secret'>): WebhookView => ({
  id: w.id,
  url: w.url,
  events: w.events,
  datasetId: w.datasetId,
  createdBy: w.createdBy,
  createdAt: iso(w.createdAt),
  disabledAt: isoOrNull(w.disabledAt),
});

export const toCreatedWebhookView = (c: { webhook: Omit<WebhookEntity, 'secret'>; secret: string }): CreatedWebhookView => ({
  webhook: toWebhookView(c.webhook),
  secret: c.secret,
});

export const toWebhookDeliveryView = (d: WebhookDeliveryEntity): WebhookDeliveryView => ({
  id: d.id,
  webhookId: d.webhookId,
  labelSeq: d.labelSeq,
  event: d.event,
  status: d.status,
  attempts: d.attempts,
  lastStatus: d.lastStatus,
  lastError: d.lastError,
  createdAt: iso(d.createdAt),
  deliveredAt: isoOrNull(d.deliveredAt),
});

export const toTrainingJobView = (j: TrainingJobEntity): TrainingJobView => ({
  id: j.id,
  status: j.status,
  datasetId: j.datasetId,
  trigger: j.trigger,
  config: j.config,
  checkpointStep: j.checkpointStep ?? null,
  device: j.device ?? null,
  modelVersionId: j.modelVersionId ?? null,
  error: j.error ?? null,
  createdAt: iso(j.createdAt),
  startedAt: isoOrNull(j.startedAt),
  finishedAt: isoOrNull(j.finishedAt),
});

export const toTrainingStatusView = (s: TrainingStatusView): TrainingStatusView => ({
  trainingJobId: s.trainingJobId,
  datasetId: s.datasetId,
  status: s.status,
  device: s.device,
  progress: s.progress,
  modelVersionId: s.modelVersionId,
  error: s.error,
});

export const toModelVersionView = (v: ModelVersionEntity): ModelVersionView => ({
  id: v.id,
  name: v.name,
  status: v.status,
  datasetId: v.datasetId,
  trainingJobId: v.trainingJobId,
  sha256: v.sha256,
  config: v.config,
  evaluation: v.evaluation,
  promotedAt: isoOrNull(v.promotedAt),
  createdAt: iso(v.createdAt),
});

export const toScoringRunView = (r: ScoringRunEntity): ScoringRunView => ({
  id: r.id,
  modelVersionId: r.modelVersionId,
  datasetId: r.datasetId,
  status: r.status,
  selection: r.selection,
  scored: r.scored,
  total: r.total,
  disputesCreated: r.disputesCreated,
  error: r.error,
  createdAt: iso(r.createdAt),
  finishedAt: isoOrNull(r.finishedAt),
});

export const toPromotionView = (p: { version: ModelVersionEntity; scoringRun: ScoringRunEntity | null }): PromotionView => ({
  version: toModelVersionView(p.version),
  scoringRun: p.scoringRun ? toScoringRunView(p.scoringRun) : null,
});

export const toModelPolicyView = (p: {
  heldOutFraction: number;
  retrainEveryLabels: number | null;
  autoPromote: boolean;
  rescoreOnPromote: boolean;
  training: object;
  selection: object;
}): ModelPolicyView => ({
  heldOutFraction: p.heldOutFraction,
  retrainEveryLabels: p.retrainEveryLabels,
  autoPromote: p.autoPromote,
  rescoreOnPromote: p.rescoreOnPromote,
  training: { ...p.training },
  selection: { ...p.selection },
});

export const toExperimentView = (e: ExperimentEntity): ExperimentView => ({
  id: e.id,
  name: e.name,
  config: e.config,
  results: e.results,
  summary: e.summary,
  createdAt: iso(e.createdAt),
});
