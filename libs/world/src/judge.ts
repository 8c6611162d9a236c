import type { CameraView, EvidenceUnit } from './types.js';
import { targetTypeOf } from './objects.js';
import { blindCellKeys, cellKey } from './occlusion.js';
import { answerIndexForCount, type WorldParams } from './params.js';
import { TARGET_SHARE } from './room.js';

/** What a judge is allowed to see of an item: never the evidence as a whole, the labels or the truth. */
export interface JudgeView {
  context: { camera: CameraView };
  question: string;
  answers: string[];
}

export interface JudgeEvidence {
  /** Targets in view plus targets shown by revealed readings of cells the camera cannot see. */
  proven: number;
  /** Blind cells no revealed reading has accounted for: where more targets could still be. */
  unexploredBlindCells: number;
}

/** Everything the posterior depends on: counts, because given them where the objects stand tells nothing more. */
interface Observation {
  visibleTargets: number;
  /** Small objects in view that are not of the asked-about type. */
  visibleOthers: number;
  /** Cells not taken by an occluder, seen or not. */
  freeCells: number;
  blindCells: number;
  revealedBlindCells: number;
  revealedTargets: number;
  /** Revealed blind cells holding an object of another type. */
  revealedOthers: number;
}

function observe(view: JudgeView, revealed: readonly EvidenceUnit[]): Observation {
  const { camera } = view.context;
  const targetType = targetTypeOf(view.question);
  const small = camera.visible.filter((o) => !o.occluder);
  const visibleTargets = small.filter((o) => o.type === targetType).length;
  const blind = blindCellKeys(camera.width, camera.depth, camera.visible);
  // Readings of cells the camera shows add nothing; the same cell cited twice counts once.
  const explored = new Map<string, string | null>();
  for (const unit of revealed) {
    const key = cellKey(unit.reading.x, unit.reading.y);
    if (blind.has(key) && !explored.has(key)) explored.set(key, unit.reading.object);
  }
  const shown = [...explored.values()];
  return {
    visibleTargets,
    visibleOthers: small.length - visibleTargets,
    freeCells: camera.width * camera.depth - (camera.visible.length - small.length),
    blindCells: blind.size,
    revealedBlindCells: explored.size,
    revealedTargets: shown.filter((object) => object === targetType).length,
    revealedOthers: shown.filter((object) => object !== null && object !== targetType).length,
  };
}

export function judgeEvidence(view: JudgeView, revealed: readonly EvidenceUnit[]): JudgeEvidence {
  const o = observe(view, revealed);
  return { proven: o.visibleTargets + o.revealedTargets, unexploredBlindCells: o.blindCells - o.revealedBlindCells };
}

export interface JudgeOptions {
  /**
   * Past this many states the exact recursion (time grows with the fourth power of the object
   * count, memory with the third) gives way to the independent-objects approximation. The default
   * (some 0.15 s and at most 64 MB) is reached only by rooms of well over a hundred objects.
   */
  exactStateLimit?: number;
}

const EXACT_STATE_LIMIT = 2_000_000;

/** The part of the world's parameters a judge reasons with, after any widening. */
interface Prior {
  objectsPerRoom: [number, number];
  hideProbability: number;
}

/** log P(the first a1 + b1 + H + O objects are a1 visible targets, b1 visible others, H hidden targets, O hidden others). */
type LogPrior = (hidden: number, others: number) => number;

function logFactorials(upTo: number): (k: number) => number {
  const table = new Float64Array(upTo + 1);
  for (let i = 2; i <= upTo; i++) table[i] = (table[i - 1] as number) + Math.log(i);
  return (k) => table[k] as number;
}

/**
 * The generator, replayed: each object in turn is a target with probability TARGET_SHARE, hidden
 * (placed in a free blind cell) with probability hideProbability and otherwise placed in a free
 * visible cell — with no free cell of the wanted kind it takes the other kind, as the generator
 * does in a cramped room; an object of another type takes a uniformly drawn free cell, so it lands
 * behind an occluder with probability (free blind cells)/(free cells) at that moment. Occluders are
 * placed before any object and whatever the objects, so the blind cells are a given. The recursion
 * over (visible targets a, visible others b, hidden targets H, hidden others O) so far is exact:
 * given those counts, where in view the objects stand carries no further information.
 */
