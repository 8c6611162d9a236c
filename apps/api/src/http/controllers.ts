import { Body, Controller, Delete, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Put, Query, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiExtraModels,
  getSchemaPath,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import {
  Invalid,
  LABEL_SCHEMA_VERSION,
  type AssignmentView,
  type CampaignProgressView,
  type CampaignView,
  type CountView,
  type CreatedUserView,
  type CreatedWebhookView,
  type DatasetView,
  type DebateSourcesView,
  type DebateStatus,
  type DebaterDebateView,
  type DebateSummaryView,
  type DebaterStandingView,
  type DisabledView,
  type DisputeView,
  type ExperimentView,
  type ImportReportView,
  type ItemView,
  type JudgeDebateView,
  type JudgeStandingView,
  type ModelPolicyView,
  type ModelVersionView,
  type PrincipalView,
  type PromotionView,
  type ProtocolComparisonView,
  type ProtocolVersionView,
  type RevokedKeysView,
  type ScoringRunView,
  type SpeechAcceptedView,
  type TrainingJobView,
  type TrainingStatusView,
  type UpdatedView,
  type VerdictAcceptedView,
  type WebhookDeliveryView,
  type WebhookView,
} from '#tribunal/contracts';
import {
  AnalyticsService,
  ArchiveService,
  AuthService,
  CampaignsService,
  DatasetsService,
  DebatesService,
  DisputesService,
  ExperimentsService,
  JudgingService,
  LabelsService,
  Metrics,
  OperationsService,
  ModelsService,
  ProtocolsService,
  SpeechesService,
  WebhooksService,
  type Principal,
} from '#tribunal/core';
import { AcceptsMetricsToken, CurrentPrincipal, Public, Roles } from '../auth/roles.js';
import { BodyLimit, UPLOAD_BODY_LIMIT } from './body.js';
import {
  CreateProtocolDto,
  CreateUserDto,
  CreateWebhookDto,
  ImportNyuDto,
  AnalyticsQuery,
  DebatesQuery,
  LaunchCampaignDto,
  LabelsQuery,
  LoadWorldDto,
  ModelsQuery,
  PromoteDto,
  ScoreDto,
  TrainDto,
  UploadDatasetDto,
  RecordExperimentDto,
  FeaturesDto,
  PageQuery,
  SelectDisputesDto,
  SpeechDto,
  StartDebateDto,
  VerdictDto,
  type ModelPolicyDto,
} from './dto.js';
import { ModelPolicyChangeDoc } from './dto-docs.js';
import * as map from './mappers.js';
import { OutcomesController } from './outcomes.controller.js';
import { streamTo } from './stream-response.js';
import {
  AssignmentDoc,
  CampaignDoc,
  CampaignProgressDoc,
  CountDoc,
  CreatedUserDoc,
  CreatedWebhookDoc,
  DatasetDoc,
  DebateSourcesDoc,
  DebateSummaryDoc,
  DebaterDebateDoc,
  DebaterStandingDoc,
  DisabledDoc,
  DisputeDoc,
  ExperimentDoc,
  ImportReportDoc,
  ItemDoc,
  JudgeDebateDoc,
  JudgeStandingDoc,
  LabelRecordDoc,
  ModelPolicyDoc,
  ModelVersionDoc,
  PRESETS_SCHEMA,
  PrincipalDoc,
  PromotionDoc,
  ProtocolComparisonDoc,
  ProtocolVersionDoc,
  ReadinessDoc,
  RevokedKeysDoc,
  ScoringRunDoc,
  SpeechAcceptedDoc,
  StatusOkDoc,
  TrainingJobDoc,
  TrainingStatusDoc,
  UpdatedDoc,
  VerdictAcceptedDoc,
  WebhookDeliveryDoc,
  WebhookDoc,
} from './views.js';

const Uuid = new ParseUUIDPipe({ version: '4', exceptionFactory: () => new Invalid('id in the path must be a UUID') });

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly operations: OperationsService,
    private readonly metrics: Metrics,
  ) {}

  @Get('health')
  @Public()
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ type: StatusOkDoc })
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  @ApiOperation({ summary: 'Readiness: the database answers, no migration is pending, the job queue answers; 503 naming what is not' })
  @ApiOkResponse({ type: ReadinessDoc })
  @ApiResponse({ status: 503, type: ReadinessDoc, description: 'not ready: the checks name what is not' })
  async ready(@Res() response: Response): Promise<void> {
    const { ready, checks } = await this.operations.readiness();
    response.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
  }

  @Get('metrics')
  @Roles('admin')
  @AcceptsMetricsToken()
  @ApiProduces('text/plain')
  @ApiOperation({
    summary:
      "Prometheus metrics: debates by status, queued jobs, labels, training jobs and progress, sockets, speech time; an admin's key or the scraper's token (TRIBUNAL_METRICS_TOKEN)",
  })
  @ApiOkResponse({ schema: { type: 'string' }, description: 'Prometheus text exposition format' })
  async prometheus(@Res() response: Response): Promise<void> {
    response.setHeader('Content-Type', this.metrics.contentType);
    response.end(await this.metrics.text());
  }
}

