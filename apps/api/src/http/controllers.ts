import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { LABEL_SCHEMA_VERSION, type DebateStatus } from '#tribunal/contracts';
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
} from './dto.js';

const Uuid = new ParseUUIDPipe({ version: '4', exceptionFactory: () => new BadRequestException('id in the path must be a UUID') });

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(private readonly operations: OperationsService) {}

  @Get('health')
  @Public()
  @ApiOperation({ summary: 'Liveness: the process answers' })
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  @ApiOperation({ summary: 'Readiness: the database answers, no migration is pending, the job queue answers; 503 naming what is not' })
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
  async prometheus(@Res() response: Response): Promise<void> {
    response.setHeader('Content-Type', this.operations.registry.contentType);
    response.end(await this.operations.text());
  }
}

@ApiTags('users')
@Controller()
export class UsersController {
  constructor(private readonly auth: AuthService) {}

  @Post('users')
  @Roles('admin')
  @ApiOperation({ summary: 'Create a user; the response holds its API key, shown this once' })
  create(@Body() body: CreateUserDto) {
    return this.auth.createUser(body.name, body.role);
  }

  @Get('users')
  @Roles('admin')
  list() {
    return this.auth.listUsers();
  }

  @Delete('users/:id/keys')
  @Roles('admin')
  @ApiOperation({ summary: 'Revoke every key of a user' })
  revoke(@Param('id', Uuid) id: string) {
    return this.auth.revokeKeys(id);
  }

  @Get('me')
  @Roles('admin', 'researcher', 'judge', 'pipeline')
  @ApiOperation({ summary: 'Who the key belongs to' })
  me(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
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
  upload(@Body() body: UploadDatasetDto) {
    return this.datasets.upload(body.name, body.items);
  }

  @Put(':id/features')
  @Roles('admin', 'researcher', 'pipeline')
  @BodyLimit(UPLOAD_BODY_LIMIT)
  @ApiOperation({
    summary:
      "Set items' feature vectors (e.g. embeddings from your own model) by external id; the model reads them instead of hashed n-grams",
  })
  features(@Param('id', Uuid) id: string, @Body() body: FeaturesDto) {
    return this.datasets.setFeatures(id, body.items);
  }

  @Post('world')
  @Roles('admin', 'researcher')
  @ApiOperation({ summary: 'Generate and load a dataset of the built-in world' })
  loadWorld(@Body() body: LoadWorldDto) {
    return this.datasets.loadWorld(body);
  }

  @Get()
  @Roles('admin', 'researcher')
  list() {
    return this.datasets.list();
  }

  @Get(':id/items')
  @Roles('admin', 'researcher')
  @ApiOperation({ summary: 'Items with simple labels and, where known, ground truth' })
  items(@Param('id', Uuid) id: string, @Query() page: PageQuery) {
    return this.datasets.items(id, { limit: page.limit ?? 100, offset: page.offset ?? 0 });
  }

  @Post(':id/disputes')
  @Roles('admin', 'researcher')
  @ApiOperation({ summary: 'Select disputes: an audit sample plus rule-flagged items' })
  select(@Param('id', Uuid) id: string, @Body() body: SelectDisputesDto) {
    return this.disputes.select(id, {
      auditFraction: body.auditFraction ?? 0.05,
      minBlindCells: body.minBlindCells ?? 4,
      seed: body.seed ?? 1,
    });
  }

  @Post('import/nyu')
  @Roles('admin')
  @ApiOperation({
    summary:
      'Import an archive in the NYU debate platform format (idempotent), from below the import directory (TRIBUNAL_IMPORT_DIR; refused when unset); reports what it skipped and why',
  })
  importNyu(@Body() body: ImportNyuDto) {
    return this.archive.importNyuFromImportDir(body.path, body.name);
  }

  @Get(':id/disputes')
  @Roles('admin', 'researcher')
  listDisputes(@Param('id', Uuid) id: string) {
    return this.disputes.list(id);
  }
}

@ApiTags('protocols')
@Controller('protocols')
export class ProtocolsController {
  constructor(private readonly protocols: ProtocolsService) {}

  @Post()
  @Roles('admin', 'researcher')
  @ApiOperation({ summary: 'Add a protocol, or the next version of one' })
  create(@Body() body: CreateProtocolDto, @CurrentPrincipal() principal: Principal) {
    return this.protocols.create(body.name, body.spec, principal.id);
  }

  @Get()
  @Roles('admin', 'researcher')
  list() {
    return this.protocols.list();
  }

  @Get('presets')
  @Roles('admin', 'researcher')
  @ApiOperation({ summary: 'Protocols from the debate literature, ready to add (POST /protocols with one as spec)' })
  presets() {
    return this.protocols.presets();
  }

