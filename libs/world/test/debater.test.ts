import { describe, expect, it } from 'vitest';
import {
  answerIndexForCount,
  argueForAnswer,
  blindCellKeys,
  cellKey,
  citationRanking,
  debaterAnswer,
  generateWorldDataset,
  type WorldItem,
} from '../src/index.js';
import { judgeVisibleText, playDebate } from './debates.js';
import { itemOf, roomOf } from './factories.js';

const items = generateWorldDataset({ seed: 31, size: 300 });

function blindOf(item: WorldItem): Set<string> {
  const { camera } = item.context;
  return blindCellKeys(camera.width, camera.depth, camera.visible);
}

function hiddenTargetIds(item: WorldItem): string[] {
  const blind = blindOf(item);
  return item.evidence
    .filter((u) => u.reading.object === item.meta.targetType && blind.has(cellKey(u.reading.x, u.reading.y)))
    .map((u) => u.id);
}

function visibleTargetIds(item: WorldItem): string[] {
  const blind = blindOf(item);
  return item.evidence
    .filter((u) => u.reading.object === item.meta.targetType && !blind.has(cellKey(u.reading.x, u.reading.y)))
    .map((u) => u.id);
}

function blindClearIds(item: WorldItem): string[] {
  const blind = blindOf(item);
  return item.evidence
    .filter((u) => u.reading.object !== item.meta.targetType && blind.has(cellKey(u.reading.x, u.reading.y)))
    .map((u) => u.id);
}

/** The largest count an answer allows: its own, or none for the last ("4+"). */
const ceiling = (item: WorldItem, answer: number) => (answer === item.answers.length - 1 ? Number.POSITIVE_INFINITY : answer);

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

/** Three chairs: one in view, two behind the table in column 1. */
const threeOneVisible = itemOf(
  roomOf('chair', [
    ['chair', 0, 2],
    ['table', 1, 0],
    ['chair', 1, 2],
    ['chair', 1, 4],
    ['sofa', 4, 1],
  ]),
);

describe('debaterAnswer', () => {
  it('is the count the sensors show, which on the built-in world is the truth', () => {
    for (const item of items) {
      const sensed = item.evidence.filter((u) => u.reading.object === item.meta.targetType).length;
      expect(debaterAnswer(item)).toBe(answerIndexForCount(sensed, item.answers.length));
      expect(debaterAnswer(item)).toBe(item.groundTruth);
    }
    expect(debaterAnswer(twoHidden)).toBe(4);
    expect(debaterAnswer(threeOneVisible)).toBe(3);
  });
});

