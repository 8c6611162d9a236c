import { isBehindOccluder } from './occlusion.js';
import { TARGET_TYPES } from './objects.js';
import type { Room } from './room.js';

/** Counts are divided by this, to keep features near the unit range. */
const COUNT_SCALE = 4;

/** The same for every room size: the target type, then two counts per askable type. */
export function featureLength(): number {
  return 3 * TARGET_TYPES.length;
}

/**
 * What the model sees of a room: the question's target type (one-hot), then, per askable type, the
 * count the sensors show (hidden objects included) and the count in the camera's view, both over 4.
 * The truth (the sensed count of the target) and what the labeller would say (its visible count)
 * are equally easy to read off, so which one a model learns is decided by the labels it is trained
 * on, not by the features. (A per-cell encoding was tried first: with a few hundred rooms a network
 * memorised the cells and generalised to neither.)
 */
export function roomFeatures(room: Room): number[] {
  const features = new Array<number>(featureLength()).fill(0);
  features[TARGET_TYPES.indexOf(room.targetType)] = 1;
  TARGET_TYPES.forEach((type, i) => {
    const ofType = room.objects.filter((o) => o.type === type);
    features[TARGET_TYPES.length + 2 * i] = ofType.length / COUNT_SCALE;
    features[TARGET_TYPES.length + 2 * i + 1] = ofType.filter((o) => !isBehindOccluder(room.objects, o.x, o.y)).length / COUNT_SCALE;
  });
  return features;
}
