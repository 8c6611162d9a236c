import type { CameraView, LabelErrorKind } from './types.js';
import { answerIndexForCount } from './params.js';
import type { Rng } from './rng.js';

export interface SimpleLabelling {
  /** Index into the answers. */
  label: number;
  /** -1, 0 or +1: the random miscount, before clamping at zero. */
  shift: number;
}

/**
 * One human, a quick look: counts what the camera shows (so hidden objects are always missed)
 * and sometimes miscounts by one.
 */
export function simpleLabeller(camera: CameraView, targetType: string, rng: Rng, labellerNoise: number): SimpleLabelling {
  const seen = camera.visible.filter((o) => o.type === targetType).length;
  // Both draws always happen, so raising labellerNoise only adds miscounts to the same items.
  const miscounts = rng() < labellerNoise;
  const direction = rng() < 0.5 ? -1 : 1;
  const shift = miscounts ? direction : 0;
  return { label: answerIndexForCount(Math.max(0, seen + shift)), shift };
}

/**
 * Why the simple label is wrong, judged by what each cause did to the answer index: a miscount
 * that only clamps at zero or stays inside "4+" is no error.
 */
export function labelErrorKind(truth: number, seenLabel: number, simpleLabel: number): LabelErrorKind {
  if (simpleLabel === truth) return 'none';
  const missed = seenLabel !== truth;
  const noisy = simpleLabel !== seenLabel;
  if (missed && noisy) return 'both';
  return missed ? 'missed-hidden' : 'noise';
}
