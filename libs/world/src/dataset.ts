import { sensorReadings } from './evidence.js';
import { roomFeatures } from './features.js';
import { labelErrorKind, simpleLabeller } from './labeller.js';
import type { WorldItem } from './types.js';
import { questionFor } from './objects.js';
import { answerIndexForCount, validateWorldParams, WORLD_ANSWERS, type WorldParams } from './params.js';
import { createRng, deriveSeed, type Rng } from './rng.js';
import { cameraView, generateRoom, isHidden, type Room } from './room.js';

export function worldItemFromRoom(room: Room, externalId: string, rng: Rng, params: WorldParams): WorldItem {
  const camera = cameraView(room);
  const targets = room.objects.filter((o) => o.type === room.targetType);
  const hiddenCount = targets.filter((o) => isHidden(room, o)).length;
  const trueCount = targets.length;
  const visibleCount = trueCount - hiddenCount;

  const groundTruth = answerIndexForCount(trueCount);
  const { label: simpleLabel, shift } = simpleLabeller(camera, room.targetType, rng, params.labellerNoise);
  const errorKind = labelErrorKind(groundTruth, answerIndexForCount(visibleCount), simpleLabel);

  return {
    externalId,
    context: { kind: 'world-room', camera },
    evidence: sensorReadings(room),
    question: questionFor(room.targetType),
    answers: [...WORLD_ANSWERS],
    simpleLabel,
    groundTruth,
    features: roomFeatures(room),
    meta: {
      targetType: room.targetType,
      trueCount,
      visibleCount,
      hiddenCount,
      simpleLabelWrong: simpleLabel !== groundTruth,
      errorKind,
      labellerShift: shift,
    },
  };
}

export interface WorldDatasetOptions {
  seed: number;
  size: number;
  params?: Partial<WorldParams>;
}

/** Item i depends only on (seed, i, params): growing `size` appends items and changes none. */
export function generateWorldDataset(opts: WorldDatasetOptions): WorldItem[] {
  const params = validateWorldParams(opts.params ?? {});
  if (!Number.isSafeInteger(opts.seed)) throw new Error(`world.seed must be an integer, got ${String(opts.seed)}`);
  if (!Number.isSafeInteger(opts.size) || opts.size < 0) {
    throw new Error(`world.size must be an integer of at least 0, got ${String(opts.size)}`);
  }
  return Array.from({ length: opts.size }, (_, index) => {
    const rng = createRng(deriveSeed(opts.seed, index));
    return worldItemFromRoom(generateRoom(rng, params), `room-${opts.seed}-${index}`, rng, params);
  });
}