function exactLogPrior(o: Observation, prior: Prior, most: number): LogPrior {
  const { visibleTargets: a1, visibleOthers: b1, blindCells: blind } = o;
  const visible = o.freeCells - blind;
  const h = prior.hideProbability;
  const other = 1 - TARGET_SHARE;
  // One layer per number of visible targets a, holding q[b][H][O]: the chance that the first
  // a + b + H + O objects came out so. Every step raises one count, so a layer depends only on
  // itself and the one before, and visiting b, H, O in increasing order sees each state complete.
  // States with more hidden objects than `most` can no longer match what the judge sees.
  const side = most + 1;
  const at = (b: number, hidden: number, others: number) => (b * side + hidden) * side + others;
  let layer = new Float64Array((b1 + 1) * side * side);
  let next = new Float64Array(layer.length);
  layer[0] = 1;
  for (let a = 0; a <= a1; a++) {
    next.fill(0);
    for (let b = 0; b <= b1; b++) {
      for (let hidden = 0; hidden <= most; hidden++) {
        for (let others = 0; hidden + others <= most; others++) {
          const q = layer[at(b, hidden, others)] as number;
          if (q === 0) continue;
          const freeBlind = blind - hidden - others;
          const freeVisible = visible - a - b;
          const free = freeBlind + freeVisible;
          if (free === 0) continue;
          const hideShare = freeBlind === 0 ? 0 : freeVisible === 0 ? 1 : h;
          if (a < a1) next[at(b, hidden, others)] += q * TARGET_SHARE * (1 - hideShare);
          if (b < b1) layer[at(b + 1, hidden, others)] += (q * other * freeVisible) / free;
          if (hidden + others < most) {
            layer[at(b, hidden + 1, others)] += q * TARGET_SHARE * hideShare;
            layer[at(b, hidden, others + 1)] += (q * other * freeBlind) / free;
          }
        }
      }
    }
    if (a < a1) [layer, next] = [next, layer];
  }
  return (hidden, others) => Math.log(layer[at(b1, hidden, others)] as number);
}

/**
 * For rooms too big for the exact recursion: each object independently a visible target, a hidden
 * target, another object in view or another object behind an occluder, the last with the room's
 * share of blind cells. It ignores that placements without replacement change those shares as the
 * room fills, and the generator's fallbacks for cramped rooms (which only small rooms hit).
 */
function independentLogPrior(o: Observation, prior: Prior, logFactorial: (k: number) => number): LogPrior {
  const { visibleTargets: a1, visibleOthers: b1 } = o;
  const h = prior.hideProbability;
  const blindShare = o.blindCells / o.freeCells;
  // k·log p with 0·log 0 = 0: none of something impossible is no evidence against.
  const logPower = (p: number, k: number) => (k === 0 ? 0 : k * Math.log(p));
  const inView =
    logPower(TARGET_SHARE * (1 - h), a1) + logPower((1 - TARGET_SHARE) * (1 - blindShare), b1) - logFactorial(a1) - logFactorial(b1);
  return (hidden, others) =>
    logFactorial(a1 + b1 + hidden + others) -
    logFactorial(hidden) -
    logFactorial(others) +
    inView +
    logPower(TARGET_SHARE * h, hidden) +
    logPower((1 - TARGET_SHARE) * blindShare, others);
}

/**
 * The posterior over the number of hidden targets H (index H), or null when the parameters could
 * not have produced what the judge sees. The object count n is uniform over objectsPerRoom, and the
 * objects are drawn one after another whatever n is, so P(counts) = P(n) × the recursion's chance
 * of those counts after n objects. Hidden objects end up spread uniformly over the blind cells
 * (each took a uniformly drawn free one), so the chance that the revealed cells show exactly what
 * they show, s targets and r other objects, is ways(unrevealed; H − s, O − r) / ways(B; H, O),
 * ways(c; x, y) counting the ways to put x targets and y other objects in c cells.
 */
