import type { DebaterSeat, ProtocolSpec } from '../../contracts/src/index.js';

const SEAT_NAMES = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];

/** A deterministic number in [0, 1) from a string, so a debate's seating is reproducible from its id. */
export function unitHash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0) / 2 ** 32;
}

/**
 * Which answer each debater argues. Under `simple-vs-alternative` one seat takes the simple label and
 * another the alternative the dispute proposes; which seat gets which is decided by the debate id,
 * so that a judge cannot read the simple label off the seat names.
 */
export function assignSeats(
  spec: ProtocolSpec,
  input: { answers: number; simpleLabel: number; alternative: number; key: string },
): DebaterSeat[] {
  const count = spec.debaters.length;
  if (count === 0) return [];
  let answers: number[];
  if (spec.assignment === 'simple-vs-alternative') {
    const pair = [input.simpleLabel, input.alternative];
    if (unitHash(input.key) < 0.5) pair.reverse();
    answers =
      count === 1 ? [pair[0]!] : [...pair, ...Array.from({ length: count - 2 }, (_, i) => (input.alternative + 1 + i) % input.answers)];
  } else {
    const offset = Math.floor(unitHash(input.key) * input.answers);
    answers = Array.from({ length: count }, (_, i) => (offset + i) % input.answers);
  }
  return spec.debaters.map((debater, i) => ({ seat: SEAT_NAMES[i]!, answer: answers[i]!, backend: debater.backend }));
}