@ApiTags('users')
@Controller()
export class UsersController {
  constructor(private readonly auth: AuthService) {}

  @Post('users')
  @Roles('admin')
  @ApiOperation({ summary: 'Create a user; the response holds its API key, shown this once' })
  @ApiCreatedResponse({ type: CreatedUserDoc })
  async create(@Body() body: CreateUserDto): Promise<CreatedUserView> {
    return map.toCreatedUserView(await this.auth.createUser(body.name, body.role));
  }

  @Get('users')
  @Roles('admin')
  @ApiOkResponse({ type: [PrincipalDoc] })
  async list(): Promise<PrincipalView[]> {
    return (await this.auth.listUsers()).map(map.toPrincipalView);
  }

  @Delete('users/:id/keys')
  @Roles('admin')
  @ApiOperation({ summary: 'Revoke every key of a user' })
  @ApiOkResponse({ type: RevokedKeysDoc })
  async revoke(@Param('id', Uuid) id: string): Promise<RevokedKeysView> {
    const { revoked } = await this.auth.revokeKeys(id);
    return { revoked };
  }

  @Get('me')
  @Roles('admin', 'researcher', 'judge', 'pipeline', 'debater')
  @ApiOperation({ summary: 'Who the key belongs to' })
  @ApiOkResponse({ type: PrincipalDoc })
  me(@CurrentPrincipal() principal: Principal): PrincipalView {
    return map.toPrincipalView(principal);
  }
}

@ApiTags('datasets')
@Controller('datasets')
export class DatasetsController {
  constructor(
    private readonly datasets: DatasetsService,
    private readonly disputes: DisputesService,
    private readonly archive: ArchiveService,
  ) {}

  @Post()
  @Roles('admin', 'researcher')
  @BodyLimit(UPLOAD_BODY_LIMIT)
  @ApiOperation({ summary: 'Upload a dataset of items (text or anything with a question and answers), all or nothing' })
  @ApiCreatedResponse({ type: DatasetDoc })
  async upload(@Body() body: UploadDatasetDto): Promise<DatasetView> {
    return map.toDatasetView(await this.datasets.upload(body.name, body.items));
  }

  @Put(':id/features')
  @Roles('admin', 'researcher', 'pipeline')
  @BodyLimit(UPLOAD_BODY_LIMIT)
  @ApiOperation({
    summary:
      "Set items' feature vectors (e.g. embeddings from your own model) by external id; the model reads them instead of hashed n-grams",
  })
  @ApiOkResponse({ type: UpdatedDoc })
  async features(@Param('id', Uuid) id: string, @Body() body: FeaturesDto): Promise<UpdatedView> {
    const { updated } = await this.datasets.setFeatures(id, body.items);
    return { updated };
  }

  @Post('world')
  @Roles('admin', 'researcher')
  @ApiOperation({ summary: 'Generate and load a dataset of the built-in world' })
  @ApiCreatedResponse({ type: DatasetDoc })
  async loadWorld(@Body() body: LoadWorldDto): Promise<DatasetView> {
    return map.toDatasetView(await this.datasets.loadWorld(body));
  }

  @Get()
  @Roles('admin', 'researcher')
  @ApiOkResponse({ type: [DatasetDoc] })
  async list(): Promise<DatasetView[]> {
    return (await this.datasets.list()).map(map.toDatasetView);
  }

