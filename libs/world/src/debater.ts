import type { EvidenceUnit, WorldItem } from './types.js';
import { blindCellKeys } from './occlusion.js';
import { answerIndexForCount } from './params.js';
import { citationSentence, closingSentence, openingSentence, readingRole } from './speech.js';

export type ArguedItem = Pick<WorldItem, 'context' | 'evidence' | 'question' | 'answers' | 'meta'>;

export interface ArgueOptions {
  maxCitations: number;
  /** Readings the judge has already seen in this debate, cited by anyone. */
  alreadyCited?: string[];
  round: number;
}

export interface Speech {
  text: string;
  citations: string[];
}

/**
 * The answer a built-in debater copy defends when it chooses for itself. A copy sees exactly the
 * model's inputs, every sensor reading, hidden cells included, and sensors never lie, so it defends
 * the count its sensors show. This is what seats the answer argued against the simple label before
 * any model has been trained on the item's dataset; once a model has scored the item, its intended
 * head's answer takes this place.
 */
export function debaterAnswer(item: ArguedItem): number {
  const sensed = item.evidence.filter((unit) => unit.reading.object === item.meta.targetType).length;
  return answerIndexForCount(sensed, item.answers.length);
}

/**
 * Every reading a side defending `answerIndex` may cite, most useful first: one function of (the
 * answer, the readings, what the judge has seen so far) that is the same for every side. Nothing in
 * it asks whether the answer is the true one; an honest side simply finds better readings to cite.
 *
 * With v targets in the camera's view, "the count is a" needs the shown count (v plus the hidden
 * targets revealed so far) to reach a and not pass it, and gains when blind cells are shown to hold
 * nothing more, but only once the shown count has reached a: before that, every blind cell ruled out
 * is one fewer place for the targets a still needs. So, in order:
 * 1. hidden targets, raising the shown count towards a (never past it: one more would refute a;
 *    the last answer, "4+", has no ceiling);
 * 2. readings of blind cells holding no target, when the shown count reaches a;
 * 3. readings confirming targets in view (at most a of them: more would refute a);
 * 4. readings of cells in view holding no target, which tell a judge nothing the camera did not;
 * and last, blind cells holding no target when the shown count falls short of a (they hurt a, but
 * never refute it). Within that order, readings the judge has not seen come before ones it has.
 * Hidden targets past the ceiling and targets in view past a are never cited.
 */
export function citationRanking(item: ArguedItem, answerIndex: number, alreadyCited: readonly string[] = []): EvidenceUnit[] {
  const { camera } = item.context;
  const { targetType } = item.meta;
  const blind = blindCellKeys(camera.width, camera.depth, camera.visible);
  const roles = new Map(item.evidence.map((unit) => [unit.id, readingRole(camera, unit, targetType, blind)]));
  const withRole = (...wanted: string[]) => item.evidence.filter((unit) => wanted.includes(roles.get(unit.id) ?? 'other'));
  const seen = new Set(alreadyCited);

  const least = answerIndex;
  const most = answerIndex === item.answers.length - 1 ? Number.POSITIVE_INFINITY : answerIndex;
  const inView = camera.visible.filter((o) => o.type === targetType).length;

  const hiddenTargets = withRole('hidden-target');
  const shownHidden = hiddenTargets.filter((unit) => seen.has(unit.id));
  const shownBefore = inView + shownHidden.length;
  // Once the judge has seen more than `most`, every hidden target is part of the refutation.
  const freshHidden = shownBefore > most ? [] : hiddenTargets.filter((unit) => !seen.has(unit.id)).slice(0, most - shownBefore);
  const hidden = shownBefore > most ? [] : [...shownHidden, ...freshHidden];
  const reachesAnswer = shownBefore + freshHidden.length >= least;

  const clearing = withRole('hidden-empty', 'hidden-other');
  const confirming = withRole('visible-target').slice(0, most);
  const neutral = withRole('occluder', 'other');

  const helpful = reachesAnswer ? [...hidden, ...clearing, ...confirming, ...neutral] : [...hidden, ...confirming, ...neutral];
  const harmful = reachesAnswer ? [] : clearing;
  const freshFirst = (units: EvidenceUnit[]) => [...units.filter((u) => !seen.has(u.id)), ...units.filter((u) => seen.has(u.id))];
  return [...freshFirst(helpful), ...freshFirst(harmful)];
}

/**
 * A built-in debater: argues for the assigned answer by citing real sensor readings only (see
 * citationRanking for which). Its wording depends on the answer, the round and the cited readings'
 * own contents, never on whether the answer is true; and every side in a room cites the same number
 * of readings, min(maxCitations, readings of cells holding no target), so the count cannot tell
 * either. (Every side can always cite that many without refuting itself; it only binds in a room so
 * cramped that fewer cells hold no target than a speech may cite.)
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

  const withoutTarget = item.evidence.filter((unit) => unit.reading.object !== targetType).length;
  const cited = citationRanking(item, answerIndex, opts.alreadyCited ?? []).slice(0, Math.min(opts.maxCitations, withoutTarget));

  const answer = item.answers[answerIndex] ?? String(answerIndex);
  const sentences = [
    openingSentence(answer, targetType, opts.round),
    ...cited.map((unit) => citationSentence(camera, unit, readingRole(camera, unit, targetType, blind))),
    closingSentence(answer, cited.length),
  ];
  return { text: sentences.join(' '), citations: cited.map((u) => u.id) };
}
