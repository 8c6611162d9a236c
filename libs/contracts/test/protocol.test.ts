import { describe, expect, it } from 'vitest';
import { ContractViolation, DEFAULT_DEBATE_PROTOCOL, parseContract, ProtocolSpec } from '../src/index.js';

/** The default protocol as plain JSON, as it would arrive over HTTP, with some fields replaced. */
function plain(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...(JSON.parse(JSON.stringify(DEFAULT_DEBATE_PROTOCOL)) as Record<string, unknown>), ...overrides };
}

function problemsOf(value: unknown, prefix = 'spec'): string[] {
  try {
    parseContract(ProtocolSpec, value, prefix);
  } catch (error) {
    expect(error).toBeInstanceOf(ContractViolation);
    return (error as ContractViolation).problems;
  }
  throw new Error('expected a contract violation');
}

describe('parseContract(ProtocolSpec)', () => {
  it('accepts the default protocol and returns a ProtocolSpec instance', () => {
    const spec = parseContract(ProtocolSpec, plain());
    expect(spec).toBeInstanceOf(ProtocolSpec);
    expect(spec).toMatchObject(DEFAULT_DEBATE_PROTOCOL);
  });

  it('accepts direct and consultancy shapes', () => {
    expect(() =>
      parseContract(
        ProtocolSpec,
        plain({ kind: 'direct', structure: { opening: [], repeating: [], closing: [{ type: 'judge' }] }, debaters: [] }),
      ),
    ).not.toThrow();
    expect(() =>
      parseContract(ProtocolSpec, plain({ kind: 'consultancy', debaters: [{ backend: 'manual' }], speechTimeoutSeconds: 60 })),
    ).not.toThrow();
  });

  it('names a nested error by its full path', () => {
    const problems = problemsOf(plain({ limits: { chars: 5, citations: 3, overLimit: 'truncate' } }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^spec\.limits\.chars /);
    expect(problems[0]).toContain('20');
  });

  it('names errors inside arrays by index', () => {
    const problems = problemsOf(plain({ debaters: [{ backend: 'builtin' }, { backend: 'robot' }] }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^spec\.debaters\.1\.backend /);
  });

  it('reports every bad field, top-level ones by name', () => {
    const problems = problemsOf(plain({ end: { maxRepeats: 51, judgeMayEnd: 'yes' }, judges: { count: 0, kind: 'simulated' } }));
    expect(problems.some((p) => p.startsWith('spec.end.maxRepeats '))).toBe(true);
    expect(problems.some((p) => p.startsWith('spec.end.judgeMayEnd '))).toBe(true);
    expect(problems.some((p) => p.startsWith('spec.judges.count '))).toBe(true);
    expect(problems.join('\n')).not.toMatch(/spec\.(kind|limits|adjudication)/);
  });

  it('uses bare field names without a prefix', () => {
    const problems = problemsOf(plain({ adjudication: { method: 'mean', threshold: 0.2 } }), '');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^adjudication\.threshold /);
  });

  it('refuses unknown fields, nested ones included', () => {
    expect(problemsOf(plain({ secret: 1 })).join('\n')).toMatch(/spec\.secret/);
    const nested = problemsOf(plain({ limits: { chars: 1200, citations: 3, overLimit: 'truncate', extra: true } }));
    expect(nested).toHaveLength(1);
    expect(nested[0]).toMatch(/^spec\.limits\.extra/);
    const deep = problemsOf(plain({ structure: { opening: [{ type: 'judge', colour: 'red' }], repeating: [], closing: [] } }));
    expect(deep).toEqual([expect.stringMatching(/^spec\.structure\.opening\.0\.colour/)]);
    expect(problemsOf(plain({ judges: { count: 1, kind: 'human', weight: 2 } }))[0]).toMatch(/^spec\.judges\.weight/);
  });

  it('refuses a nested field that is missing, null, or not an object', () => {
    for (const field of ['structure', 'end', 'limits', 'judges', 'scoring', 'adjudication', 'debaters']) {
      const spec = plain();
      delete spec[field];
      expect(problemsOf(spec).join('\n')).toMatch(new RegExp(`^spec\\.${field} `, 'm'));
    }
    expect(problemsOf(plain({ limits: null })).join('\n')).toMatch(/^spec\.limits /m);
    expect(problemsOf(plain({ judges: 3 })).join('\n')).toMatch(/^spec\.judges/m);
  });

  it('refuses values that are not objects, naming the prefix', () => {
    for (const value of [null, undefined, 42, 'spec', [plain()]]) {
      expect(problemsOf(value)).toEqual(['spec must be an object']);
    }
    expect(() => parseContract(ProtocolSpec, null)).toThrow('value must be an object');
  });
});