  @Get(':id/items')
  @Roles('admin', 'researcher')
  @ApiOperation({ summary: 'Items with simple labels and, where known, ground truth' })
  @ApiOkResponse({ type: [ItemDoc] })
  async items(@Param('id', Uuid) id: string, @Query() page: PageQuery): Promise<ItemView[]> {
    return (await this.datasets.items(id, { limit: page.limit ?? 100, offset: page.offset ?? 0 })).map(map.toItemView);
  }

  @Post(':id/disputes')
  @Roles('admin', 'researcher')
  @ApiOperation({ summary: 'Select disputes: an audit sample plus rule-flagged items' })
  @ApiCreatedResponse({ type: [DisputeDoc] })
  async select(@Param('id', Uuid) id: string, @Body() body: SelectDisputesDto): Promise<DisputeView[]> {
    const disputes = await this.disputes.select(id, {
      auditFraction: body.auditFraction ?? 0.05,
      minBlindCells: body.minBlindCells ?? 4,
      seed: body.seed ?? 1,
    });
    return disputes.map(map.toDisputeView);
  }

  @Post('import/nyu')
  @Roles('admin')
  @ApiOperation({
    summary:
      'Import an archive in the NYU debate platform format (idempotent), from below the import directory (TRIBUNAL_IMPORT_DIR; refused when unset); reports what it skipped and why',
  })
  @ApiCreatedResponse({ type: ImportReportDoc })
  async importNyu(@Body() body: ImportNyuDto): Promise<ImportReportView> {
    return map.toImportReportView(await this.archive.importNyuFromImportDir(body.path, body.name));
  }

  @Get(':id/disputes')
  @Roles('admin', 'researcher')
  @ApiOkResponse({ type: [DisputeDoc] })
  async listDisputes(@Param('id', Uuid) id: string): Promise<DisputeView[]> {
    return (await this.disputes.list(id)).map(map.toDisputeView);
  }
}

@ApiTags('protocols')
@Controller('protocols')
export class ProtocolsController {
  constructor(private readonly protocols: ProtocolsService) {}

  @Post()
  @Roles('admin', 'researcher')
  @ApiOperation({ summary: 'Add a protocol, or the next version of one' })
  @ApiCreatedResponse({ type: ProtocolVersionDoc })
  async create(@Body() body: CreateProtocolDto, @CurrentPrincipal() principal: Principal): Promise<ProtocolVersionView> {
    return map.toProtocolVersionView(await this.protocols.create(body.name, body.spec, principal.id));
  }

  @Get()
  @Roles('admin', 'researcher')
  @ApiOkResponse({ type: [ProtocolVersionDoc] })
  async list(): Promise<ProtocolVersionView[]> {
    return (await this.protocols.list()).map(map.toProtocolVersionView);
  }

  @Get('presets')
  @Roles('admin', 'researcher')
  @ApiOperation({ summary: 'Protocols from the debate literature, ready to add (POST /protocols with one as spec)' })
  @ApiOkResponse({ schema: PRESETS_SCHEMA, description: 'protocol specs by preset name' })
  presets(): Record<string, Record<string, unknown>> {
    return this.protocols.presets() as unknown as Record<string, Record<string, unknown>>;
  }

  @Get(':id')
  @Roles('admin', 'researcher')
  @ApiOkResponse({ type: ProtocolVersionDoc })
  async get(@Param('id', Uuid) id: string): Promise<ProtocolVersionView> {
    return map.toProtocolVersionView(await this.protocols.get(id));
  }
}

@ApiTags('debates')
@Controller()
export class DebatesController {
  constructor(
    private readonly debates: DebatesService,
    private readonly judging: JudgingService,
    private readonly speeches: SpeechesService,
  ) {}

  @Post('debates')
  @Roles('admin', 'researcher')
  @ApiOperation({ summary: 'Start a debate over a dispute under a protocol' })
  @ApiCreatedResponse({ type: DebateSummaryDoc })
  async start(@Body() body: StartDebateDto): Promise<DebateSummaryView> {
    return map.toDebateSummaryView(await this.debates.start(body));
  }

  @Get('debates')
  @Roles('admin', 'researcher')
  @ApiOkResponse({ type: [DebateSummaryDoc] })
  async list(@Query() query: DebatesQuery): Promise<DebateSummaryView[]> {
    const debates = await this.debates.list({
      status: query.status as DebateStatus | undefined,
      limit: query.limit ?? 100,
      campaignId: query.campaignId,
    });
    return debates.map(map.toDebateSummaryView);
  }

