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
    expect(() => parseContract(ProtocolSpec, plain({ kind: 'direct', rounds: 0, debaters: [] }))).not.toThrow();
    expect(() =>
      parseContract(ProtocolSpec, plain({ kind: 'consultancy', debaters: [{ backend: 'manual' }], turnTimeoutSeconds: 60 })),
    ).not.toThrow();
  });

  it('names a nested error by its full path', () => {
    const problems = problemsOf(plain({ speech: { maxChars: 5, maxCitations: 3 } }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^spec\.speech\.maxChars /);
    expect(problems[0]).toContain('20');
  });

  it('names errors inside arrays by index', () => {
    const problems = problemsOf(plain({ debaters: [{ backend: 'builtin' }, { backend: 'robot' }] }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^spec\.debaters\.1\.backend /);
  });

  it('reports every bad field, top-level ones by name', () => {
    const problems = problemsOf(plain({ rounds: 21, judgeEachRound: 'yes', judges: { count: 0, kind: 'simulated' } }));
    expect(problems.some((p) => p.startsWith('spec.rounds '))).toBe(true);
    expect(problems.some((p) => p.startsWith('spec.judgeEachRound '))).toBe(true);
    expect(problems.some((p) => p.startsWith('spec.judges.count '))).toBe(true);
    expect(problems.join('\n')).not.toMatch(/spec\.(kind|speech|adjudication)/);
  });

  it('uses bare field names without a prefix', () => {
    const problems = problemsOf(plain({ adjudication: { method: 'mean', threshold: 0.2 } }), '');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^adjudication\.threshold /);
  });

  it('refuses unknown fields, nested ones included', () => {
    expect(problemsOf(plain({ secret: 1 })).join('\n')).toMatch(/spec\.secret/);
    const nested = problemsOf(plain({ speech: { maxChars: 1200, maxCitations: 3, extra: true } }));
    expect(nested).toHaveLength(1);
    expect(nested[0]).toMatch(/^spec\.speech\.extra/);
    expect(problemsOf(plain({ judges: { count: 1, kind: 'human', weight: 2 } }))[0]).toMatch(/^spec\.judges\.weight/);
  });

  it('refuses a nested field that is missing, null, or not an object', () => {
    for (const field of ['speech', 'judges', 'adjudication', 'debaters']) {
      const spec = plain();
      delete spec[field];
      expect(problemsOf(spec).join('\n')).toMatch(new RegExp(`^spec\\.${field} `, 'm'));
    }
    expect(problemsOf(plain({ speech: null })).join('\n')).toMatch(/^spec\.speech /m);
    expect(problemsOf(plain({ judges: 3 })).join('\n')).toMatch(/^spec\.judges/m);
  });

  it('refuses values that are not objects, naming the prefix', () => {
    for (const value of [null, undefined, 42, 'spec', [plain()]]) {
      expect(problemsOf(value)).toEqual(['spec must be an object']);
    }
    expect(() => parseContract(ProtocolSpec, null)).toThrow('value must be an object');
  });
});
