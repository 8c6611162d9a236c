import { describe, expect, it } from 'vitest';
import {
  blindCellKeys,
  cellKey,
  createRng,
  deriveSeed,
  generateWorldDataset,
  randomInt,
  shuffled,
  type EvidenceUnit,
  type WorldItem,
  type WorldParams,
} from '#tribunal/world';
import { calibration, simulatedJudge, type Forecast } from '../src/index.js';

/*
 * A judge whose belief is the posterior under the world's own parameters is calibrated on rooms of
 * that world. ECE over 2,000 rooms, ten bins: a perfectly calibrated judge still scores above zero
 * by chance. Measured by drawing each room's truth from the judge's own belief 300 times, that
 * chance ECE has a median of 0.016–0.018 and a 99th percentile of 0.028–0.037 in these worlds, so
 * the bound is 0.04. The judge scores 0.012–0.021; told the default world's parameters in a world
 * where targets hide twice as often, it scores 0.12–0.18.
 */
const ROOMS = 2000;
const ECE_BOUND = 0.04;

function blindUnits(item: WorldItem): EvidenceUnit[] {
  const { camera } = item.context;
  const blind = blindCellKeys(camera.width, camera.depth, camera.visible);
  return item.evidence.filter((e) => blind.has(cellKey(e.reading.x, e.reading.y)));
}

/** A random share of the room's blind cells, from none to all, chosen without looking at them. */
function someBlindCells(item: WorldItem, index: number): EvidenceUnit[] {
  const rng = createRng(deriveSeed(991, index));
  const units = blindUnits(item);
  return shuffled(rng, units).slice(0, randomInt(rng, 0, units.length));
}

const settings = { direct: () => [], 'some blind cells revealed': someBlindCells } satisfies Record<
  string,
  (item: WorldItem, index: number) => EvidenceUnit[]
>;

function forecasts(
  items: WorldItem[],
  reveal: (item: WorldItem, index: number) => EvidenceUnit[],
  world: Partial<WorldParams>,
): Forecast[] {
  return items.map((item, i) => ({
    probabilities: simulatedJudge({
      context: { ...item.context },
      question: item.question,
      answers: item.answers,
      revealed: reveal(item, i),
      world,
    }),
    truth: item.groundTruth,
  }));
}

/**
 * For a calibrated judge the probability it gives the truth and the sum of its squared
 * probabilities have the same mean; their difference in standard errors.
 */
function truthShareZ(judged: Forecast[]): number {
  const gaps = judged.map((f) => (f.probabilities[f.truth] as number) - f.probabilities.reduce((s, p) => s + p * p, 0));
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  const variance = gaps.reduce((a, b) => a + (b - mean) ** 2, 0) / (gaps.length - 1);
  return mean / Math.sqrt(variance / gaps.length);
}

describe('simulatedJudge is calibrated on the world it is told', () => {
  const worlds: Record<string, Partial<WorldParams>> = {
    default: {},
    'hideProbability 0.7': { hideProbability: 0.7 },
    'hideProbability 0.1': { hideProbability: 0.1 },
  };
  for (const [name, world] of Object.entries(worlds)) {
    const items = generateWorldDataset({ seed: 5, size: ROOMS, params: world });
    for (const [setting, reveal] of Object.entries(settings)) {
      it(`${name}, ${setting}`, () => {
        const judged = forecasts(items, reveal, world);
        expect(calibration(judged).ece).toBeLessThan(ECE_BOUND);
        expect(Math.abs(truthShareZ(judged))).toBeLessThan(4);
      });
    }
  }

  it('is miscalibrated when told the wrong hideProbability, so the check above can fail', { timeout: 30_000 }, () => {
    const items = generateWorldDataset({ seed: 5, size: ROOMS, params: { hideProbability: 0.7 } });
    for (const reveal of Object.values(settings)) {
      const judged = forecasts(items, reveal, {});
      expect(calibration(judged).ece).toBeGreaterThan(0.08);
      expect(Math.abs(truthShareZ(judged))).toBeGreaterThan(4);
    }
  });

  it("does not change with the labeller's noise, which the judge never sees the effect of", { timeout: 30_000 }, () => {
    const quiet = generateWorldDataset({ seed: 5, size: ROOMS, params: { labellerNoise: 0.08 } });
    const noisy = generateWorldDataset({ seed: 5, size: ROOMS, params: { labellerNoise: 0.3 } });
    expect(noisy.filter((item, i) => item.simpleLabel !== quiet[i]!.simpleLabel).length).toBeGreaterThan(100);
    for (const reveal of Object.values(settings)) {
      const judged = forecasts(noisy, reveal, { labellerNoise: 0.3 });
      expect(judged).toEqual(forecasts(quiet, reveal, {}));
      expect(calibration(judged).ece).toBeLessThan(ECE_BOUND);
    }
  });
});
