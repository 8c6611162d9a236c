import { describe, expect, it } from 'vitest';
import type { EvidenceUnit } from '#tribunal/contracts';
import { fuzzyScore, normalise, parseCitations, verifyCitations, type CitationMark } from '../src/index.js';

const ids = (text: string): string[] =>
  parseCitations(text)
    .filter((m) => m.kind === 'evidence')
    .map((m) => m.target);

describe('parseCitations: evidence ids', () => {
  it('returns cited ids in order of first appearance, without duplicates, with their positions', () => {
    const text = 'See [[s-1-2]] and [[s-0-0]], and again [[s-1-2]].';
    expect(parseCitations(text)).toEqual([
      { kind: 'evidence', target: 's-1-2', at: [4, 13] },
      { kind: 'evidence', target: 's-0-0', at: [18, 27] },
    ]);
    expect(text.slice(4, 13)).toBe('[[s-1-2]]');
  });

  it('accepts the characters ids are made of', () => {
    expect(ids('[[a_b.c:d-1]]')).toEqual(['a_b.c:d-1']);
  });

  it('ignores malformed markers', () => {
    expect(parseCitations('empty [[]] blank [[ ]] spaced [[a b]] single [x] open [[s-1-2')).toEqual([]);
    expect(parseCitations('[[bad id]] then [[good]]')).toEqual([{ kind: 'evidence', target: 'good', at: [16, 24] }]);
  });

  it('ignores ids longer than 80 characters', () => {
    expect(ids(`[[${'a'.repeat(81)}]]`)).toEqual([]);
    expect(ids(`[[${'a'.repeat(80)}]]`)).toEqual(['a'.repeat(80)]);
  });

  it('finds nothing in plain text', () => {
    expect(parseCitations('No citations here.')).toEqual([]);
  });
});

describe('parseCitations: quotations', () => {
  it('finds each quotation with its text and position, tags included', () => {
    const text = 'He said <quote>the chair</quote> and <quote>the\ntable</quote>.';
    expect(parseCitations(text)).toEqual([
      { kind: 'quote', target: 'the chair', at: [8, 32] },
      { kind: 'quote', target: 'the\ntable', at: [37, 61] },
    ]);
    expect(text.slice(8, 32)).toBe('<quote>the chair</quote>');
    expect(text.slice(37, 61)).toBe('<quote>the\ntable</quote>');
  });

  it('keeps repeated quotations, each at its own place', () => {
    expect(parseCitations('<quote>x</quote><quote>x</quote>').map((m) => m.at)).toEqual([
      [0, 16],
      [16, 32],
    ]);
  });

  it('ignores empty and blank quotations and unclosed tags', () => {
    expect(parseCitations('<quote></quote> <quote>  \n </quote> <quote>open')).toEqual([]);
  });

  it('orders evidence ids and quotations by position', () => {
    expect(parseCitations('<quote>a</quote> [[e1]] <quote>b</quote> [[e2]]').map((m) => `${m.kind}:${m.target}`)).toEqual([
      'quote:a',
      'evidence:e1',
      'quote:b',
      'evidence:e2',
    ]);
  });
});

describe('normalise', () => {
  it('lowers case, unifies quote marks and dashes, collapses and trims white space', () => {
    expect(normalise('  The  “Old”\n\tChair’s – edge  ').text).toBe('the "old" chair\'s - edge');
    expect(normalise('`a´ «b» \u2018c\u201b \u201ed\u201d').text).toBe('\'a\' "b" \'c\' "d"');
  });

  it('maps each kept character to its place in the original text', () => {
    expect(normalise('  Ab  C ')).toEqual({ text: 'ab c', offsets: [2, 3, 4, 6] });
  });

  it('leaves nothing of blank text', () => {
    expect(normalise(' \n\t ')).toEqual({ text: '', offsets: [] });
  });
});

describe('fuzzyScore', () => {
  it('is 1 when every word appears in order', () => {
    expect(fuzzyScore('Red CHAIR', 'a red chair by the door')).toBe(1);
  });

  it('counts the best window the length of the quotation', () => {
    // Words: the×2, cat, sat, on, mat; the text lacks only "cat".
    expect(fuzzyScore('the cat sat on the mat', 'the dog sat on the mat')).toBeCloseTo(5 / 6, 10);
    // The two matching words are too far apart to share a window of two words.
    expect(fuzzyScore('red chair', 'red door and a chair')).toBe(0.5);
  });

  it('counts a repeated word only as often as the quotation has it', () => {
    expect(fuzzyScore('chair table', 'chair chair')).toBe(0.5);
  });

  it('is 0 with nothing in common, or nothing quoted', () => {
    expect(fuzzyScore('window', 'a red chair')).toBe(0);
    expect(fuzzyScore('  ', 'a red chair')).toBe(0);
    expect(fuzzyScore('window', '')).toBe(0);
  });
});