function hiddenTargetPosterior(o: Observation, prior: Prior, exactStateLimit: number): Float64Array | null {
  const { visibleTargets: a1, visibleOthers: b1, blindCells: blind, revealedTargets: s, revealedOthers: r } = o;
  const unrevealed = blind - o.revealedBlindCells;
  const [nMin, nMax] = prior.objectsPerRoom;
  // Hidden objects: those revealed plus at most one per unrevealed blind cell, within the room's object count.
  const most = Math.min(s + r + unrevealed, nMax - a1 - b1);
  if (most < s + r || o.freeCells - blind < a1 + b1) return null;

  const logFactorial = logFactorials(Math.max(blind, nMax));
  const logWays = (cells: number, x: number, y: number) =>
    logFactorial(cells) - logFactorial(x) - logFactorial(y) - logFactorial(cells - x - y);
  const states = ((a1 + 1) * (b1 + 1) * (most + 1) * (most + 2)) / 2;
  const logPrior = states <= exactStateLimit ? exactLogPrior(o, prior, most) : independentLogPrior(o, prior, logFactorial);

  const terms: { hidden: number; logWeight: number }[] = [];
  for (let hidden = s; hidden <= most; hidden++) {
    for (let others = r; hidden + others <= most && hidden - s + others - r <= unrevealed; others++) {
      if (a1 + b1 + hidden + others < nMin) continue;
      const logWeight = logPrior(hidden, others) + logWays(unrevealed, hidden - s, others - r) - logWays(blind, hidden, others);
      if (logWeight > -Infinity) terms.push({ hidden, logWeight });
    }
  }
  if (terms.length === 0) return null;
  const top = Math.max(...terms.map((t) => t.logWeight));
  const posterior = new Float64Array(most + 1);
  for (const t of terms) posterior[t.hidden] += Math.exp(t.logWeight - top);
  return posterior;
}

/**
 * A headless stand-in for a human judge who knows how the world is made: the posterior over the
 * answer given only the camera view and the verified readings, under the world's own parameters
 * (width and depth come from the camera; labellerNoise and maxCitations play no part). See
 * exactLogPrior and hiddenTargetPosterior for the model. What was proven is never doubted: a revealed target counts, and
 * with every blind cell revealed the proven count is certain.
 *
 * It takes which cells were revealed as chosen without regard to what they hold. A debater chooses
 * by content, so a judge shown one side's citations can be misled by omission: the empty cells a
 * dishonest side shows are evidence against hidden targets to this judge, as they would be if
 * drawn at random. Hearing both sides is what protects it.
 *
 * Parameters that could not have produced this view (another world's, e.g. an uploaded copy of a
 * world dataset judged under the defaults: more objects in view than the room may hold, a target
 * in view when every target hides) would leave nothing to believe; the judge then widens them just
 * enough — the object count to take in what is seen, hideProbability off 0 and 1 — rather than fail.
 */
export function simulatedJudgeBelief(
  view: JudgeView,
  revealed: readonly EvidenceUnit[],
  params: WorldParams,
  options: JudgeOptions = {},
): number[] {
  const answerCount = view.answers.length;
  if (answerCount === 0) throw new Error('judge needs at least one answer');
  const o = observe(view, revealed);
  const proven = answerIndexForCount(o.visibleTargets + o.revealedTargets, answerCount);
  // Counts only grow, so once the proven count reaches the last answer ("4+") nothing is left to weigh.
  if (proven === answerCount - 1) return view.answers.map((_, i) => (i === proven ? 1 : 0));
  const limit = options.exactStateLimit ?? EXACT_STATE_LIMIT;

  let posterior = hiddenTargetPosterior(o, { objectsPerRoom: params.objectsPerRoom, hideProbability: params.hideProbability }, limit);
  if (posterior === null) {
    const seen = o.visibleTargets + o.visibleOthers + o.revealedTargets + o.revealedOthers;
    const widened: Prior = {
      objectsPerRoom: [Math.min(params.objectsPerRoom[0], seen), Math.max(params.objectsPerRoom[1], seen)],
      hideProbability: Math.min(Math.max(params.hideProbability, 0.01), 0.99),
    };
    posterior = hiddenTargetPosterior(o, widened, limit);
  }
  if (posterior === null) throw new Error('the camera view shows more objects than the cells it leaves in view can hold');

  const belief = new Array<number>(answerCount).fill(0);
  posterior.forEach((p, hidden) => {
    const index = answerIndexForCount(o.visibleTargets + hidden, answerCount);
    belief[index] = (belief[index] as number) + p;
  });
  const total = belief.reduce((sum, p) => sum + p, 0);
  return belief.map((p) => p / total);
}
