import { Injectable, NotFoundException } from '@nestjs/common';
import type { DisputeReason } from '../../contracts/src/index.js';
import { DatasetRepository, DebateRepository, type DisputeEntity, type ItemEntity } from '../../persistence/src/index.js';
import { blindCells, createRng, type CameraView } from '../../world/src/index.js';

export interface DisputeSelection {
  /** Fraction of items sampled at random for audit, whatever the rules say. */
  auditFraction: number;
  /** The stub rule flags built-in world items with at least this many cells the camera cannot see. */
  minBlindCells: number;
  seed: number;
}

/** An answer to argue against the simple label: the reason's suggestion, else the next answer up. */
export function alternativeAnswer(item: Pick<ItemEntity, 'simpleLabel' | 'answers'>, reasons: DisputeReason[]): number {
  const simple = item.simpleLabel ?? 0;
  const suggested = reasons.map((r) => r.suggestedAnswer).find((a) => a !== undefined && a !== simple);
  if (suggested !== undefined) return suggested;
  return simple + 1 < item.answers.length ? simple + 1 : simple - 1;
}

/**
 * Chooses which items become disputes. Until a model is trained this is a random audit sample plus a
 * stub rule: on the built-in world, rooms with many cells hidden from the camera, where the simple
 * labeller may have missed objects.
 */
@Injectable()
export class DisputesService {
  constructor(
    private readonly datasets: DatasetRepository,
    private readonly debates: DebateRepository,
  ) {}

  async select(datasetId: string, selection: DisputeSelection): Promise<DisputeEntity[]> {
    if (!(await this.datasets.byId(datasetId))) throw new NotFoundException(`dataset ${datasetId} does not exist`);
    const existing = new Set((await this.debates.disputesOfDataset(datasetId)).map((d) => d.itemId));
    const rng = createRng(selection.seed);
    const disputes: { itemId: string; reasons: DisputeReason[] }[] = [];
    for (const item of await this.datasets.allItems(datasetId)) {
      const reasons: DisputeReason[] = [];
      const draw = rng();
      if (existing.has(item.id)) continue;
      if (draw < selection.auditFraction) reasons.push({ kind: 'audit', detail: 'random audit sample' });
      if (item.context.kind === 'world-room' && item.simpleLabel !== null) {
        const camera = item.context.camera as CameraView;
        const blind = blindCells(camera.width, camera.depth, camera.visible).length;
        if (blind >= selection.minBlindCells) {
          reasons.push({
            kind: 'rule',
            detail: `${blind} cells are hidden from the camera; the simple label may have missed objects there`,
            suggestedAnswer: Math.min(item.simpleLabel + 1, item.answers.length - 1),
          });
        }
      }
      if (reasons.length > 0) disputes.push({ itemId: item.id, reasons });
    }
    return this.debates.createDisputes(disputes);
  }

  list(datasetId: string): Promise<DisputeEntity[]> {
    return this.debates.disputesOfDataset(datasetId);
  }
}
