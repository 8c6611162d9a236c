import type { CameraView, EvidenceUnit } from './types.js';
import { isOccluderType, pluralOf } from './objects.js';
import { blindCellKeys, blockingOccluder, cellKey } from './occlusion.js';

/**
 * What a sensor reading shows, in terms a judge can check once it is cited: whether the camera sees
 * the cell, and what the cell holds (the asked-about type, something else, or nothing). It depends on
 * the reading and the camera view only, never on who cites it or why.
 */
export type ReadingRole = 'hidden-target' | 'hidden-empty' | 'hidden-other' | 'visible-target' | 'occluder' | 'other';

export function readingRole(camera: CameraView, unit: EvidenceUnit, targetType: string, blind?: ReadonlySet<string>): ReadingRole {
  const { x, y, object } = unit.reading;
  const blindKeys = blind ?? blindCellKeys(camera.width, camera.depth, camera.visible);
  if (blindKeys.has(cellKey(x, y))) {
    if (object === targetType) return 'hidden-target';
    return object === null ? 'hidden-empty' : 'hidden-other';
  }
  if (object === targetType) return 'visible-target';
  return object !== null && isOccluderType(object) ? 'occluder' : 'other';
}

/** "there are 4 or more chairs in the room", "there is 1 lamp in the room", ... */
export function claimPhrase(answer: string, targetType: string): string {
  const atLeast = /^(\d+)\+$/.exec(answer);
  if (atLeast) return `there are ${atLeast[1]} or more ${pluralOf(targetType)} in the room`;
  if (answer === '0') return `there are no ${pluralOf(targetType)} in the room`;
  if (answer === '1') return `there is 1 ${targetType} in the room`;
  return `there are ${answer} ${pluralOf(targetType)} in the room`;
}

/** A speech's first sentence: the answer and the round only. */
export function openingSentence(answer: string, targetType: string, round: number): string {
  const claim = claimPhrase(answer, targetType);
  return round <= 1 ? `My answer is ${answer}: ${claim}.` : `I hold to ${answer}: ${claim}.`;
}

/**
 * A speech's last sentence: the answer only (and whether the speech cites anything at all, which is
 * the same for every side under the same limits). Every side says it, honest or not; which readings
 * stand above it is the only thing that differs.
 */
export function closingSentence(answer: string, citationCount: number): string {
  return citationCount > 0
    ? `The readings cited above are consistent with ${answer}.`
    : `This speech cites no readings; my answer is ${answer}.`;
}

function behind(camera: CameraView, unit: EvidenceUnit): string {
  return blockingOccluder(camera.visible, unit.reading.x, unit.reading.y)?.type ?? 'furniture';
}

/**
 * One sentence per cited reading, worded from what the reading shows and where its cell is (facts the
 * judge can check), never from what the citing side would like it to mean.
 */
export function citationSentence(camera: CameraView, unit: EvidenceUnit, role: ReadingRole): string {
  const { x, y, object } = unit.reading;
  const marker = `[[${unit.id}]]`;
  switch (role) {
    case 'hidden-target':
    case 'hidden-other':
      return `${marker} shows a ${object ?? 'thing'} at (${x}, ${y}), hidden from the camera behind the ${behind(camera, unit)}.`;
    case 'hidden-empty':
      return `${marker} shows the cell at (${x}, ${y}) behind the ${behind(camera, unit)} is empty.`;
    case 'visible-target':
      return `${marker} confirms the ${object ?? 'thing'} in view at (${x}, ${y}).`;
    case 'occluder':
      return `${marker} shows the ${object ?? 'thing'} at (${x}, ${y}), which blocks the camera's view of the cells behind it.`;
    case 'other':
      return object === null
        ? `${marker} shows the cell at (${x}, ${y}), in view, is empty.`
        : `${marker} confirms the ${object} in view at (${x}, ${y}).`;
  }
}
