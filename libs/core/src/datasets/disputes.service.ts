import { Injectable } from '@nestjs/common';
import { NotFound, type DisputeReason } from '#tribunal/contracts';
import { disputesLeft, isHeldOut, withinBudget, type SelectionRules } from '#tribunal/model';
import { DatasetRepository, type DisputeEntity, DisputeRepository } from '#tribunal/persistence';
import { blindCells, createRng, shuffled, type CameraView } from '#tribunal/world';
import { ModelsService } from '../models/models.service.js';

export interface DisputeSelection {
  /** Fraction of the undisputed training items sampled at random for audit. */
  auditFraction: number;
  /** A rule for the built-in world: flag rooms with at least this many cells the camera cannot see. */
  minBlindCells: number;
  seed: number;
}

/** Which items may still become disputes, and how many the loop's budget still allows. */
export interface DisputeRoom {
  /** Items of the training split (never held out) that are not disputed yet, in external id order. */
  open: Set<string>;
  /** Disputes the budget still allows; null when the dataset's policy sets none. */
  left: number | null;
}

/**
 * Chooses which items become disputes by hand (the model's choices are made when it scores the
 * dataset). Only items of the training split are ever disputed: a held-out item labelled by a debate
 * would be an item the model is evaluated on but never trained on, and a dispute there spends the
 * budget on nothing. Every selection, by hand or by the model, stays within the policy's budget.
 */
@Injectable()
export class DisputesService {
  constructor(
    private readonly disputeRepository: DisputeRepository,
    private readonly datasetRepository: DatasetRepository,
    private readonly models: ModelsService,
  ) {}

  /**
   * The training split's undisputed items and what the budget still allows: the dataset policy's, or
   * a scoring run's own rules where they are tighter (a run cannot spend past the policy's budget).
   */
  async room(datasetId: string, rules?: Pick<SelectionRules, 'maxDisputedFraction'>): Promise<DisputeRoom> {
    const { heldOutFraction, selection } = await this.models.policy(datasetId);
    const training = (await this.datasetRepository.itemKeys(datasetId)).filter((item) => !isHeldOut(item.externalId, heldOutFraction));
    const disputed = training.filter((item) => item.disputed).length;
    const limits = [selection.maxDisputedFraction, rules?.maxDisputedFraction]
      .map((fraction) => disputesLeft(training.length, disputed, fraction))
      .filter((left): left is number => left !== null);
    return {
      open: new Set(training.filter((item) => !item.disputed).map((item) => item.id)),
      left: limits.length ? Math.min(...limits) : null,
    };
  }

  async select(datasetId: string, selection: DisputeSelection): Promise<DisputeEntity[]> {
    if (!(await this.datasetRepository.byId(datasetId))) throw new NotFound(`dataset ${datasetId} does not exist`);
    const { open, left } = await this.room(datasetId);
    // A seeded random order: the audit sample is its head, and a budget too small for every flagged
    // item keeps a random share of them rather than the first by name.
    const items = shuffled(
      createRng(selection.seed),
      (await this.datasetRepository.allItems(datasetId)).filter((item) => open.has(item.id)),
    );
    const audited = new Set(items.slice(0, Math.round(selection.auditFraction * items.length)).map((item) => item.id));
    const flagged: { itemId: string; reasons: DisputeReason[] }[] = [];
    const audits: { itemId: string; reasons: DisputeReason[] }[] = [];
    for (const item of items) {
      const reasons: DisputeReason[] = [];
      if (item.context.kind === 'world-room' && item.simpleLabel !== null) {
        const camera = item.context.camera as CameraView;
        const blind = blindCells(camera.width, camera.depth, camera.visible).length;
        if (blind >= selection.minBlindCells) {
          reasons.push({
            kind: 'rule',
            detail: `${blind} cells are hidden from the camera; the simple label may have missed objects there`,
          });
        }
      }
      if (audited.has(item.id)) reasons.push({ kind: 'audit', detail: 'random audit sample' });
      if (reasons.some((r) => r.kind === 'rule')) flagged.push({ itemId: item.id, reasons });
      else if (reasons.length > 0) audits.push({ itemId: item.id, reasons });
    }
    return this.disputeRepository.create(withinBudget(flagged, audits, left));
  }

  list(datasetId: string): Promise<DisputeEntity[]> {
    return this.disputeRepository.ofDataset(datasetId);
  }
}
