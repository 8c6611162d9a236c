import { Injectable, Logger } from '@nestjs/common';
import { Scorer, writeBatchFeatures, selectDisputes, type SelectionRules, type VersionConfig } from '#tribunal/model';
import { ModelRepository, DatasetRepository, ScoringRepository } from '#tribunal/persistence';
import { DisputesService } from '../datasets/disputes.service.js';

/** Items scored per batch: one onnxruntime call and one transaction each. */
const BATCH = 1024;

/**
 * Runs scoring jobs: the version's inference graph over the dataset in batches, predictions stored as
 * each batch finishes (a retried run carries on with the items not yet scored), then disputes chosen
 * from every prediction and written with the run's completion, in one transaction.
 */
@Injectable()
export class ScoringService {
  private readonly logger = new Logger('Scoring');

  constructor(
    private readonly scoringRepository: ScoringRepository,
    private readonly datasetRepository: DatasetRepository,
    private readonly modelRepository: ModelRepository,
    private readonly disputes: DisputesService,
  ) {}

  async run(scoringRunId: string): Promise<void> {
    const run = await this.scoringRepository.byId(scoringRunId);
    if (!run || run.status === 'completed' || run.status === 'failed') return;
    const version = await this.modelRepository.version(run.modelVersionId);
    const onnx = await this.modelRepository.onnx(run.modelVersionId);
    if (!version || !onnx) {
      await this.fail(run.id, 'the model version no longer exists');
      return;
    }
    const config = version.config as unknown as VersionConfig;
    await this.scoringRepository.mark(run.id, { status: 'running' });
    const scorer = await Scorer.load(onnx, config, { kind: 'cpu' });
    try {
      for (;;) {
        const ids = await this.scoringRepository.unscored(version.id, run.datasetId, BATCH);
        if (ids.length === 0) break;
        const items = await this.datasetRepository.modelItems(run.datasetId, ids);
        const x = scorer.input(items.length);
        writeBatchFeatures(items, config.features, x);
        const { intended, instrumental } = await scorer.score(x, items.length);
        const K = config.answers;
        await this.scoringRepository.savePredictions(
          run.id,
          version.id,
          items.map((item, i) => ({
            itemId: item.id,
            intended: Array.from(intended.subarray(i * K, (i + 1) * K)),
            instrumental: Array.from(instrumental.subarray(i * K, (i + 1) * K)),
          })),
        );
      }
    } finally {
      await scorer.release();
    }
    const disputes = run.selection ? await this.choose(version.id, run.datasetId, run.selection as unknown as SelectionRules) : [];
    const created = await this.scoringRepository.finish(run.id, version.id, disputes);
    this.logger.log(
      `scored dataset ${run.datasetId} with model version ${version.name}${run.selection ? `; ${created} new disputes` : ''}`,
    );
  }

  /** The model's choices among the training split's undisputed items, within what the loop's budget still allows. */
  private async choose(versionId: string, datasetId: string, rules: SelectionRules) {
    // Rules stored before the budget existed lack it: disputesLeft reads that as no limit.
    const { open, left } = await this.disputes.room(datasetId, rules);
    const candidates = (await this.scoringRepository.undisputedPredictions(versionId, datasetId)).filter((item) => open.has(item.itemId));
    return selectDisputes(candidates, rules, left);
  }

  async fail(scoringRunId: string, reason: string): Promise<void> {
    await this.scoringRepository.mark(scoringRunId, { status: 'failed', error: reason, finishedAt: new Date() });
  }
}
