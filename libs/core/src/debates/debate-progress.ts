import type { ProtocolSpec } from '#tribunal/contracts';
import { nextAction, validateProtocolSpec, type NextAction } from '#tribunal/debate';
import type { DebateRecord, ProtocolEntity } from '#tribunal/persistence';

/** Stored protocol versions never change, so each is validated once per process (and frozen, being shared). */
const storedSpecs = new Map<string, ProtocolSpec>();
const STORED_SPECS_KEPT = 1000;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** A stored protocol version's spec, validated. */
export function specOf(protocol: ProtocolEntity): ProtocolSpec {
  let spec = protocol.id ? storedSpecs.get(protocol.id) : undefined;
  if (!spec) {
    spec = deepFreeze(validateProtocolSpec(protocol.spec));
    if (storedSpecs.size >= STORED_SPECS_KEPT) storedSpecs.clear();
    if (protocol.id) storedSpecs.set(protocol.id, spec);
  }
  return spec;
}

/** Where a debate stands, derived from what is persisted: never stored, so never stale. */
export function progressOf(record: DebateRecord): { spec: ProtocolSpec; action: NextAction } {
  const spec = specOf(record.protocol);
  const verdicts = new Map<string, { given: number; ending: number }>();
  for (const v of record.verdicts) {
    const seen = verdicts.get(v.stage) ?? { given: 0, ending: 0 };
    verdicts.set(v.stage, { given: seen.given + 1, ending: seen.ending + (v.endsDebate ? 1 : 0) });
  }
  const turns = new Set(record.turns.map((t) => t.index));
  return { spec, action: nextAction(spec, record.debate.seats, { turns, verdicts, judges: record.assignments.length }) };
}

/** The job key of a debate's next step: one per persisted state, so a state is never worked twice at once. */
export function advanceKey(debateId: string, turns: number, verdicts: number): string {
  return `${debateId}:${turns}:${verdicts}`;
}

/**
 * Who takes the step after a write: a job queued with it (a person's speech or verdict), or the run
 * that wrote it, carrying on (`DebateRunner`, while nobody needs to be waited for).
 */
export type NextStep = 'queue' | 'inline';

/** The name a person's speech goes by in a `debate.deadline` job: `speech-<turn index>` (judges' stages are `judge-<n>` and `final`). */
export function speechStage(index: number): string {
  return `speech-${index}`;
}