  @Get(':id')
  @Roles('admin', 'researcher')
  get(@Param('id', Uuid) id: string) {
    return this.protocols.get(id);
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
  start(@Body() body: StartDebateDto) {
    return this.debates.start(body);
  }

  @Get('debates')
  @Roles('admin', 'researcher')
  list(@Query() query: DebatesQuery) {
    return this.debates.list({ status: query.status as DebateStatus | undefined, limit: query.limit ?? 100, campaignId: query.campaignId });
  }

  @Get('debates/:id')
  @Roles('admin', 'researcher', 'judge')
  @ApiOperation({ summary: 'The debate so far, as the caller may see it' })
  get(@Param('id', Uuid) id: string, @CurrentPrincipal() principal: Principal) {
    return this.debates.view(principal, id);
  }

  @Post('debates/:id/speeches')
  @Roles('admin', 'researcher')
  @HttpCode(201)
  @ApiOperation({ summary: 'Speak for a manual debater seat' })
  speak(@Param('id', Uuid) id: string, @Body() body: SpeechDto) {
    return this.speeches.submit(id, body.seat, body.text);
  }

  @Post('debates/:id/verdicts')
  @Roles('judge')
  @HttpCode(200)
  @ApiOperation({ summary: "Give the judge's probabilities at a stage" })
  verdict(@Param('id', Uuid) id: string, @Body() body: VerdictDto, @CurrentPrincipal() principal: Principal) {
    return this.judging.submit(principal, id, body);
  }

  @Get('assignments')
  @Roles('judge')
  @ApiOperation({ summary: "The calling judge's debates" })
  assignments(@CurrentPrincipal() principal: Principal) {
    return this.debates.assignments(principal);
  }
}

@ApiTags('campaigns')
@Controller('campaigns')
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Post()
  @Roles('admin', 'researcher')
  @ApiOperation({ summary: 'Run a protocol over a set of disputes, a limited number at a time' })
  launch(@Body() body: LaunchCampaignDto, @CurrentPrincipal() principal: Principal) {
    return this.campaigns.launch({ ...body, createdBy: principal.id });
  }

  @Get()
  @Roles('admin', 'researcher')
  list() {
    return this.campaigns.list();
  }

  @Get(':id')
  @Roles('admin', 'researcher')
  @ApiOperation({ summary: "A campaign's progress: debates by state, and disputes still waiting" })
  progress(@Param('id', Uuid) id: string) {
    return this.campaigns.progress(id);
  }

