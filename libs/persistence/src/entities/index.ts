import { CampaignEntity, CampaignEntryEntity } from './campaign.entity.js';
import { DatasetEntity, ItemEntity } from './dataset.entity.js';
import { CitationEntity, DebateEntity, DisputeEntity, ProtocolEntity, SpeechDraftEntity, TurnEntity } from './debate.entity.js';
import { JudgeAssignmentEntity, VerdictEntity } from './judging.entity.js';
import { ExperimentEntity } from './experiment.entity.js';
import { LabelEntity } from './label.entity.js';
import { ModelVersionEntity, PredictionEntity, ScoringRunEntity, TrainingJobEntity } from './model.entity.js';
import { ApiKeyEntity, UserEntity } from './user.entity.js';
import { WebhookDeliveryEntity, WebhookEntity } from './webhook.entity.js';

export * from './campaign.entity.js';
export * from './dataset.entity.js';
export * from './debate.entity.js';
export * from './judging.entity.js';
export * from './experiment.entity.js';
export * from './label.entity.js';
export * from './model.entity.js';
export * from './user.entity.js';
export * from './webhook.entity.js';

export const ENTITIES = [
  UserEntity,
  ApiKeyEntity,
  DatasetEntity,
  ItemEntity,
  ModelVersionEntity,
  PredictionEntity,
  TrainingJobEntity,
  ScoringRunEntity,
  DisputeEntity,
  ProtocolEntity,
  DebateEntity,
  TurnEntity,
  CitationEntity,
  SpeechDraftEntity,
  CampaignEntity,
  CampaignEntryEntity,
  JudgeAssignmentEntity,
  VerdictEntity,
  LabelEntity,
  WebhookEntity,
  WebhookDeliveryEntity,
  ExperimentEntity,
];