  @Get('debates/:id')
  @Roles('admin', 'researcher', 'judge')
  @ApiOperation({ summary: 'The debate so far, as the caller may see it' })
  @ApiOkResponse({ type: JudgeDebateDoc })
  get(@Param('id', Uuid) id: string, @CurrentPrincipal() principal: Principal): Promise<JudgeDebateView> {
    return this.debates.view(principal, id);
  }

  @Get('debates/:id/seat')
  @Roles('debater')
  @ApiOperation({
    summary:
      'The debate as the calling debater may see it from their seat: the story, the speeches they may read, the speech asked of them',
  })
  @ApiOkResponse({ type: DebaterDebateDoc })
  seat(@Param('id', Uuid) id: string, @CurrentPrincipal() principal: Principal): Promise<DebaterDebateView> {
    return this.debates.debaterView(principal, id);
  }

  @Get('debates/:id/sources')
  @Roles('admin', 'researcher')
  @ApiOperation({ summary: "The debate's evidence with every verified quotation placed in it and linked to its speech" })
  @ApiOkResponse({ type: DebateSourcesDoc })
  sources(@Param('id', Uuid) id: string): Promise<DebateSourcesView> {
    return this.debates.sources(id);
  }

  @Post('debates/:id/speeches')
  @Roles('admin', 'researcher', 'debater')
  @HttpCode(201)
  @ApiOperation({ summary: 'Speak for a manual debater seat: a debater for their own seat, a researcher for a seat nobody holds' })
  @ApiCreatedResponse({ type: SpeechAcceptedDoc })
  async speak(
    @Param('id', Uuid) id: string,
    @Body() body: SpeechDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<SpeechAcceptedView> {
    const { index } = await this.speeches.submit(principal, id, body.seat, body.text);
    return { index };
  }

  @Post('debates/:id/verdicts')
  @Roles('judge')
  @HttpCode(200)
  @ApiOperation({ summary: "Give the judge's probabilities at a stage" })
  @ApiOkResponse({ type: VerdictAcceptedDoc })
  async verdict(
    @Param('id', Uuid) id: string,
    @Body() body: VerdictDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<VerdictAcceptedView> {
    const { stage, duplicate } = await this.judging.submit(principal, id, body);
    return { stage, duplicate };
  }

  @Get('assignments')
  @Roles('judge', 'debater')
  @ApiOperation({ summary: "The calling judge's or debater's debates" })
  @ApiOkResponse({ type: [AssignmentDoc] })
  async assignments(@CurrentPrincipal() principal: Principal): Promise<AssignmentView[]> {
    return (await this.debates.assignments(principal)).map(map.toAssignmentView);
  }
}

@ApiTags('campaigns')
@Controller('campaigns')
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Post()
  @Roles('admin', 'researcher')
  @ApiOperation({ summary: 'Run a protocol over a set of disputes, a limited number at a time' })
  @ApiCreatedResponse({ type: CampaignDoc })
  async launch(@Body() body: LaunchCampaignDto, @CurrentPrincipal() principal: Principal): Promise<CampaignView> {
    return map.toCampaignView(await this.campaigns.launch({ ...body, createdBy: principal.id }));
  }

  @Get()
  @Roles('admin', 'researcher')
  @ApiOkResponse({ type: [CampaignDoc] })
  async list(): Promise<CampaignView[]> {
    return (await this.campaigns.list()).map(map.toCampaignView);
  }

  @Get(':id')
  @Roles('admin', 'researcher')
  @ApiOperation({ summary: "A campaign's progress: debates by state, and disputes still waiting" })
  @ApiOkResponse({ type: CampaignProgressDoc })
  async progress(@Param('id', Uuid) id: string): Promise<CampaignProgressView> {
    return map.toCampaignProgressView(await this.campaigns.progress(id));
  }

  @Post(':id/cancel')
  @Roles('admin', 'researcher')
  @HttpCode(200)
  @ApiOperation({ summary: 'Start no more debates; running ones finish' })
  @ApiOkResponse({ type: CampaignProgressDoc })
  async cancel(@Param('id', Uuid) id: string): Promise<CampaignProgressView> {
    return map.toCampaignProgressView(await this.campaigns.cancel(id));
  }
}

@ApiTags('analytics')
@Controller('analytics')
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsService) {}

  @Get('protocols')
  @Roles('admin', 'researcher')
  @ApiOperation({
    summary: 'Per protocol version: judge accuracy and calibration where the truth is known, reward, rounds, time to verdict',
  })
  @ApiOkResponse({ type: [ProtocolComparisonDoc] })
  async protocols(@Query() query: AnalyticsQuery): Promise<ProtocolComparisonView[]> {
    const compared = await this.analytics.compareProtocols({
      datasetId: query.datasetId,
      by: query.by,
      includedInPaper: query.paper === 'true',
    });
    return compared.map(map.toProtocolComparisonView);
  }

  @Get('judges')
  @Roles('admin', 'researcher')
  @ApiOperation({ summary: 'Per judge: debates judged, accuracy and mean reward where the truth is known' })
  @ApiOkResponse({ type: [JudgeStandingDoc] })
  async judges(@Query() query: AnalyticsQuery): Promise<JudgeStandingView[]> {
    return (await this.analytics.judges({ datasetId: query.datasetId, includedInPaper: query.paper === 'true' })).map(
      map.toJudgeStandingView,
    );
  }

  @Get('debaters')
  @Roles('admin', 'researcher')
  @ApiOperation({ summary: 'Per debater: win rates (honest and dishonest) and Bradley–Terry strength with a 95% bootstrap interval' })
  @ApiOkResponse({ type: [DebaterStandingDoc] })
  async debaters(@Query() query: AnalyticsQuery): Promise<DebaterStandingView[]> {
    const standings = await this.analytics.debaters({ datasetId: query.datasetId, includedInPaper: query.paper === 'true' });
    return standings.map(map.toDebaterStandingView);
  }
}

