import { describe, expect, it } from 'vitest';
import {
  argueForAnswer,
  blindCellKeys,
  cellKey,
  generateWorldDataset,
  judgeEvidence,
  simulatedJudgeBelief,
  type EvidenceUnit,
  type WorldItem,
} from '../src/index.js';
import { argmax, citedUnits, itemOf, roomOf } from './factories.js';

const items = generateWorldDataset({ seed: 77, size: 400 });
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
const massAbove = (belief: readonly number[], index: number) => sum(belief.slice(index + 1));

function honestCitations(item: WorldItem): EvidenceUnit[] {
  return citedUnits(item, argueForAnswer(item, item.groundTruth, { maxCitations: 3, round: 1 }).citations);
}

function accuracy(judged: WorldItem[], revealedFor: (item: WorldItem) => EvidenceUnit[]): number {
  const right = judged.filter((item) => argmax(simulatedJudgeBelief(item, revealedFor(item))) === item.groundTruth);
  return right.length / judged.length;
}

/** One chair in view, one behind the table in column 1; column 4 blind behind the sofa. */
const hiddenChair = itemOf(
  roomOf('chair', [
    ['chair', 0, 2],
    ['table', 1, 0],
    ['chair', 1, 3],
    ['sofa', 4, 1],
  ]),
);
const unit = (id: string) => hiddenChair.evidence.find((e) => e.id === id) as EvidenceUnit;

describe('simulatedJudgeBelief', () => {
  it('gives a probability per answer summing to 1', () => {
    for (const item of items.slice(0, 100)) {
      for (const revealed of [[], honestCitations(item), item.evidence]) {
        const belief = simulatedJudgeBelief(item, revealed);
        expect(belief).toHaveLength(item.answers.length);
        expect(sum(belief)).toBeCloseTo(1, 12);
        expect(belief.every((p) => p >= 0)).toBe(true);
      }
    }
  });

  it('puts no mass below the proven count and peaks on it', () => {
    const cameraOnly = simulatedJudgeBelief(hiddenChair, []);
    expect(cameraOnly[0]).toBe(0);
    expect(argmax(cameraOnly)).toBe(1);

    const shown = simulatedJudgeBelief(hiddenChair, [unit('s-1-3')]);
    expect(judgeEvidence(hiddenChair, [unit('s-1-3')]).proven).toBe(2);
    expect(shown[0]).toBe(0);
    expect(shown[1]).toBe(0);
    expect(argmax(shown)).toBe(2);

    for (const item of items) {
      const revealed = honestCitations(item);
      const { proven } = judgeEvidence(item, revealed);
      const belief = simulatedJudgeBelief(item, revealed);
      expect(sum(belief.slice(0, Math.min(proven, 4)))).toBe(0);
      expect(argmax(belief)).toBe(Math.min(proven, 4));
    }
  });

  it('counts a cell once and ignores readings of cells the camera already shows', () => {
    expect(simulatedJudgeBelief(hiddenChair, [unit('s-1-3'), unit('s-1-3')])).toEqual(simulatedJudgeBelief(hiddenChair, [unit('s-1-3')]));
    expect(simulatedJudgeBelief(hiddenChair, [unit('s-0-2'), unit('s-3-3')])).toEqual(simulatedJudgeBelief(hiddenChair, []));
  });

  it('keeps more mass on "more hidden" with more occluders and a higher hideProbability', () => {
    const oneOccluder = itemOf(roomOf('lamp', [['cabinet', 2, 3]]));
    const threeOccluders = itemOf(
      roomOf('lamp', [
        ['cabinet', 2, 3],
        ['sofa', 0, 1],
        ['table', 5, 2],
      ]),
    );
    const noOccluder = itemOf(roomOf('lamp', [['lamp', 2, 3]]));
    expect(massAbove(simulatedJudgeBelief(threeOccluders, []), 0)).toBeGreaterThan(massAbove(simulatedJudgeBelief(oneOccluder, []), 0));
    expect(massAbove(simulatedJudgeBelief(noOccluder, []), 1)).toBe(0);
    const low = simulatedJudgeBelief(threeOccluders, [], { hideProbability: 0.1 });
    const high = simulatedJudgeBelief(threeOccluders, [], { hideProbability: 0.6 });
    expect(massAbove(high, 0)).toBeGreaterThan(massAbove(low, 0));
    expect(massAbove(simulatedJudgeBelief(threeOccluders, [], { hideProbability: 0 }), 0)).toBe(0);
    expect(() => simulatedJudgeBelief(threeOccluders, [], { hideProbability: 1.5 })).toThrow(/hideProbability/);
  });

  it('lowers the mass on "more hidden" when blind cells are shown empty', () => {
    const before = massAbove(simulatedJudgeBelief(hiddenChair, []), 1);
    const after = massAbove(simulatedJudgeBelief(hiddenChair, [unit('s-4-2'), unit('s-4-3')]), 1);
    expect(after).toBeLessThan(before);
    const { camera } = hiddenChair.context;
    const blind = blindCellKeys(camera.width, camera.depth, camera.visible);
    const allBlind = hiddenChair.evidence.filter((e) => blind.has(cellKey(e.reading.x, e.reading.y)));
    expect(allBlind).toHaveLength(9);
    expect(massAbove(simulatedJudgeBelief(hiddenChair, allBlind), 2)).toBe(0);
  });

  it("is more accurate when shown the true side's citations than with the camera alone", () => {
    const cameraOnly = accuracy(items, () => []);
    const withTrueSide = accuracy(items, honestCitations);
    expect(withTrueSide).toBeGreaterThan(cameraOnly + 0.2);
    expect(withTrueSide).toBeGreaterThan(0.9);
  });

  it('is misled by omission when it hears only a side arguing for less, but not when both sides are heard', () => {
    const hidden = items.filter((i) => i.meta.hiddenCount > 0 && i.groundTruth > 0);
    const lowerSide = (item: WorldItem) =>
      citedUnits(item, argueForAnswer(item, item.groundTruth - 1, { maxCitations: 3, round: 1 }).citations);
    expect(accuracy(hidden, lowerSide)).toBeLessThan(0.2);
    expect(accuracy(hidden, (item) => [...lowerSide(item), ...honestCitations(item)])).toBeGreaterThan(0.9);
  });
});
