import { describe, expect, it } from 'vitest';
import {
  answerIndexForCount,
  blindCellKeys,
  blindCells,
  cellKey,
  createRng,
  deriveSeed,
  generateWorldDataset,
  judgeEvidence,
  questionFor,
  randomInt,
  sensorId,
  sensorText,
  shuffled,
  simulatedJudgeBelief,
  validateWorldParams,
  WORLD_ANSWERS,
  type EvidenceUnit,
  type JudgeView,
  type WorldItem,
} from '../src/index.js';

/*
 * How sure the judge gets of a wrong count when the cells holding the hidden targets are never
 * revealed: what a clear-cut threshold on its verdicts has to be set against.
 */

const reading = (x: number, y: number, object: string | null): EvidenceUnit => ({
  id: sensorId(x, y),
  kind: 'sensor',
  text: sensorText(x, y, object),
  reading: { x, y, object },
});

/**
 * The judge's largest probability on a wrong proven count, over every view of a 6 × 6 room whose
 * blind cells are all revealed but one, that one holding a target: one occluder per column
 * (which columns does not matter, only how many cells they hide), any counts in view and among the
 * revealed cells that leave the proven count below "4+" and the room within objectsPerRoom.
 */
function worstOmission(hideProbability: number): number {
  const params = validateWorldParams({ hideProbability });
  const [nMin, nMax] = params.objectsPerRoom;
  // One layout per (occluders, blind cells): the posterior depends on nothing else of the layout.
  const rows = [0, 1, 2, 3, 4];
  const candidates = [
    ...rows.map((y) => [y]),
    ...rows.flatMap((y) => rows.map((z) => [y, z])),
    ...rows.flatMap((y) => rows.flatMap((z) => rows.map((w) => [y, z, w]))),
  ];
  const layouts = new Map<string, { type: string; x: number; y: number; occluder: boolean }[]>();
  for (const rowsOf of candidates) {
    const occluders = rowsOf.map((y, x) => ({ type: 'table', x, y, occluder: true }));
    layouts.set(`${occluders.length}:${blindCells(6, 6, occluders).length}`, occluders);
  }
  let worst = 0;
  for (const occluders of layouts.values()) {
    const blind = blindCells(6, 6, occluders);
    const blindKeys = new Set(blind.map((c) => cellKey(c.x, c.y)));
    const inView: { x: number; y: number }[] = [];
    for (let y = 0; y < 6; y++) for (let x = 3; x < 6; x++) inView.push({ x, y });
    for (let targets = 0; targets <= 3; targets++) {
      for (let others = 0; targets + others + 1 <= nMax; others++) {
        for (let shownTargets = 0; targets + shownTargets <= 3; shownTargets++) {
          for (let shownOthers = 0; shownTargets + shownOthers < blind.length; shownOthers++) {
            const objects = targets + others + shownTargets + shownOthers + 1;
            if (objects < nMin || objects > nMax) continue;
            const small = inView
              .slice(0, targets + others)
              .map(({ x, y }, i) => ({ type: i < targets ? 'chair' : 'lamp', x, y, occluder: false }));
            expect(small.every(({ x, y }) => !blindKeys.has(cellKey(x, y)))).toBe(true);
            const view: JudgeView = {
              context: { camera: { width: 6, depth: 6, visible: [...occluders, ...small] } },
              question: questionFor('chair'),
              answers: [...WORLD_ANSWERS],
            };
            const revealed = blind
              .slice(1)
              .map(({ x, y }, i) => reading(x, y, i < shownTargets ? 'chair' : i < shownTargets + shownOthers ? 'lamp' : null));
            const belief = simulatedJudgeBelief(view, revealed, params);
            worst = Math.max(worst, belief[targets + shownTargets] as number);
          }
        }
      }
    }
  }
  return worst;
}

