import type {
  AwaitingView,
  CitationView,
  DebaterDebateView,
  DebateSourcesView,
  DebateStatus,
  DebaterSeat,
  JudgeDebateView,
  ProtocolSpec,
  EvidenceUnit,
  ProtocolView,
  QuotedSpanView,
  TurnView,
  VerdictView,
} from '#tribunal/contracts';
import { inSimultaneousRound, judgeRelease, schedule, speechLimits, type JudgeStep, type NextAction } from './rules.js';

interface TurnRow {
  id: string;
  index: number;
  round: number;
  seat: string;
  text: string;
  createdAt: Date;
}
interface CitationRow {
  turnId: string;
  kind: 'evidence' | 'quote';
  evidenceId: string | null;
  verified: boolean;
  excerpt: string | null;
  atStart: number | null;
  atEnd: number | null;
}

export function citationView(c: Omit<CitationRow, 'turnId'>): CitationView {
  return {
    kind: c.kind,
    evidenceId: c.kind === 'evidence' ? c.evidenceId : null,
    verified: c.verified,
    excerpt: c.verified ? c.excerpt : null,
    at: c.atStart === null || c.atEnd === null ? null : [c.atStart, c.atEnd],
  };
}

export function turnView(turn: TurnRow, citations: readonly Omit<CitationRow, 'turnId'>[]): TurnView {
  return {
    index: turn.index,
    round: turn.round,
    seat: turn.seat,
    text: turn.text,
    citations: citations.map(citationView),
    createdAt: turn.createdAt.toISOString(),
  };
}

export function protocolView(spec: ProtocolSpec, seats: number): ProtocolView {
  return {
    kind: spec.kind,
    description: spec.description ?? null,
    rounds: schedule(spec, seats).map((step) => ({
      position: step.position,
      type: step.round.type,
      stage: step.kind === 'judge' ? step.stage : null,
    })),
    judgeMayEnd: spec.end.judgeMayEnd,
    limits: { chars: spec.limits.chars, citations: spec.limits.citations, quoteChars: spec.limits.quoteChars ?? null },
    scoring: { kind: spec.scoring.kind, base: spec.scoring.base, perTurnPenalty: spec.scoring.perTurnPenalty },
  };
}

export function awaitingView(spec: ProtocolSpec, step: JudgeStep): AwaitingView {
  return {
    stage: step.stage,
    mayEnd: spec.end.judgeMayEnd && step.stage !== 'final',
    noteVisibleToDebaters: step.round.visibleToDebaters ?? false,
    noteLimit: step.round.noteLimit ?? null,
  };
}

/** The part of an item's public context the protocol lets judges see: all of it, or nothing. */
export function judgeContext(spec: ProtocolSpec, context: Record<string, unknown>): Record<string, unknown> {
  return spec.judges.context === 'hidden' ? {} : context;
}

/**
 * The debate as one judge may see it. Every field is copied explicitly: nothing reaches a judge
 * because an entity happened to carry it.
 */
export function judgeDebateView(input: {
  debate: { id: string; status: DebateStatus; seats: DebaterSeat[] };
  spec: ProtocolSpec;
  item: { question: string; answers: string[]; context: Record<string, unknown> };
  turns: readonly TurnRow[];
  citations: readonly CitationRow[];
  drafts: readonly { index: number; seat: string; text: string }[];
  awaiting: AwaitingView | null;
  myVerdicts: readonly VerdictView[];
}): JudgeDebateView {
  const { debate, spec, item } = input;
  return {
    id: debate.id,
    status: debate.status,
    protocol: protocolView(spec, debate.seats.length),
    question: item.question,
    answers: [...item.answers],
    context: judgeContext(spec, item.context),
    seats: debate.seats.map((s) => ({ seat: s.seat, answer: s.answer })),
    // A simultaneous round's speeches only once all are given, bearing the same moment; no draft of one.
    turns: judgeRelease(spec, debate.seats.length, input.turns)
      .sort((a, b) => a.index - b.index)
      .map((t) =>
        turnView(
          { ...t, createdAt: t.releasedAt },
          input.citations.filter((c) => c.turnId === t.id),
        ),
      ),
    drafts: input.drafts
      .filter((d) => !input.turns.some((t) => t.index === d.index) && !inSimultaneousRound(spec, debate.seats.length, d.index))
      .map((d) => ({ index: d.index, seat: d.seat, text: d.text })),
    awaiting: input.awaiting,
    myVerdicts: input.myVerdicts.map((v) => ({
      stage: v.stage,
      probabilities: [...v.probabilities],
      note: v.note,
      endsDebate: v.endsDebate,
    })),
  };
}

/**
 * A speech as a judge reads it: each quotation tagged verified (<v_quote>) or not (<u_quote>), each
 * evidence citation followed by the evidence when verified.
 */