@ApiTags('webhooks')
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @Roles('admin', 'pipeline')
  @ApiOperation({
    summary:
      'Have labels pushed to a URL. The response holds the signing secret, shown this once; each delivery carries tribunal-signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">',
  })
  @ApiCreatedResponse({ type: CreatedWebhookDoc })
  async create(@Body() body: CreateWebhookDto, @CurrentPrincipal() principal: Principal): Promise<CreatedWebhookView> {
    return map.toCreatedWebhookView(await this.webhooks.create({ ...body, createdBy: principal.id }));
  }

  @Get()
  @Roles('admin', 'pipeline')
  @ApiOperation({ summary: "The caller's own webhooks (an admin's: everyone's)" })
  @ApiOkResponse({ type: [WebhookDoc] })
  async list(@CurrentPrincipal() principal: Principal): Promise<WebhookView[]> {
    return (await this.webhooks.list(principal)).map(map.toWebhookView);
  }

  @Delete(':id')
  @Roles('admin', 'pipeline')
  @ApiOperation({ summary: "Disable one of the caller's webhooks (an admin: anyone's); another's is answered 404" })
  @ApiOkResponse({ type: DisabledDoc })
  async disable(@Param('id', Uuid) id: string, @CurrentPrincipal() principal: Principal): Promise<DisabledView> {
    const { disabled } = await this.webhooks.disable(id, principal);
    return { disabled };
  }

  @Get(':id/deliveries')
  @Roles('admin', 'pipeline')
  @ApiOperation({
    summary: "The delivery log of one of the caller's webhooks (an admin: anyone's): each event, its attempts, the last answer or error",
  })
  @ApiOkResponse({ type: [WebhookDeliveryDoc] })
  async deliveries(@Param('id', Uuid) id: string, @CurrentPrincipal() principal: Principal): Promise<WebhookDeliveryView[]> {
    return (await this.webhooks.deliveries(id, principal)).map(map.toWebhookDeliveryView);
  }
}

function labelFilter(query: LabelsQuery) {
  const since = query.since ? new Date(query.since) : undefined;
  // ISO 8601 has forms (week dates, ordinal dates) that Date cannot read.
  if (since && Number.isNaN(since.getTime())) {
    throw new Invalid('since must be a calendar date and time, such as 2026-05-01T00:00:00Z');
  }
  return {
    after: query.after ?? '0',
    datasetId: query.datasetId,
    set: query.set,
    since,
    protocol: query.protocol,
  };
}