  @Post(':id/cancel')
  @Roles('admin', 'researcher')
  @HttpCode(200)
  @ApiOperation({ summary: 'Start no more debates; running ones finish' })
  cancel(@Param('id', Uuid) id: string) {
    return this.campaigns.cancel(id);
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
  protocols(@Query() query: AnalyticsQuery) {
    return this.analytics.compareProtocols({ datasetId: query.datasetId, by: query.by, includedInPaper: query.paper === 'true' });
  }

  @Get('judges')
  @Roles('admin', 'researcher')
  @ApiOperation({ summary: 'Per judge: debates judged, accuracy and mean reward where the truth is known' })
  judges(@Query() query: AnalyticsQuery) {
    return this.analytics.judges({ datasetId: query.datasetId, includedInPaper: query.paper === 'true' });
  }

  @Get('debaters')
  @Roles('admin', 'researcher')
  @ApiOperation({ summary: 'Per debater: win rates (honest and dishonest) and Bradley–Terry strength with a 95% bootstrap interval' })
  debaters(@Query() query: AnalyticsQuery) {
    return this.analytics.debaters({ datasetId: query.datasetId, includedInPaper: query.paper === 'true' });
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
  create(@Body() body: CreateWebhookDto, @CurrentPrincipal() principal: Principal) {
    return this.webhooks.create({ ...body, createdBy: principal.id });
  }

  @Get()
  @Roles('admin', 'pipeline')
  @ApiOperation({ summary: "The caller's own webhooks (an admin's: everyone's)" })
  list(@CurrentPrincipal() principal: Principal) {
    return this.webhooks.list(principal);
  }

  @Delete(':id')
  @Roles('admin', 'pipeline')
  @ApiOperation({ summary: "Disable one of the caller's webhooks (an admin: anyone's); another's is answered 404" })
  disable(@Param('id', Uuid) id: string, @CurrentPrincipal() principal: Principal) {
    return this.webhooks.disable(id, principal);
  }

  @Get(':id/deliveries')
  @Roles('admin', 'pipeline')
  @ApiOperation({
    summary: "The delivery log of one of the caller's webhooks (an admin: anyone's): each event, its attempts, the last answer or error",
  })
  deliveries(@Param('id', Uuid) id: string, @CurrentPrincipal() principal: Principal) {
    return this.webhooks.deliveries(id, principal);
  }
}

function labelFilter(query: LabelsQuery) {
  return {
    after: query.after ?? '0',
    datasetId: query.datasetId,
    set: query.set,
    since: query.since ? new Date(query.since) : undefined,
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
  @ApiOkResponse({
    description: `NDJSON, label schema version ${LABEL_SCHEMA_VERSION}: one label per line, ordered by seq; pass the last seq as \`after\` to continue. No label is ever skipped: sequence numbers become visible in order.`,
  })
  async pull(@Query() query: LabelsQuery, @Res() response: Response): Promise<void> {
    response.setHeader('X-Label-Schema-Version', String(LABEL_SCHEMA_VERSION));
    for await (const page of this.labels.stream(labelFilter(query), query.limit ?? Number.MAX_SAFE_INTEGER)) {
      // Respect back-pressure: a slow reader slows the query, not the server's memory.
      if (!response.write(page.join('\n') + '\n')) await new Promise((r) => response.once('drain', r));
    }
    response.end();
  }

  @Get('count')
  @Roles('admin', 'researcher', 'pipeline')
  @ApiOperation({ summary: 'How many labels a pull with the same filters would return' })
  async count(@Query() query: LabelsQuery): Promise<{ count: number }> {
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
  train(@Body() body: TrainDto) {
    const { datasetId, ...request } = body;
    return this.models.requestTraining(datasetId, request);
  }

  @Get('training-jobs')
  @Roles('admin', 'researcher')
  trainingJobs(@Query() query: ModelsQuery) {
    return this.models.trainingJobs(query.datasetId);
  }

  @Get('training-jobs/:id')
  @Roles('admin', 'researcher')
  @ApiOperation({
    summary: 'A training run: status, device, every evaluation point (losses, held-out accuracy per head), its model version',
  })
  training(@Param('id', Uuid) id: string) {
    return this.models.training(id);
  }

  @Post('training-jobs/:id/cancel')
  @Roles('admin', 'researcher')
  @HttpCode(200)
  cancelTraining(@Param('id', Uuid) id: string) {
    return this.models.cancelTraining(id);
  }

  @Get('models')
  @Roles('admin', 'researcher')
  @ApiOperation({ summary: 'Model versions, newest first, with their evaluations' })
  versions(@Query() query: ModelsQuery) {
    return this.models.versions(query.datasetId);
  }

  @Get('models/:id')
  @Roles('admin', 'researcher')
  version(@Param('id', Uuid) id: string) {
    return this.models.version(id);
  }

  @Get('models/:id/onnx')
  @Roles('admin', 'researcher', 'pipeline')
  @ApiProduces('application/octet-stream')
  @ApiOperation({ summary: 'The inference graph: input `features` [n, inputSize] → `intended`, `instrumental` [n, answers]' })
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
  promote(@Param('id', Uuid) id: string, @Body() body: PromoteDto) {
    return this.models.promote(id, body);
  }

  @Post('datasets/:id/score')
  @Roles('admin', 'researcher')
  @ApiOperation({
    summary:
      'Score every item with a model version and choose disputes where the intended head disagrees with the simple label or the heads disagree',
  })
  score(@Param('id', Uuid) id: string, @Body() body: ScoreDto) {
    return this.models.score(id, body);
  }

  @Get('scoring-runs')
  @Roles('admin', 'researcher')
  scoringRuns(@Query() query: ModelsQuery) {
    return this.models.scoringRuns(query.datasetId);
  }

  @Get('scoring-runs/:id')
  @Roles('admin', 'researcher')
  scoringRun(@Param('id', Uuid) id: string) {
    return this.models.scoringRun(id);
  }

  @Get('datasets/:id/model-policy')
  @Roles('admin', 'researcher')
  policy(@Param('id', Uuid) id: string) {
    return this.models.policy(id);
  }

  @Put('datasets/:id/model-policy')
  @Roles('admin', 'researcher')
  @ApiOperation({
    summary: 'Held-out fraction, retrain every N labels, automatic promotion, re-scoring, training defaults and dispute selection',
  })
  setPolicy(@Param('id', Uuid) id: string, @Body() body: Record<string, unknown>) {
    return this.models.setPolicy(id, body);
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
  record(@Body() body: RecordExperimentDto) {
    return this.experiments.record(body);
  }

  @Get()
  @Roles('admin', 'researcher')
  list() {
    return this.experiments.list();
  }

  @Get(':id')
  @Roles('admin', 'researcher')
  get(@Param('id', Uuid) id: string) {
    return this.experiments.get(id);
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
  LabelsController,
  WebhooksController,
  ModelsController,
  ExperimentsController,
];
