import type { CameraView, EvidenceUnit } from './model.js';
import { targetTypeOf } from './objects.js';
import { blindCellKeys, cellKey } from './occlusion.js';
import { answerIndexForCount, DEFAULT_WORLD_PARAMS } from './params.js';

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

/**
 * The judge's rough prior for a default room: about 1.8 targets over about 6 blind cells, each
 * target hidden with probability hideProbability. More occluders mean more blind cells and more mass.
 */
const TARGETS_PER_ROOM = 1.8;
const BLIND_CELLS_PER_ROOM = 6;
/**
 * Kept below ln 2, so the proven count outweighs all higher counts together: the belief peaks on
 * what has been proven even when those higher counts fold into "4+".
 */
const MAX_EXPECTED_UNSEEN = 0.69;

export function judgeEvidence(view: JudgeView, revealed: readonly EvidenceUnit[]): JudgeEvidence {
  const { camera } = view.context;
  const targetType = targetTypeOf(view.question);
  const inView = camera.visible.filter((o) => o.type === targetType).length;
  const blind = blindCellKeys(camera.width, camera.depth, camera.visible);
  // Readings of cells the camera shows add nothing; the same cell cited twice counts once.
  const explored = new Map<string, string | null>();
  for (const unit of revealed) {
    const key = cellKey(unit.reading.x, unit.reading.y);
    if (blind.has(key) && !explored.has(key)) explored.set(key, unit.reading.object);
  }
  const shownHidden = [...explored.values()].filter((object) => object === targetType).length;
  return { proven: inView + shownHidden, unexploredBlindCells: blind.size - explored.size };
}

/**
 * A headless stand-in for a human judge: believes the camera and the verified readings, adds a
 * Poisson-shaped allowance for targets that may still be hidden, and never doubts what was proven.
 */
export function simulatedJudgeBelief(view: JudgeView, revealed: EvidenceUnit[], params: { hideProbability?: number } = {}): number[] {
  const hideProbability = params.hideProbability ?? DEFAULT_WORLD_PARAMS.hideProbability;
  if (!Number.isFinite(hideProbability) || hideProbability < 0 || hideProbability > 1) {
    throw new Error(`judge.hideProbability must be between 0 and 1, got ${String(hideProbability)}`);
  }
  const answerCount = view.answers.length;
  if (answerCount === 0) throw new Error('judge needs at least one answer');

  const { proven, unexploredBlindCells } = judgeEvidence(view, revealed);
  const expectedUnseen = Math.min((unexploredBlindCells * hideProbability * TARGETS_PER_ROOM) / BLIND_CELLS_PER_ROOM, MAX_EXPECTED_UNSEEN);

  const belief = new Array<number>(answerCount).fill(0);
  let mass = Math.exp(-expectedUnseen);
  for (let extra = 0; extra <= unexploredBlindCells; extra++) {
    const index = answerIndexForCount(proven + extra, answerCount);
    belief[index] = (belief[index] ?? 0) + mass;
    mass *= expectedUnseen / (extra + 1);
  }
  const total = belief.reduce((sum, p) => sum + p, 0);
  return belief.map((p) => p / total);
}