@ApiTags('labels')
@Controller('labels')
export class LabelsController {
  constructor(private readonly labels: LabelsService) {}

  @Get()
  @Roles('admin', 'researcher', 'pipeline')
  @Header('Content-Type', 'application/x-ndjson')
  @ApiProduces('application/x-ndjson')
  @ApiOperation({ summary: 'Complex-process labels after a sequence number, one JSON object per line, streamed' })
  @ApiExtraModels(LabelRecordDoc)
  @ApiOkResponse({
    description: `NDJSON, label schema version ${LABEL_SCHEMA_VERSION}: one label per line, ordered by seq; pass the last seq as \`after\` to continue. No label is ever skipped: sequence numbers become visible in order.`,
    content: { 'application/x-ndjson': { schema: { $ref: getSchemaPath(LabelRecordDoc) } } },
  })
  async pull(@Query() query: LabelsQuery, @Res() response: Response): Promise<void> {
    response.setHeader('X-Label-Schema-Version', String(LABEL_SCHEMA_VERSION));
    await streamTo(response, await this.labels.stream(labelFilter(query), query.limit ?? Number.MAX_SAFE_INTEGER));
  }

  @Get('count')
  @Roles('admin', 'researcher', 'pipeline')
  @ApiOperation({ summary: 'How many labels a pull with the same filters would return' })
  @ApiOkResponse({ type: CountDoc })
  async count(@Query() query: LabelsQuery): Promise<CountView> {
    return { count: await this.labels.count(labelFilter(query)) };
  }
}

@ApiTags('models')
@Controller()
export class ModelsController {
  constructor(private readonly models: ModelsService) {}

  @Post('training-jobs')
  @Roles('admin', 'researcher')
  @ApiOperation({ summary: 'Train a two-head model version (and the naive baseline beside it) on a dataset’s labels' })
  @ApiCreatedResponse({ type: TrainingJobDoc })
  async train(@Body() body: TrainDto): Promise<TrainingJobView> {
    const { datasetId, ...request } = body;
    return map.toTrainingJobView(await this.models.requestTraining(datasetId, request));
  }

  @Get('training-jobs')
  @Roles('admin', 'researcher')
  @ApiOkResponse({ type: [TrainingStatusDoc] })
  async trainingJobs(@Query() query: ModelsQuery): Promise<TrainingStatusView[]> {
    return (await this.models.trainingJobs(query.datasetId)).map(map.toTrainingStatusView);
  }

  @Get('training-jobs/:id')
  @Roles('admin', 'researcher')
  @ApiOperation({
    summary: 'A training run: status, device, every evaluation point (losses, held-out accuracy per head), its model version',
  })
  @ApiOkResponse({ type: TrainingStatusDoc })
  async training(@Param('id', Uuid) id: string): Promise<TrainingStatusView> {
    return map.toTrainingStatusView(await this.models.training(id));
  }

  @Post('training-jobs/:id/cancel')
  @Roles('admin', 'researcher')
  @HttpCode(200)
  @ApiOkResponse({ type: TrainingStatusDoc })
  async cancelTraining(@Param('id', Uuid) id: string): Promise<TrainingStatusView> {
    return map.toTrainingStatusView(await this.models.cancelTraining(id));
  }

  @Get('models')
  @Roles('admin', 'researcher')
  @ApiOperation({ summary: 'Model versions, newest first, with their evaluations' })
  @ApiOkResponse({ type: [ModelVersionDoc] })
  async versions(@Query() query: ModelsQuery): Promise<ModelVersionView[]> {
    return (await this.models.versions(query.datasetId)).map(map.toModelVersionView);
  }

  @Get('models/:id')
  @Roles('admin', 'researcher')
  @ApiOkResponse({ type: ModelVersionDoc })
  async version(@Param('id', Uuid) id: string): Promise<ModelVersionView> {
    return map.toModelVersionView(await this.models.version(id));
  }

