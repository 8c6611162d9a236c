import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ProtocolSpec, parseContract } from '#tribunal/contracts';
import { joinTokens, nyuProtocol, readNyuArchive, tgzFiles, type NyuRoom } from '../src/index.js';

const ARCHIVE = join(import.meta.dirname, '../../../../shared/data/nyu-debate/nyu-debate-2023.tgz');

describe('the NYU 2023 archive', () => {
  let rooms: NyuRoom[];
  let skipped: { room: string; reason: string }[];

  beforeAll(async () => {
    // Read in memory: nothing is unpacked into a temporary directory (and left behind).
    ({ rooms, skipped } = readNyuArchive(await tgzFiles(ARCHIVE)));
  });

  it('reads every room, completed ones as rooms and the rest as skipped with a reason', () => {
    expect(rooms.length + skipped.length).toBe(631);
    expect(rooms.length).toBeGreaterThan(500);
    expect(skipped.every((s) => s.reason.length > 0)).toBe(true);
    expect(new Set(rooms.map((r) => r.setting))).toEqual(new Set(['human-debate', 'human-consultancy', 'ai-debate', 'ai-consultancy']));
    expect(rooms.filter((r) => r.includedInPaper).length).toBeLessThanOrEqual(413);
  });

  it('places every quotation exactly: the quoted text is the story at its span', () => {
    let quotes = 0;
    for (const room of rooms) {
      for (const round of room.rounds) {
        if (round.kind !== 'speeches') continue;
        for (const speech of round.speeches) {
          for (const q of speech.quotes) {
            quotes++;
            expect(speech.text.slice(q.at[0], q.at[1])).toBe(`<quote>${room.story.slice(q.span[0], q.span[1])}</quote>`);
          }
        }
      }
    }
    expect(quotes).toBeGreaterThan(7000);
  });

  it('maps the rules of every room onto a valid protocol', () => {
    for (const room of rooms) {
      const spec = parseContract(ProtocolSpec, JSON.parse(JSON.stringify(nyuProtocol(room))));
      expect(spec.scoring).toEqual({ kind: 'log', base: 2, perTurnPenalty: 0.05 });
      expect(spec.debaters).toHaveLength(room.setting.endsWith('debate') ? 2 : 1);
    }
  });

  it('joins tokens with their offsets', () => {
    expect(joinTokens(['A', 'cat', ','])).toEqual({ text: 'A cat ,', starts: [0, 2, 6] });
  });
});