function blindUnits(item: WorldItem): EvidenceUnit[] {
  const { camera } = item.context;
  const blind = blindCellKeys(camera.width, camera.depth, camera.visible);
  return item.evidence.filter((e) => blind.has(cellKey(e.reading.x, e.reading.y)));
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const shareAtLeast = (values: number[], threshold: number) => values.filter((v) => v >= threshold).length / values.length;

/**
 * Over generated rooms with at least one blind cell: the judge's probability on the proven count
 * when the unrevealed cells hold a target it cannot see (so the proven count is the wrong answer),
 * and its top probability when they hold none, with blind cells revealed at random (never all);
 * and, for rooms with hidden targets, under the worst omission: every blind cell but the targets'.
 */
function measure(hideProbability: number) {
  const params = validateWorldParams({ hideProbability });
  const items = generateWorldDataset({ seed: 8, size: 4000, params });
  const random = { wrong: [] as number[], rightTop: [] as number[] };
  const omission = { wrong: [] as number[], misled: 0 };
  items.forEach((item, i) => {
    const blind = blindUnits(item);
    if (blind.length === 0) return;
    const rng = createRng(deriveSeed(4242, i));
    const shown = shuffled(rng, blind).slice(0, randomInt(rng, 0, blind.length - 1));
    const proven = answerIndexForCount(judgeEvidence(item, shown).proven);
    const belief = simulatedJudgeBelief(item, shown, params);
    if (proven !== item.groundTruth) random.wrong.push(belief[proven] as number);
    else random.rightTop.push(Math.max(...belief));

    if (item.meta.hiddenCount > 0 && item.meta.visibleCount < 4) {
      const omitted = simulatedJudgeBelief(
        item,
        blind.filter((u) => u.reading.object !== item.meta.targetType),
        params,
      );
      const wrong = answerIndexForCount(item.meta.visibleCount);
      omission.wrong.push(omitted[wrong] as number);
      if (Math.max(...omitted) === omitted[wrong]) omission.misled++;
    }
  });
  return { random, omission };
}

describe('the judge misled by omission', () => {
  it('in the default world, gives a wrong proven count at most 0.975, and above 0.95 in the worst rooms', { timeout: 30_000 }, () => {
    // Measured 0.9742: three occluders in the front row (15 blind cells), two targets in view, 14
    // cells shown empty. A clear-cut threshold of 0.95 lets a one-sided omission through there.
    const worst = worstOmission(0.35);
    expect(worst).toBeLessThan(0.975);
    expect(worst).toBeGreaterThan(0.95);
    // Measured 0.9925 and 0.9497: the rarer hiding is, the more an unrevealed cell is trusted empty.
    expect(worstOmission(0.1)).toBeLessThan(0.995);
    expect(worstOmission(0.7)).toBeLessThan(0.96);
  });

  it(
    'over generated default rooms: rarely sure of a wrong count under random reveals, often fooled by the worst omission',
    { timeout: 30_000 },
    () => {
      const { random, omission } = measure(0.35);
      // Measured over 1281 rooms with a wrong proven count: median 0.58, 95th percentile 0.82, none ≥ 0.95.
      expect(random.wrong.length).toBeGreaterThan(1000);
      expect(shareAtLeast(random.wrong, 0.95)).toBeLessThan(0.01);
      expect(median(random.wrong)).toBeLessThan(0.7);
      // When nothing is missing it is surer (median 0.72, and 13% ≥ 0.95).
      expect(median(random.rightTop)).toBeGreaterThan(median(random.wrong) + 0.05);
      // Worst omission, 1866 rooms: median 0.85, 5.1% ≥ 0.95, the wrong count favoured in 89%.
      expect(omission.misled / omission.wrong.length).toBeGreaterThan(0.8);
      expect(shareAtLeast(omission.wrong, 0.95)).toBeLessThan(0.1);
      expect(Math.max(...omission.wrong)).toBeLessThan(0.975);
    },
  );

  it(
    'where targets rarely hide (hideProbability 0.1), a wrong count under the worst omission usually passes 0.95',
    { timeout: 30_000 },
    () => {
      const { random, omission } = measure(0.1);
      // Random reveals, 406 rooms: median 0.86, 4.7% ≥ 0.95. Worst omission, 616 rooms: median 0.96, 65% ≥ 0.95.
      expect(shareAtLeast(random.wrong, 0.95)).toBeLessThan(0.1);
      expect(median(omission.wrong)).toBeGreaterThan(0.95);
      expect(Math.max(...omission.wrong)).toBeLessThan(0.995);
    },
  );
});
