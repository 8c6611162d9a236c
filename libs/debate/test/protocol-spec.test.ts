import { describe, expect, it } from 'vitest';
import { ContractViolation, DEFAULT_DEBATE_PROTOCOL } from '#tribunal/contracts';
import { alternativeAnswer, kindProblems, validateProtocolSpec } from '#tribunal/debate';

describe('protocol specs', () => {
  it('accepts the default protocol', () => {
    expect(kindProblems(validateProtocolSpec(DEFAULT_DEBATE_PROTOCOL))).toEqual([]);
  });

  it("names what a kind's rules refuse", () => {
    const spec = { ...DEFAULT_DEBATE_PROTOCOL, kind: 'consultancy' };
    expect(() => validateProtocolSpec(spec)).toThrow(ContractViolation);
    try {
      validateProtocolSpec(spec);
    } catch (error) {
      expect((error as ContractViolation).problems).toContain('spec.debaters must hold exactly one debater for consultancy');
    }
  });
});

describe('alternativeAnswer', () => {
  const item = { simpleLabel: 1, answers: ['a', 'b', 'c'] };

  it("takes a reason's suggestion that differs from the simple label", () => {
    expect(alternativeAnswer(item, [{ kind: 'audit', suggestedAnswer: 1 } as never, { kind: 'model', suggestedAnswer: 0 } as never])).toBe(
      0,
    );
  });

  it('else the next answer up, or down from the last', () => {
    expect(alternativeAnswer(item, [])).toBe(2);
    expect(alternativeAnswer({ simpleLabel: 2, answers: ['a', 'b', 'c'] }, [])).toBe(1);
  });
});