describe('verifyCitations: evidence ids', () => {
  const evidence: EvidenceUnit[] = [
    { id: 's-0-0', kind: 'sensor', text: 'Sensor at (0, 0): chair' },
    { id: 's-1-0', kind: 'sensor', text: 'Sensor at (1, 0): empty' },
  ];

  it('marks known ids verified with their own text, unknown ones unverified with no excerpt', () => {
    const marks = parseCitations('[[s-1-0]] [[s-9-9]] [[s-0-0]]');
    expect(verifyCitations(marks, evidence)).toEqual([
      {
        kind: 'evidence',
        evidenceId: 's-1-0',
        quote: null,
        verified: true,
        score: null,
        excerpt: 'Sensor at (1, 0): empty',
        span: null,
        at: [0, 9],
      },
      { kind: 'evidence', evidenceId: 's-9-9', quote: null, verified: false, score: null, excerpt: null, span: null, at: [10, 19] },
      {
        kind: 'evidence',
        evidenceId: 's-0-0',
        quote: null,
        verified: true,
        score: null,
        excerpt: 'Sensor at (0, 0): chair',
        span: null,
        at: [20, 29],
      },
    ]);
  });

  it('verifies nothing against empty evidence', () => {
    expect(verifyCitations(parseCitations('[[s-0-0]] <quote>chair</quote>'), []).map((c) => [c.kind, c.verified, c.excerpt])).toEqual([
      ['evidence', false, null],
      ['quote', false, null],
    ]);
  });
});

describe('verifyCitations: quotations', () => {
  const evidence: EvidenceUnit[] = [
    { id: 'p-1', kind: 'passage', text: 'It rained all day.' },
    { id: 'p-2', kind: 'passage', text: 'The Chair stood  by the “old” window.\nNobody sat in it.' },
  ];
  const quote = (target: string, at: [number, number] = [0, 1]): CitationMark => ({ kind: 'quote', target, at });

  it('verifies an exact quotation, with its span in the unit and a score of 1', () => {
    const [c] = verifyCitations([quote('Nobody sat', [5, 15])], evidence);
    expect(c).toEqual({
      kind: 'quote',
      evidenceId: 'p-2',
      quote: 'Nobody sat',
      verified: true,
      score: 1,
      excerpt: 'Nobody sat',
      span: [38, 48],
      at: [5, 15],
    });
    expect(evidence[1]!.text.slice(38, 48)).toBe('Nobody sat');
  });

  it('verifies after normalising case, quote marks and white space, spanning the original text', () => {
    const target = 'the chair STOOD by the "old"\nwindow';
    const [c] = verifyCitations([quote(target)], evidence);
    expect(c).toMatchObject({ evidenceId: 'p-2', verified: true, score: 1, excerpt: target, span: [0, 36] });
    expect(evidence[1]!.text.slice(0, 36)).toBe('The Chair stood  by the “old” window');
  });

  it('spans the collapsed white space inside a quotation from mid-text', () => {
    const [c] = verifyCitations([quote('  stood by ')], evidence);
    expect(c).toMatchObject({ evidenceId: 'p-2', verified: true, span: [10, 19] });
    expect(evidence[1]!.text.slice(10, 19)).toBe('stood  by');
  });

  it('verifies straight quotes in the unit against curly quotes in the quotation', () => {
    const units: EvidenceUnit[] = [{ id: 'u', kind: 'passage', text: "She called it 'home' - twice." }];
    const [c] = verifyCitations([quote('it ‘home’ \u2014 twice')], units);
    expect(c).toMatchObject({ evidenceId: 'u', verified: true, span: [11, 28] });
    expect(units[0]!.text.slice(11, 28)).toBe("it 'home' - twice");
  });

  it('reports a near miss unverified, with its score and the closest unit, showing nothing', () => {
    const target = 'the chair stood by the new window';
    const [c] = verifyCitations([quote(target, [3, 40])], evidence);
    // Seven words; all but "new" stand together in p-2.
    expect(c).toEqual({
      kind: 'quote',
      evidenceId: 'p-2',
      quote: target,
      verified: false,
      score: 6 / 7,
      excerpt: null,
      span: null,
      at: [3, 40],
    });
    expect(c!.score).toBeGreaterThan(0);
    expect(c!.score).toBeLessThan(1);
  });

  it('names the unit that comes closest', () => {
    const [c] = verifyCitations([quote('it rained all night')], evidence);
    expect(c).toMatchObject({ evidenceId: 'p-1', verified: false, score: 0.75 });
  });

  it('names no unit when nothing matches at all', () => {
    const [c] = verifyCitations([quote('purple elephants')], evidence);
    expect(c).toMatchObject({ evidenceId: null, verified: false, score: 0, span: null, excerpt: null });
  });

  it('does not match across units', () => {
    const [c] = verifyCitations([quote('all day. The Chair')], evidence);
    expect(c!.verified).toBe(false);
  });

  it('checks each citation of a speech in order', () => {
    const text = 'Look: <quote>rained all day</quote>, [[p-2]] and <quote>sunny</quote>.';
    expect(verifyCitations(parseCitations(text), evidence).map((c) => [c.kind, c.evidenceId, c.verified])).toEqual([
      ['quote', 'p-1', true],
      ['evidence', 'p-2', true],
      ['quote', null, false],
    ]);
  });
});
