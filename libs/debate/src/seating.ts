import { Invalid, type DebaterSeat, type DisputeReason, type ProtocolSpec } from '#tribunal/contracts';

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
 * The answer next to `answer` that a second seat argues when nothing else names one (the debater copy
 * agrees with the simple label, say): one up or one down, drawn from the key, so that which of two
 * neighbouring answers is the contested one tells a judge nothing.
 */
export function neighbouringAnswer(answer: number, answers: number, key: string): number {
  if (answers < 2) throw new Invalid('an item needs at least two answers to contest one');
  if (answer <= 0) return 1;
  if (answer >= answers - 1) return answers - 2;
  return unitHash(`neighbour:${key}`) < 0.5 ? answer - 1 : answer + 1;
}

export interface SeatingInput {
  answers: number;
  simpleLabel: number;
  /** The answer the model's intended head gives, or the dispute's suggested alternative without a model. */
  modelAnswer: number;
  /** The model's two most likely answers, most likely first (or simple label and alternative). */
  topTwo: [number, number];
  /** Answers given explicitly when the debate starts, one per seat (`explicit` assignment). */
  explicit?: number[];
  /** A stable key (the item and protocol), from which the order is drawn. */
  key: string;
}

/**
 * Which answer each debater argues: the simple label against the model's answer, the model's top two,
 * a random one of those two for a lone consultant, or answers given explicitly. The two contested
 * answers are put on the seats in an order drawn from the key, so that a judge cannot read the simple
 * label or the model's preference off the seat names. Seats beyond two take the remaining answers.
 * Answers that cannot be seated (too few, or not one per debater) are `Invalid`.
 */
export function assignSeats(spec: ProtocolSpec, input: SeatingInput): DebaterSeat[] {
  const count = spec.debaters.length;
  if (count === 0) return [];
  if (count > input.answers) throw new Invalid(`the protocol has ${count} debaters but the item only ${input.answers} answers to argue`);
  let answers: number[];
  if (spec.assignment === 'explicit') {
    if (!input.explicit || input.explicit.length !== count) throw new Invalid(`answers must give one answer per debater (${count})`);
    answers = input.explicit;
  } else {
    const pair = spec.assignment === 'top-two' ? [...input.topTwo] : [input.simpleLabel, input.modelAnswer];
    if (pair[0] === pair[1]) pair[1] = neighbouringAnswer(pair[0]!, input.answers, input.key);
    if (unitHash(input.key) < 0.5) pair.reverse();
    const rest = Array.from({ length: input.answers }, (_, a) => a).filter((a) => !pair.includes(a));
    answers = [...pair, ...rest].slice(0, count);
  }
  return spec.debaters.map((debater, i) => ({ seat: SEAT_NAMES[i]!, answer: answers[i]!, backend: debater.backend }));
}

/** An answer to argue against the simple label: the reason's suggestion, else the next answer up. */
export function alternativeAnswer(
  item: { simpleLabel: number | null; answers: readonly string[] },
  reasons: readonly DisputeReason[],
): number {
  const simple = item.simpleLabel ?? 0;
  const suggested = reasons.map((r) => r.suggestedAnswer).find((a) => a !== undefined && a !== simple);
  if (suggested !== undefined) return suggested;
  return simple + 1 < item.answers.length ? simple + 1 : simple - 1;
}