export function judgeText(
  text: string,
  citations: readonly { at: [number, number] | null; verified: boolean; kind: string; excerpt: string | null }[],
): string {
  let out = '';
  let from = 0;
  for (const c of [...citations].filter((c) => c.at).sort((a, b) => a.at![0] - b.at![0])) {
    const [start, end] = c.at!;
    if (start < from) continue;
    const original = text.slice(start, end);
    out += text.slice(from, start);
    if (c.kind === 'quote') {
      const inner = original.replace(/^<quote>/, '').replace(/<\/quote>$/, '');
      out += c.verified ? `<v_quote>${inner}</v_quote>` : `<u_quote>${inner}</u_quote>`;
    } else out += c.verified ? `${original} (verified: ${c.excerpt})` : `${original} (unverified)`;
    from = end;
  }
  return out + text.slice(from);
}

interface VerdictRow {
  stage: string;
  probabilities: number[];
  note: string | null;
}

/**
 * The debate as the person speaking for `seat` may see it. Every field is copied explicitly, as for
 * judges; the turns are those the seat may read: while its speech of a round is due, nothing of the
 * round's others if it is simultaneous (as a model debater is shown), and the judges' answers only
 * from earlier rounds that show them to debaters.
 */
export function debaterDebateView(input: {
  debate: { id: string; status: DebateStatus; seats: DebaterSeat[] };
  spec: ProtocolSpec;
  item: { question: string; answers: string[]; context: Record<string, unknown>; evidence: readonly EvidenceUnit[] };
  seat: string;
  action: NextAction;
  turns: readonly TurnRow[];
  citations: readonly CitationRow[];
  verdicts: readonly VerdictRow[];
  /** When the seat's speech is due, if the protocol sets a deadline. */
  dueAt: Date | null;
}): DebaterDebateView {
  const { debate, spec, item, action } = input;
  const own = debate.seats.find((s) => s.seat === input.seat)!;
  const ended = debate.status === 'completed' || debate.status === 'failed';
  const due = !ended && action.kind === 'speak' ? action.speeches.find((s) => s.seat === input.seat) : undefined;
  const visible = due ? input.turns.filter((t) => t.index < due.visibleBefore) : input.turns;
  const shown = new Set(
    schedule(spec, debate.seats.length)
      .filter((step) => step.kind === 'judge' && step.round.visibleToDebaters && (!due || step.position < due.step.position))
      .map((step) => (step.kind === 'judge' ? step.stage : '')),
  );
  const limits = due ? speechLimits(spec, due.step.round) : null;
  return {
    id: debate.id,
    status: debate.status,
    protocol: protocolView(spec, debate.seats.length),
    question: item.question,
    answers: [...item.answers],
    context: item.context,
    evidence: item.evidence.map((unit) => ({ id: unit.id, kind: unit.kind, text: unit.text })),
    seat: own.seat,
    answer: own.answer,
    seats: debate.seats.map((s) => ({ seat: s.seat, answer: s.answer })),
    turns: visible.map((t) =>
      turnView(
        t,
        input.citations.filter((c) => c.turnId === t.id),
      ),
    ),
    judgements: input.verdicts
      .filter((v) => shown.has(v.stage))
      .map((v) => ({ stage: v.stage, probabilities: [...v.probabilities], note: v.note })),
    speaking:
      due && limits
        ? {
            index: due.index,
            round: due.step.position,
            simultaneous: due.step.simultaneous,
            limits: { chars: limits.chars, quoteChars: limits.quoteChars ?? null, citations: limits.citations },
            dueAt: input.dueAt?.toISOString() ?? null,
          }
        : null,
  };
}

/** A debate's evidence with every verified quotation placed in it and linked to its speech: for researchers and observers. */
export function debateSourcesView(input: {
  evidence: readonly EvidenceUnit[];
  turns: readonly Pick<TurnRow, 'id' | 'index' | 'seat'>[];
  citations: readonly (CitationRow & { spanStart: number | null; spanEnd: number | null })[];
}): DebateSourcesView {
  const turns = new Map(input.turns.map((t) => [t.id, t]));
  const quotes: QuotedSpanView[] = [];
  for (const c of input.citations) {
    const turn = turns.get(c.turnId);
    if (!turn || c.kind !== 'quote' || !c.verified || c.evidenceId === null || c.spanStart === null || c.spanEnd === null) continue;
    quotes.push({
      turn: turn.index,
      seat: turn.seat,
      at: c.atStart === null || c.atEnd === null ? null : [c.atStart, c.atEnd],
      evidenceId: c.evidenceId,
      span: [c.spanStart, c.spanEnd],
    });
  }
  quotes.sort((a, b) => a.turn - b.turn || (a.at?.[0] ?? 0) - (b.at?.[0] ?? 0));
  return { evidence: input.evidence.map((unit) => ({ id: unit.id, kind: unit.kind, text: unit.text })), quotes };
}
