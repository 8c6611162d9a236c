import type { DebaterSeat, DisputeReason, EvidenceUnit } from '#tribunal/contracts';
import type { NyuRoom } from './nyu.js';

/** A citation of an archived speech, as Tribunal stores one. */
export interface ArchivedCitation {
  kind: 'evidence' | 'quote';
  evidenceId: string | null;
  quote: string | null;
  verified: boolean;
  score: number | null;
  excerpt: string | null;
  spanStart: number | null;
  spanEnd: number | null;
  atStart: number | null;
  atEnd: number | null;
}

/** A finished debate from an archive as Tribunal records it: item, dispute reason, seats, every speech and every answer its judge gave. */
export interface ArchivedDebateRecord {
  item: {
    datasetId: string;
    externalId: string;
    context: Record<string, unknown>;
    evidence: EvidenceUnit[];
    question: string;
    answers: string[];
    simpleLabel: number | null;
    groundTruth: number | null;
    features: number[] | null;
    meta: Record<string, unknown>;
  };
  reasons: DisputeReason[];
  protocolId: string;
  seats: DebaterSeat[];
  /** The archive's name for the judge. */
  judge: string | null;
  createdAt: Date;
  endedAt: Date;
  turns: { index: number; round: number; seat: string; text: string; createdAt: Date; citations: ArchivedCitation[] }[];
  verdicts: { stage: string; probabilities: number[]; note: string | null; endsDebate: boolean; createdAt: Date }[];
}

/** The evidence unit holding a room's story, which its speeches quote. */
const STORY = 'story';

/**
 * One room as a finished Tribunal debate: the story as the item's evidence (no simple label, the
 * correct answer as ground truth), the archive's own seats, speeches with their quotations as
 * verified citations, the judge's every answer as a verdict (the last one `final`).
 */
export function archivedDebate(room: NyuRoom, datasetId: string, protocolId: string): ArchivedDebateRecord {
  const debate = room.setting.endsWith('debate');
  const seats = (debate ? [0, 1] : room.debaters.slice(0, 1)).map((d) => ({
    seat: 'AB'[d]!,
    answer: d,
    backend: 'manual' as const,
    ...(room.names.debaters[d] ? { name: room.names.debaters[d] } : {}),
  }));
  const turns: ArchivedDebateRecord['turns'] = [];
  for (const round of room.rounds) {
    if (round.kind !== 'speeches') continue;
    for (const speech of round.speeches) {
      turns.push({
        index: turns.length,
        round: round.position,
        seat: 'AB'[speech.debater]!,
        text: speech.text,
        createdAt: new Date(speech.at || room.createdAt),
        citations: speech.quotes.map((q) => ({
          kind: 'quote' as const,
          evidenceId: STORY,
          quote: room.story.slice(q.span[0], q.span[1]),
          verified: true,
          score: 1,
          excerpt: room.story.slice(q.span[0], q.span[1]),
          spanStart: q.span[0],
          spanEnd: q.span[1],
          atStart: q.at[0],
          atEnd: q.at[1],
        })),
      });
    }
  }
  const judged = room.rounds.filter((r) => r.kind === 'judge');
  return {
    item: {
      datasetId,
      externalId: room.name,
      context: { kind: 'passage-hidden', title: room.storyTitle },
      evidence: [{ id: STORY, kind: 'passage', text: room.story }],
      question: room.question,
      answers: room.answers,
      simpleLabel: null,
      groundTruth: room.correct,
      features: null,
      meta: {
        archive: 'nyu-debate-2023',
        room: room.name,
        setting: room.setting,
        includedInPaper: room.includedInPaper,
        storyId: room.storyId,
      },
    },
    reasons: [{ kind: 'imported', detail: `room ${room.name} of the NYU 2023 archive (${room.setting})` }],
    protocolId,
    seats,
    judge: room.names.judge,
    createdAt: new Date(room.createdAt),
    endedAt: new Date(room.endedAt),
    turns,
    verdicts: judged.map((r, i) => ({
      stage: i === judged.length - 1 ? 'final' : `judge-${r.position}`,
      probabilities: r.distribution,
      note: r.note || null,
      endsDebate: r.endDebate,
      createdAt: new Date(r.at || room.createdAt + i),
    })),
  };
}
