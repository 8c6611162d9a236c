import type {
  CitationView,
  DebateStatus,
  DebaterSeat,
  JudgeDebateView,
  ProtocolSpec,
  TurnView,
  VerdictView,
} from '../../contracts/src/index.js';

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
  evidenceId: string;
  verified: boolean;
  excerpt: string | null;
}

export function citationView(c: Omit<CitationRow, 'turnId'>): CitationView {
  return { evidenceId: c.evidenceId, verified: c.verified, excerpt: c.verified ? c.excerpt : null };
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
  awaiting: string | null;
  myVerdicts: readonly VerdictView[];
}): JudgeDebateView {
  const { debate, spec, item } = input;
  return {
    id: debate.id,
    status: debate.status,
    protocol: {
      kind: spec.kind,
      rounds: spec.rounds,
      judgeEachRound: spec.judgeEachRound,
      maxChars: spec.speech.maxChars,
      maxCitations: spec.speech.maxCitations,
    },
    question: item.question,
    answers: [...item.answers],
    context: item.context,
    seats: debate.seats.map((s) => ({ seat: s.seat, answer: s.answer })),
    turns: input.turns.map((t) =>
      turnView(
        t,
        input.citations.filter((c) => c.turnId === t.id),
      ),
    ),
    awaiting: input.awaiting,
    myVerdicts: input.myVerdicts.map((v) => ({ stage: v.stage, probabilities: [...v.probabilities], note: v.note })),
  };
}
