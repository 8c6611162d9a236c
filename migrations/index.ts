import type { MigrationInterface } from 'typeorm';
import { Initial1795450738679 } from './1795450738679-Initial.js';
import { ProtocolsCampaignsStreaming1795453137643 } from './1795453137643-ProtocolsCampaignsStreaming.js';
import { Webhooks1795455917632 } from './1795455917632-Webhooks.js';
import { OptionalSimpleLabel1795456285089 } from './1795456285089-OptionalSimpleLabel.js';
import { JudgeNames1795457506718 } from './1795457506718-JudgeNames.js';
import { LabelRevisions1795457666674 } from './1795457666674-LabelRevisions.js';
import { ModelTraining1795460637146 } from './1795460637146-ModelTraining.js';
import { Experiments1795466711837 } from './1795466711837-Experiments.js';
import { WebhookOwners1796177685540 } from './1796177685540-WebhookOwners.js';
import { DatasetLoading1796184669121 } from './1796184669121-DatasetLoading.js';
import { Debaters1796200000000 } from './1796200000000-Debaters.js';

/** Every migration, in order. The schema changes only by adding to this list. */
export const MIGRATIONS: (new () => MigrationInterface)[] = [
  Initial1795450738679,
  ProtocolsCampaignsStreaming1795453137643,
  Webhooks1795455917632,
  OptionalSimpleLabel1795456285089,
  JudgeNames1795457506718,
  LabelRevisions1795457666674,
  ModelTraining1795460637146,
  Experiments1795466711837,
  WebhookOwners1796177685540,
  DatasetLoading1796184669121,
  Debaters1796200000000,
];
