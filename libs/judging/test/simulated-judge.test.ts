import { describe, expect, it } from 'vitest';
import { blindCellKeys, cellKey, generateWorldDataset, type WorldItem } from '#tribunal/world';
import { simulatedJudge, type SimulatedJudgeInput } from '../src/index.js';

const items = generateWorldDataset({ seed: 11, size: 60 });
const inputOf = (item: WorldItem, revealed: SimulatedJudgeInput['revealed'], world?: SimulatedJudgeInput['world']) => ({
  context: { ...item.context },
  question: item.question,
  answers: item.answers,
  revealed,
  world,
});
const blindUnits = (item: WorldItem) => {
  const { camera } = item.context;
  const blind = blindCellKeys(camera.width, camera.depth, camera.visible);
  return item.evidence.filter((e) => blind.has(cellKey(e.reading.x, e.reading.y)));
};

describe('simulatedJudge on the built-in world', () => {
  it('returns a distribution over the answers, with or without revealed evidence', () => {
    for (const item of items) {
      for (const revealed of [[], item.evidence.slice(0, 5), item.evidence]) {
        for (const world of [undefined, { hideProbability: 0.7 }]) {
          const belief = simulatedJudge(inputOf(item, revealed, world));
          expect(belief).toHaveLength(item.answers.length);
          for (const p of belief) {
            expect(p).toBeGreaterThanOrEqual(0);
            expect(p).toBeLessThanOrEqual(1);
          }
          expect(belief.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
        }
      }
    }
  });

  it('is certain of the truth once every reading is revealed', () => {
    for (const item of items) expect(simulatedJudge(inputOf(item, item.evidence))[item.groundTruth]).toBe(1);
  });

  it("reasons with the world's parameters it is given, and the defaults without them", () => {
    const item = items.find((i) => blindUnits(i).length >= 4 && i.meta.visibleCount < 3)!;
    const revealed = blindUnits(item).slice(0, 2);
    const above = (belief: number[]) => belief.slice(item.meta.visibleCount + 1).reduce((a, b) => a + b, 0);
    const rare = simulatedJudge(inputOf(item, revealed, { hideProbability: 0.1 }));
    const common = simulatedJudge(inputOf(item, revealed, { hideProbability: 0.7 }));
    expect(above(common)).toBeGreaterThan(above(rare) + 0.2);
    expect(simulatedJudge(inputOf(item, revealed))).toEqual(simulatedJudge(inputOf(item, revealed, { hideProbability: 0.35 })));
    expect(simulatedJudge(inputOf(item, revealed, { width: 6, labellerNoise: 0.4 }))).toEqual(simulatedJudge(inputOf(item, revealed)));
  });

  it('refuses world parameters that are out of range, naming the field', () => {
    expect(() => simulatedJudge(inputOf(items[0]!, [], { hideProbability: 2 }))).toThrow(/world\.hideProbability/);
    expect(() => simulatedJudge(inputOf(items[0]!, [], { rooms: 3 } as never))).toThrow(/world\.rooms is not a world parameter/);
  });

  it('weighs only sensor readings', () => {
    const item = items.find((i) => blindUnits(i).length > 0)!;
    const cell = blindUnits(item)[0]!;
    const notSensor = [{ id: 'e-1', kind: 'passage', text: cell.text, reading: { ...cell.reading } }];
    expect(simulatedJudge(inputOf(item, notSensor))).toEqual(simulatedJudge(inputOf(item, [])));
  });
});

describe('simulatedJudge elsewhere', () => {
  it('stays uniform', () => {
    const belief = simulatedJudge({
      context: { kind: 'text' },
      question: 'Is the review positive?',
      answers: ['no', 'yes', 'mixed', 'unclear'],
      revealed: [{ id: 'e-1', kind: 'passage', text: 'Great film.' }],
    });
    expect(belief).toEqual([0.25, 0.25, 0.25, 0.25]);
  });
});
