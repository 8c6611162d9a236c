import type { CameraView, EvidenceUnit } from './model.js';
import { pluralOf } from './objects.js';
import { blockingOccluder } from './occlusion.js';

/** How a sensor reading bears on a count, from the point of view of someone who can see the camera view. */
export type ReadingRole = 'hidden-target' | 'hidden-empty' | 'hidden-other' | 'visible-target' | 'occluder' | 'other';

/** "there are 4 or more chairs in the room", "there is 1 lamp in the room", ... */
export function claimPhrase(answer: string, targetType: string): string {
  const atLeast = /^(\d+)\+$/.exec(answer);
  if (atLeast) return `there are ${atLeast[1]} or more ${pluralOf(targetType)} in the room`;
  if (answer === '0') return `there are no ${pluralOf(targetType)} in the room`;
  if (answer === '1') return `there is 1 ${targetType} in the room`;
  return `there are ${answer} ${pluralOf(targetType)} in the room`;
}

function behind(camera: CameraView, unit: EvidenceUnit): string {
  return blockingOccluder(camera.visible, unit.reading.x, unit.reading.y)?.type ?? 'furniture';
}

export function citationSentence(camera: CameraView, unit: EvidenceUnit, role: ReadingRole): string {
  const { x, y, object } = unit.reading;
  const marker = `[[${unit.id}]]`;
  switch (role) {
    case 'hidden-target':
      return `${marker} shows a ${object ?? 'thing'} at (${x}, ${y}), hidden from the camera behind the ${behind(camera, unit)}.`;
    case 'hidden-empty':
      return `${marker} shows the cell at (${x}, ${y}) behind the ${behind(camera, unit)} is empty.`;
    case 'hidden-other':
      return `${marker} shows only a ${object ?? 'thing'} at (${x}, ${y}) behind the ${behind(camera, unit)}.`;
    case 'visible-target':
      return `${marker} confirms the ${object ?? 'thing'} in view at (${x}, ${y}).`;
    case 'occluder':
      return `${marker} shows the ${object ?? 'thing'} at (${x}, ${y}), which blocks the camera's view of the cells behind it.`;
    case 'other':
      return `${marker} reads ${object ?? 'empty'} at (${x}, ${y}).`;
  }
}