describe('argueForAnswer', () => {
  it('cites only existing evidence, each marked in the text, as many readings as every other side in the room', () => {
    for (const item of items.slice(0, 100)) {
      const ids = new Set(item.evidence.map((e) => e.id));
      const withoutTarget = item.evidence.filter((u) => u.reading.object !== item.meta.targetType).length;
      for (let answer = 0; answer < item.answers.length; answer++) {
        for (const maxCitations of [0, 1, 3, 5]) {
          const speech = argueForAnswer(item, answer, { maxCitations, round: 1 });
          expect(speech.citations).toHaveLength(Math.min(maxCitations, withoutTarget));
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

  it('in a room with fewer target-free cells than a speech may cite, every side cites that many', () => {
    const cramped = itemOf(
      roomOf(
        'box',
        [
          ['cabinet', 0, 0],
          ['box', 0, 1],
          ['box', 0, 2],
        ],
        1,
        3,
      ),
    );
    for (let answer = 0; answer < cramped.answers.length; answer++) {
      expect(argueForAnswer(cramped, answer, { maxCitations: 3, round: 1 }).citations).toHaveLength(1);
    }
    expect(argueForAnswer(cramped, 2, { maxCitations: 3, round: 1 }).citations).toEqual(['s-0-1']);
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

  it('shows the hidden targets its own answer needs: arguing 2 where the truth is 3 and 1 is in view, exactly one', () => {
    const first = argueForAnswer(threeOneVisible, 2, { maxCitations: 3, round: 1 });
    expect(first.citations[0]).toBe('s-1-2');
    expect(first.citations.filter((id) => hiddenTargetIds(threeOneVisible).includes(id))).toEqual(['s-1-2']);
    // Then blind cells holding no target: with the shown count at 2 they back "no more than 2".
    expect(first.citations.slice(1)).toEqual(['s-1-1', 's-4-2']);
    expect(first.text).toBe(
      'My answer is 2: there are 2 chairs in the room. ' +
        '[[s-1-2]] shows a chair at (1, 2), hidden from the camera behind the table. ' +
        '[[s-1-1]] shows the cell at (1, 1) behind the table is empty. ' +
        '[[s-4-2]] shows the cell at (4, 2) behind the sofa is empty. ' +
        'The readings cited above are consistent with 2.',
    );
    // Over three rounds it never shows the second one.
    const [twoSide] = playDebate(threeOneVisible, [2], 3, 3);
    const cited = twoSide!.flatMap((s) => s.citations);
    expect(cited).toContain('s-1-2');
    expect(cited).not.toContain('s-1-4');
  });

  it('for an answer below what the camera shows, never confirms more targets in view than it claims', () => {
    const speech = argueForAnswer(twoHidden, 1, { maxCitations: 12, round: 1 });
    expect(speech.citations.filter((id) => ['s-0-0', 's-3-1'].includes(id))).toEqual(['s-0-0']);
    expect(speech.citations.some((id) => ['s-1-2', 's-1-5'].includes(id))).toBe(false);
    expect(
      argueForAnswer(twoHidden, 0, { maxCitations: 30, round: 1 }).citations.some((id) => visibleTargetIds(twoHidden).includes(id)),
    ).toBe(false);
  });

  it('for an answer above what it can show, does not rule out blind cells while it still needs targets there', () => {
    const item = itemOf(
      roomOf('vase', [
        ['vase', 2, 1],
        ['sofa', 3, 0],
      ]),
    );
    const speech = argueForAnswer(item, 3, { maxCitations: 3, round: 1 });
    expect(speech.citations).toEqual(['s-2-1', 's-0-0', 's-1-0']);
    expect(speech.citations.some((id) => blindClearIds(item).includes(id))).toBe(false);
    expect(speech.text).toMatch(/^My answer is 3: there are 3 vases in the room\./);
    expect(speech.text).toMatch(/The readings cited above are consistent with 3\.$/);
    // Ruling them out comes only after every other reading.
    const ranking = citationRanking(item, 3).map((u) => u.id);
    expect(ranking.slice(-5).sort()).toEqual(blindClearIds(item).sort());
  });

  it('in a debate between two wrong answers, the side that needs hidden targets shows them', () => {
    expect(threeOneVisible.groundTruth).toBe(3);
    const [low, high] = playDebate(threeOneVisible, [1, 4], 3, 3);
    expect(high![0]!.citations.slice(0, 2)).toEqual(['s-1-2', 's-1-4']);
    expect(low!.flatMap((s) => s.citations).some((id) => hiddenTargetIds(threeOneVisible).includes(id))).toBe(false);
    const [, two] = playDebate(threeOneVisible, [0, 2], 1, 3);
    expect(two![0]!.citations[0]).toBe('s-1-2');
  });

  it('the honest side cites every hidden target over the rounds', () => {
    let checked = 0;
    for (const item of items.filter((i) => i.meta.hiddenCount > 0 && i.meta.hiddenCount <= 6)) {
      const hidden = hiddenTargetIds(item);
      const [alone] = playDebate(item, [item.groundTruth], 3, 2);
      expect(alone!.flatMap((s) => s.citations)).toEqual(expect.arrayContaining(hidden));
      for (let other = 0; other < item.answers.length; other++) {
        if (other === item.groundTruth) continue;
        const seats = playDebate(item, [item.groundTruth, other], 3, 2);
        expect(seats.flat().flatMap((s) => s.citations)).toEqual(expect.arrayContaining(hidden));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('no side ever cites a reading that refutes its own answer', () => {
    let speeches = 0;
    for (const item of items.slice(0, 200)) {
      const hidden = hiddenTargetIds(item);
      const visible = visibleTargetIds(item);
      const inView = visible.length;
      for (let a = 0; a < item.answers.length; a++) {
        for (let b = 0; b < item.answers.length; b++) {
          if (a === b) continue;
          const seats = playDebate(item, [a, b], 3, 3);
          const seenBefore: string[] = [];
          for (let round = 0; round < 3; round++) {
            seats.forEach((seat, i) => {
              const answer = [a, b][i]!;
              const { citations } = seat[round]!;
              expect(citations.filter((id) => visible.includes(id)).length).toBeLessThanOrEqual(ceiling(item, answer));
              if (citations.some((id) => hidden.includes(id))) {
                const shown = new Set([...seenBefore, ...citations].filter((id) => hidden.includes(id)));
                expect(inView + shown.size).toBeLessThanOrEqual(ceiling(item, answer));
              }
              speeches++;
            });
            seenBefore.push(...seats.flatMap((seat) => seat[round]!.citations));
          }
        }
      }
    }
    expect(speeches).toBeGreaterThan(20 * 200 * 3);
  });

  it('words each cited reading the same whoever cites it and whenever', () => {
    for (const item of items.slice(0, 60)) {
      const sentenceOf = new Map<string, string>();
      for (let a = 0; a < item.answers.length; a++) {
        for (let b = 0; b < item.answers.length; b++) {
          if (a === b) continue;
          for (const seat of playDebate(item, [a, b], 3, 3)) {
            for (const speech of seat) {
              for (const sentence of speech.text.split(/(?<=\.) +/)) {
                const marker = /\[\[([^\]]+)\]\]/.exec(sentence)?.[1];
                if (marker === undefined) continue;
                expect(sentence.replace(`[[${marker}]]`, '').includes('[[')).toBe(false);
                expect(sentenceOf.get(marker) ?? sentence).toBe(sentence);
                sentenceOf.set(marker, sentence);
              }
            }
          }
        }
      }
    }
  });

  it('speeches of honest and dishonest sides in the same room differ only inside citation sentences', () => {
    for (const item of items.slice(0, 150)) {
      for (let other = 0; other < item.answers.length; other++) {
        if (other === item.groundTruth) continue;
        const [honest, dishonest] = playDebate(item, [item.groundTruth, other], 3, 3);
        for (let round = 0; round < 3; round++) {
          const honestText = judgeVisibleText(item, item.groundTruth, honest![round]!.text, false);
          const dishonestText = judgeVisibleText(item, other, dishonest![round]!.text, false);
          expect(dishonestText).toBe(honestText);
          expect(honestText).toMatch(round === 0 ? /^My answer is <N>: <CLAIM>\./ : /^I hold to <N>: <CLAIM>\./);
        }
      }
    }
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
