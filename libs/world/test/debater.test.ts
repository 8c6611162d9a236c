import { describe, expect, it } from 'vitest';
import { argueForAnswer, blindCellKeys, cellKey, generateWorldDataset, type WorldItem } from '../src/index.js';
import { itemOf, roomOf } from './factories.js';

const items = generateWorldDataset({ seed: 31, size: 300 });

function hiddenTargetIds(item: WorldItem): string[] {
  const { camera } = item.context;
  const blind = blindCellKeys(camera.width, camera.depth, camera.visible);
  return item.evidence
    .filter((u) => u.reading.object === item.meta.targetType && blind.has(cellKey(u.reading.x, u.reading.y)))
    .map((u) => u.id);
}

/** Two chairs in view, two behind the table, and empty cells behind the cabinet. */
const twoHidden = itemOf(
  roomOf('chair', [
    ['chair', 0, 0],
    ['table', 1, 0],
    ['cabinet', 4, 3],
    ['chair', 1, 2],
    ['chair', 1, 5],
    ['chair', 3, 1],
    ['lamp', 4, 5],
  ]),
);

describe('argueForAnswer', () => {
  it('cites only existing evidence, at most maxCitations, each marked in the text', () => {
    for (const item of items.slice(0, 100)) {
      const ids = new Set(item.evidence.map((e) => e.id));
      for (let answer = 0; answer < item.answers.length; answer++) {
        for (const maxCitations of [0, 1, 3, 5]) {
          const speech = argueForAnswer(item, answer, { maxCitations, round: 1 });
          expect(speech.citations.length).toBeLessThanOrEqual(maxCitations);
          expect(new Set(speech.citations).size).toBe(speech.citations.length);
          for (const id of speech.citations) {
            expect(ids.has(id)).toBe(true);
            expect(speech.text).toContain(`[[${id}]]`);
          }
          expect([...speech.text.matchAll(/\[\[([^\]]+)\]\]/g)].map((m) => m[1])).toEqual(speech.citations);
        }
      }
    }
  });

  it('for the true answer, cites the hidden targets first', () => {
    const speech = argueForAnswer(twoHidden, twoHidden.groundTruth, { maxCitations: 3, round: 1 });
    expect(twoHidden.groundTruth).toBe(4);
    expect(speech.citations.slice(0, 2).sort()).toEqual(['s-1-2', 's-1-5']);
    expect(speech.text).toContain('4+');
    expect(speech.text).toContain('hidden from the camera behind the table');

    const withHidden = items.filter((i) => i.meta.hiddenCount > 0);
    expect(withHidden.length).toBeGreaterThan(50);
    for (const item of withHidden) {
      const hidden = hiddenTargetIds(item);
      const speech = argueForAnswer(item, item.groundTruth, { maxCitations: 3, round: 1 });
      const expected = Math.min(hidden.length, 3);
      expect(speech.citations.slice(0, expected).every((id) => hidden.includes(id))).toBe(true);
    }
  });

  it('for a lower answer, never reveals a hidden target and shows empty blind cells instead', () => {
    const speech = argueForAnswer(twoHidden, 2, { maxCitations: 3, round: 1 });
    expect(speech.citations).not.toContain('s-1-2');
    expect(speech.citations).not.toContain('s-1-5');
    expect(speech.citations).toEqual(['s-1-1', 's-1-3', 's-1-4']);
    expect(speech.text).toContain('the cell at (1, 1) behind the table is empty');
    expect(speech.text).toMatch(/^My answer is 2: there are 2 chairs in the room\./);
    for (const item of items) {
      const hidden = hiddenTargetIds(item);
      for (let answer = 0; answer < item.groundTruth; answer++) {
        const { citations } = argueForAnswer(item, answer, { maxCitations: 3, round: 2 });
        expect(citations.some((id) => hidden.includes(id))).toBe(false);
      }
    }
  });

  it('for a higher answer, cites the real targets it can and asserts the rest', () => {
    const item = itemOf(
      roomOf('vase', [
        ['vase', 2, 1],
        ['sofa', 3, 0],
      ]),
    );
    const speech = argueForAnswer(item, 3, { maxCitations: 3, round: 1 });
    expect(speech.citations).toEqual(['s-2-1', 's-3-0']);
    expect(speech.text).toMatch(/^My answer is 3: there are 3 vases in the room\./);
    expect(speech.text).toContain('More vases are hidden');
  });

  it('prefers readings not already cited', () => {
    const first = argueForAnswer(twoHidden, 4, { maxCitations: 2, round: 1 });
    const second = argueForAnswer(twoHidden, 4, { maxCitations: 2, alreadyCited: first.citations, round: 2 });
    expect(second.citations.some((id) => first.citations.includes(id))).toBe(false);
    expect(second.text).toMatch(/^I hold to 4\+/);
  });

  it('is deterministic and rejects an answer outside the answer set', () => {
    const item = items[0] as WorldItem;
    expect(argueForAnswer(item, 1, { maxCitations: 3, round: 1 })).toEqual(argueForAnswer(item, 1, { maxCitations: 3, round: 1 }));
    expect(() => argueForAnswer(item, 5, { maxCitations: 3, round: 1 })).toThrow(/answerIndex/);
    expect(() => argueForAnswer(item, 0, { maxCitations: -1, round: 1 })).toThrow(/maxCitations/);
  });
});