  @Get('models/:id/onnx')
  @Roles('admin', 'researcher', 'pipeline')
  @ApiProduces('application/octet-stream')
  @ApiOperation({ summary: 'The inference graph: input `features` [n, inputSize] → `intended`, `instrumental` [n, answers]' })
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async onnx(@Param('id', Uuid) id: string, @Res() response: Response): Promise<void> {
    const version = await this.models.version(id);
    response.setHeader('Content-Type', 'application/octet-stream');
    response.setHeader('Content-Disposition', `attachment; filename="${version.name}.onnx"`);
    response.setHeader('X-Model-Sha256', version.sha256 ?? '');
    response.end(await this.models.onnx(id));
  }

  @Post('models/:id/promote')
  @Roles('admin', 'researcher')
  @HttpCode(200)
  @ApiOperation({
    summary: "Make a version its dataset's active model; by default re-score the dataset with it to choose the next disputes",
  })
  @ApiOkResponse({ type: PromotionDoc })
  async promote(@Param('id', Uuid) id: string, @Body() body: PromoteDto): Promise<PromotionView> {
    return map.toPromotionView(await this.models.promote(id, body));
  }

  @Post('datasets/:id/score')
  @Roles('admin', 'researcher')
  @ApiOperation({
    summary:
      'Score every item with a model version and choose disputes where the intended head disagrees with the simple label or the heads disagree',
  })
  @ApiCreatedResponse({ type: ScoringRunDoc })
  async score(@Param('id', Uuid) id: string, @Body() body: ScoreDto): Promise<ScoringRunView> {
    return map.toScoringRunView(await this.models.score(id, body));
  }

  @Get('scoring-runs')
  @Roles('admin', 'researcher')
  @ApiOkResponse({ type: [ScoringRunDoc] })
  async scoringRuns(@Query() query: ModelsQuery): Promise<ScoringRunView[]> {
    return (await this.models.scoringRuns(query.datasetId)).map(map.toScoringRunView);
  }

  @Get('scoring-runs/:id')
  @Roles('admin', 'researcher')
  @ApiOkResponse({ type: ScoringRunDoc })
  async scoringRun(@Param('id', Uuid) id: string): Promise<ScoringRunView> {
    return map.toScoringRunView(await this.models.scoringRun(id));
  }

  @Get('datasets/:id/model-policy')
  @Roles('admin', 'researcher')
  @ApiOkResponse({ type: ModelPolicyDoc })
  async policy(@Param('id', Uuid) id: string): Promise<ModelPolicyView> {
    return map.toModelPolicyView(await this.models.policy(id));
  }

  @Put('datasets/:id/model-policy')
  @Roles('admin', 'researcher')
  @ApiOperation({
    summary: 'Held-out fraction, retrain every N labels, automatic promotion, re-scoring, training defaults and dispute selection',
  })
  @ApiBody({ type: ModelPolicyChangeDoc })
  @ApiOkResponse({ type: ModelPolicyDoc })
  async setPolicy(@Param('id', Uuid) id: string, @Body() body: ModelPolicyDto): Promise<ModelPolicyView> {
    return map.toModelPolicyView(await this.models.setPolicy(id, body));
  }
}

@ApiTags('experiments')
@Controller('experiments')
export class ExperimentsController {
  constructor(private readonly experiments: ExperimentsService) {}

  @Post()
  @Roles('admin', 'researcher')
  @BodyLimit(UPLOAD_BODY_LIMIT)
  @ApiOperation({ summary: 'Keep the results of a headless experiment (tribunal experiment does this itself)' })
  @ApiCreatedResponse({ type: ExperimentDoc })
  async record(@Body() body: RecordExperimentDto): Promise<ExperimentView> {
    return map.toExperimentView(await this.experiments.record(body));
  }

  @Get()
  @Roles('admin', 'researcher')
  @ApiOkResponse({ type: [ExperimentDoc] })
  async list(): Promise<ExperimentView[]> {
    return (await this.experiments.list()).map(map.toExperimentView);
  }

  @Get(':id')
  @Roles('admin', 'researcher')
  @ApiOkResponse({ type: ExperimentDoc })
  async get(@Param('id', Uuid) id: string): Promise<ExperimentView> {
    return map.toExperimentView(await this.experiments.get(id));
  }
}

export const CONTROLLERS = [
  HealthController,
  UsersController,
  DatasetsController,
  ProtocolsController,
  DebatesController,
  CampaignsController,
  AnalyticsController,
  OutcomesController,
  LabelsController,
  WebhooksController,
  ModelsController,
  ExperimentsController,
];
