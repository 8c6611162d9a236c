import { describe, expect, it } from 'vitest';
import { clearCut } from '#tribunal/judging';
import {
  argueForAnswer,
  blindCellKeys,
  cellKey,
  generateWorldDataset,
  simulatedJudgeBelief,
  validateWorldParams,
  type EvidenceUnit,
  type WorldItem,
  type WorldParams,
} from '#tribunal/world';
import { PRESETS } from '../src/index.js';

/** The labelling preset the headline experiment and the default loop use. */
const preset = PRESETS['khan-2024-debate']!;
const rounds = preset.end.maxRepeats;
const maxCitations = preset.limits.citations;
const threshold = preset.adjudication.threshold;

/** Every reading cited in a debate of built-in debaters: simultaneous rounds, each seeing what earlier rounds cited. */
function debated(item: WorldItem, answers: readonly number[]): EvidenceUnit[] {
  const cited: string[] = [];
  for (let round = 1; round <= rounds; round++) {
    const spoken = answers.map((answer) => argueForAnswer(item, answer, { maxCitations, alreadyCited: [...cited], round }));
    for (const speech of spoken) for (const id of speech.citations) if (!cited.includes(id)) cited.push(id);
  }
  return cited.map((id) => item.evidence.find((unit) => unit.id === id)!);
}

/** Whether some target behind furniture was never shown to the judge: the evidence that decides the count. */
function decidingCellUncited(item: WorldItem, revealed: readonly EvidenceUnit[]): boolean {
  const { camera } = item.context;
  const blind = blindCellKeys(camera.width, camera.depth, camera.visible);
  const shown = new Set(revealed.map((u) => u.id));
  return item.evidence.some(
    (unit) => unit.reading.object === item.meta.targetType && blind.has(cellKey(unit.reading.x, unit.reading.y)) && !shown.has(unit.id),
  );
}

function verdict(item: WorldItem, answers: readonly number[], params: WorldParams) {
  const revealed = debated(item, answers);
  const belief = simulatedJudgeBelief(item, revealed, params);
  return { uncited: decidingCellUncited(item, revealed), outcome: clearCut(belief, threshold) };
}

describe(`the labelling preset's clear-cut rule (threshold ${threshold}) on built-in debates`, () => {
  for (const [name, given] of [
    ['the default world', {}],
    ['a world where objects hide often', { hideProbability: 0.6 }],
  ] as const) {
    const params = validateWorldParams(given);
    const items = generateWorldDataset({ seed: 31, size: 2500, params });

    it(`refuses every room whose deciding cells neither side cited, in ${name}`, () => {
      // Both seats wrong: the simple label and the answer above it, where the truth is higher still.
      // Neither side needs the remaining hidden targets, so neither cites them.
      const misled = items.filter((item) => item.groundTruth >= item.simpleLabel + 2 && item.simpleLabel + 1 < item.answers.length);
      const judged = misled.map((item) => verdict(item, [item.simpleLabel, item.simpleLabel + 1], params));
      const uncited = judged.filter((j) => j.uncited);
      expect(uncited.length).toBeGreaterThan(40);
      const kept = uncited.filter((j) => j.outcome.clearCut);
      expect(kept.map((j) => j.outcome.probability)).toEqual([]);
    });

    it(`keeps the label, and it is right, in almost every room where one side argues the sensors' count, in ${name}`, () => {
      const seated = items.slice(0, 800).map((item) => {
        const other = item.groundTruth === item.simpleLabel ? (item.simpleLabel > 0 ? item.simpleLabel - 1 : 1) : item.simpleLabel;
        return { item, ...verdict(item, [item.groundTruth, other], params) };
      });
      const kept = seated.filter((s) => s.outcome.clearCut);
      expect(kept.length / seated.length).toBeGreaterThan(0.95);
      expect(kept.filter((s) => s.outcome.answer !== s.item.groundTruth)).toEqual([]);
    });
  }
});
