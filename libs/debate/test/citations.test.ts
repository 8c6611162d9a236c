import { describe, expect, it } from 'vitest';
import type { EvidenceUnit } from '../../contracts/src/index.js';
import { parseCitations, verifyCitations } from '../src/index.js';

describe('parseCitations', () => {
  it('returns cited ids in order of first appearance, without duplicates', () => {
    expect(parseCitations('See [[s-1-2]] and [[s-0-0]], and again [[s-1-2]].')).toEqual(['s-1-2', 's-0-0']);
  });

  it('accepts the characters ids are made of', () => {
    expect(parseCitations('[[a_b.c:d-1]]')).toEqual(['a_b.c:d-1']);
  });

  it('ignores malformed markers', () => {
    expect(parseCitations('empty [[]] blank [[ ]] spaced [[a b]] single [x] open [[s-1-2')).toEqual([]);
    expect(parseCitations('[[bad id]] then [[good]]')).toEqual(['good']);
  });

  it('ignores ids longer than 80 characters', () => {
    expect(parseCitations(`[[${'a'.repeat(81)}]]`)).toEqual([]);
    expect(parseCitations(`[[${'a'.repeat(80)}]]`)).toEqual(['a'.repeat(80)]);
  });

  it('finds nothing in plain text', () => {
    expect(parseCitations('No citations here.')).toEqual([]);
  });
});

describe('verifyCitations', () => {
  const evidence: EvidenceUnit[] = [
    { id: 's-0-0', kind: 'sensor', text: 'Sensor at (0, 0): chair' },
    { id: 's-1-0', kind: 'sensor', text: 'Sensor at (1, 0): empty' },
  ];

  it('marks known ids verified with their own text, unknown ones unverified with no excerpt', () => {
    expect(verifyCitations(['s-1-0', 's-9-9', 's-0-0'], evidence)).toEqual([
      { evidenceId: 's-1-0', verified: true, excerpt: 'Sensor at (1, 0): empty' },
      { evidenceId: 's-9-9', verified: false, excerpt: null },
      { evidenceId: 's-0-0', verified: true, excerpt: 'Sensor at (0, 0): chair' },
    ]);
  });

  it('verifies nothing against empty evidence', () => {
    expect(verifyCitations(['s-0-0'], [])).toEqual([{ evidenceId: 's-0-0', verified: false, excerpt: null }]);
  });
});
