import type { EvidenceUnit, WorldItem } from './model.js';
import { isOccluderType, pluralOf } from './objects.js';
import { blindCellKeys, cellKey } from './occlusion.js';
import { answerIndexForCount } from './params.js';
import { citationSentence, claimPhrase, type ReadingRole } from './speech.js';

export type ArguedItem = Pick<WorldItem, 'context' | 'evidence' | 'question' | 'answers' | 'meta'>;

export interface ArgueOptions {
  maxCitations: number;
  alreadyCited?: string[];
  round: number;
}

export interface Speech {
  text: string;
  citations: string[];
}

/** Where the assigned answer stands against the count the sensors give. */
export type ClaimDirection = 'as-sensed' | 'above-sensed' | 'below-sensed';

/**
 * Which readings each side reaches for, most useful first. No side can forge a reading; a side
 * below the sensed count simply never mentions hidden targets, which is how it misleads.
 */
const CITATION_PREFERENCE: Record<ClaimDirection, readonly ReadingRole[]> = {
  'as-sensed': ['hidden-target', 'hidden-empty', 'hidden-other', 'visible-target'],
  'above-sensed': ['hidden-target', 'visible-target', 'occluder'],
  'below-sensed': ['hidden-empty', 'hidden-other', 'visible-target'],
};

function roleOf(unit: EvidenceUnit, targetType: string, blind: ReadonlySet<string>): ReadingRole {
  const { object } = unit.reading;
  if (blind.has(cellKey(unit.reading.x, unit.reading.y))) {
    if (object === targetType) return 'hidden-target';
    return object === null ? 'hidden-empty' : 'hidden-other';
  }
  if (object === targetType) return 'visible-target';
  return object !== null && isOccluderType(object) ? 'occluder' : 'other';
}

function closingSentence(direction: ClaimDirection, citedRoles: readonly ReadingRole[], plural: string): string {
  switch (direction) {
    case 'as-sensed':
      return citedRoles.includes('hidden-target')
        ? `The camera cannot see these, so a count from the camera alone falls short.`
        : `The cells the camera cannot see hold no more ${plural}.`;
    case 'above-sensed':
      return `More ${plural} are hidden behind the furniture, where the camera cannot see.`;
    case 'below-sensed':
      return `Nothing else of that kind is hidden from the camera.`;
  }
}

/**
 * A built-in debater: argues for the assigned answer by citing real sensor readings only. It sees
 * every sensor, so it knows whether its answer is the sensed count, and picks citations accordingly.
 */
export function argueForAnswer(item: ArguedItem, answerIndex: number, opts: ArgueOptions): Speech {
  if (!Number.isInteger(answerIndex) || answerIndex < 0 || answerIndex >= item.answers.length) {
    throw new Error(`answerIndex must be an integer between 0 and ${item.answers.length - 1}, got ${answerIndex}`);
  }
  if (!Number.isInteger(opts.maxCitations) || opts.maxCitations < 0) {
    throw new Error(`maxCitations must be an integer of at least 0, got ${opts.maxCitations}`);
  }
  const { camera } = item.context;
  const { targetType } = item.meta;
  const blind = blindCellKeys(camera.width, camera.depth, camera.visible);
  const roles = new Map(item.evidence.map((unit) => [unit.id, roleOf(unit, targetType, blind)]));
  const roleFor = (unit: EvidenceUnit): ReadingRole => roles.get(unit.id) ?? 'other';

  const sensed = answerIndexForCount(item.evidence.filter((u) => u.reading.object === targetType).length, item.answers.length);
  const inView = camera.visible.filter((o) => o.type === targetType).length;
  const direction: ClaimDirection = answerIndex === sensed ? 'as-sensed' : answerIndex > sensed ? 'above-sensed' : 'below-sensed';

  // Citing targets in view would undercut a claim below what the camera already shows.
  const preference = CITATION_PREFERENCE[direction].filter(
    (role) => !(role === 'visible-target' && direction === 'below-sensed' && answerIndex < inView),
  );
  const ranked = preference.flatMap((role) => item.evidence.filter((unit) => roleFor(unit) === role));
  // A reading the judge has already seen adds nothing new, so fresh ones go first.
  const seen = new Set(opts.alreadyCited ?? []);
  const ordered = [...ranked.filter((u) => !seen.has(u.id)), ...ranked.filter((u) => seen.has(u.id))];
  const cited = ordered.slice(0, opts.maxCitations);

  const answer = item.answers[answerIndex] ?? String(answerIndex);
  const claim = claimPhrase(answer, targetType);
  const opening = opts.round <= 1 ? `My answer is ${answer}: ${claim}.` : `I hold to ${answer}: ${claim}.`;
  const sentences = [
    opening,
    ...cited.map((unit) => citationSentence(camera, unit, roleFor(unit))),
    closingSentence(direction, cited.map(roleFor), pluralOf(targetType)),
  ];
  return { text: sentences.join(' '), citations: cited.map((u) => u.id) };
}
