/** Vocabulary shared by server, workers, web app and tests. See docs/architecture.md. */

export const ROLES = ['admin', 'researcher', 'judge', 'pipeline', 'debater'] as const;
export type Role = (typeof ROLES)[number];

export const DEBATE_STATUSES = ['pending', 'running', 'awaiting_judges', 'judging', 'completed', 'failed'] as const;
export type DebateStatus = (typeof DEBATE_STATUSES)[number];

export const DISPUTE_STATUSES = ['open', 'debating', 'labelled', 'unresolved'] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

export const DISPUTE_REASON_KINDS = ['audit', 'rule', 'intended-vs-simple', 'heads-disagree', 'judges-disagree', 'imported'] as const;
export type DisputeReasonKind = (typeof DISPUTE_REASON_KINDS)[number];
export interface DisputeReason {
  kind: DisputeReasonKind;
  detail: string;
  /** The answer the rule proposes to argue against the simple label, if it has one. */
  suggestedAnswer?: number;
}

export const PROTOCOL_KINDS = ['debate', 'consultancy', 'interactive', 'direct'] as const;
export type ProtocolKind = (typeof PROTOCOL_KINDS)[number];

export const JUDGE_KINDS = ['human', 'simulated', 'llm'] as const;
export type JudgeKind = (typeof JUDGE_KINDS)[number];

export const DEBATER_BACKENDS = ['builtin', 'manual', 'openai'] as const;
export type DebaterBackend = (typeof DEBATER_BACKENDS)[number];

export const CAMPAIGN_STATUSES = ['running', 'completed', 'cancelled'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const TRAINING_JOB_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type TrainingJobStatus = (typeof TRAINING_JOB_STATUSES)[number];

export const MODEL_VERSION_STATUSES = ['candidate', 'active', 'retired'] as const;
export type ModelVersionStatus = (typeof MODEL_VERSION_STATUSES)[number];

/** A unit of an item's evidence a speech can cite: a sensor reading, a span of a passage. */
export interface EvidenceUnit {
  id: string;
  kind: string;
  text: string;
  reading?: Record<string, unknown>;
}

/** A seat in a debate: a debater arguing for one answer. */
export interface DebaterSeat {
  seat: string;
  answer: number;
  backend: DebaterBackend;
  /** Who spoke, where the platform knows (an imported archive's debater). */
  name?: string;
  /** A manual seat taken by a person: the user (role `debater`) who speaks for it in the web app. */
  userId?: string;
}

export const WEBHOOK_EVENTS = ['label.created', 'label.revised'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** The label schema pipelines read. Bump `LABEL_SCHEMA_VERSION` on any change of meaning. */
export const LABEL_SCHEMA_VERSION = 1;
