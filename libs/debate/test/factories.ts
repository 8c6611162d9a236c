import type { DebaterSeat, ProtocolSpec } from '../../contracts/src/index.js';
import { DEFAULT_DEBATE_PROTOCOL } from '../../contracts/src/index.js';

/** A protocol based on the default one, with some fields replaced. */
export function specWith(overrides: Partial<ProtocolSpec>): ProtocolSpec {
  return {
    ...DEFAULT_DEBATE_PROTOCOL,
    speech: { ...DEFAULT_DEBATE_PROTOCOL.speech },
    debaters: DEFAULT_DEBATE_PROTOCOL.debaters.map((d) => ({ ...d })),
    judges: { ...DEFAULT_DEBATE_PROTOCOL.judges },
    adjudication: { ...DEFAULT_DEBATE_PROTOCOL.adjudication },
    ...overrides,
  };
}

export function seatsOf(...names: string[]): DebaterSeat[] {
  return names.map((seat, answer) => ({ seat, answer, backend: 'builtin' }));
}
