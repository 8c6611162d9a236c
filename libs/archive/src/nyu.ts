import type { ProtocolSpec, RoundSpec } from '#tribunal/contracts';
import { ArchiveError, directoryFiles, type ArchiveFiles } from './files.js';
import { parseArchiveJson } from './json.js';

/** The four conditions of the NYU 2023 experiments. */
export type NyuSetting = 'human-debate' | 'human-consultancy' | 'ai-debate' | 'ai-consultancy';

export interface NyuQuote {
  /** Where the quotation stands in the speech's text, `<quote>` tags included. */
  at: [number, number];
  /** Where it stands in the story's text. */
  span: [number, number];
}

export type NyuRound =
  | { kind: 'judge'; position: number; distribution: number[]; note: string; endDebate: boolean; at: number }
  | {
      kind: 'speeches';
      position: number;
      simultaneous: boolean;
      speeches: { debater: number; text: string; quotes: NyuQuote[]; at: number }[];
    };

export interface NyuRoom {
  name: string;
  setting: NyuSetting;
  includedInPaper: boolean;
  storyId: string;
  storyTitle: string;
  story: string;
  question: string;
  answers: string[];
  correct: number;
  /** The debaters present: 0 is Debater A (arguing answers[0]), 1 is Debater B. */
  debaters: number[];
  /** The pseudonyms the archive gives its debaters (by index) and its judge. */
  names: { debaters: Record<number, string>; judge: string | null };
  rules: RawRules;
  rounds: NyuRound[];
  createdAt: number;
  endedAt: number;
}

export interface Skipped {
  room: string;
  reason: string;
}

interface RawRound {
  JudgeFeedbackRound?: { charLimit?: number; reportBeliefs?: boolean };
  SimultaneousSpeechesRound?: { charLimit?: number; quoteLimit?: number | null };
  SequentialSpeechesRound?: { charLimit?: number; quoteLimit?: number | null };
  NegotiateEndRound?: Record<string, unknown>;
}
export interface RawRules {
  fixedOpening: RawRound[] | null;
  repeatingStructure: RawRound[] | null;
  fixedClosing: { rounds: RawRound[] } | null;
  scoringFunction: { LogScoreWithLinearPenalty?: { logBase: number; perTurnPenalty: number } };
}
type Content = { Text?: { text: string }; Quote?: { span: [number, number] } };
interface RawSpeeches {
  speeches: Record<string, { content: Content[]; timestamp: number }>;
}
interface RawMeta {
  name: string;
  setting: { isHuman: boolean; isDebate: boolean };
  includedInPaper?: boolean;
  roleAssignments?: Record<string, string>;
  status?: { Complete?: { result?: { timestamp?: number } } } & Record<string, unknown>;
  creationTime?: number;
  latestUpdateTime?: number;
}
interface RawRoom {
  setup?: {
    sourceMaterial?: { QuALITYSourceMaterial?: { articleId: string | number; title: string; contents: string[] } };
    answers?: string[];
    correctAnswerIndex?: number;
    question?: string;
    rules: RawRules;
  };
  rounds: {
    JudgeFeedback?: { distribution: number[]; feedback?: { content?: Content[]; timestamp?: number }; endDebate?: boolean };
    SimultaneousSpeeches?: RawSpeeches;
    SequentialSpeeches?: RawSpeeches;
  }[];
}

/** The story's tokens joined by single spaces, with where each token starts, so token spans become character spans. */
export function joinTokens(tokens: readonly string[]): { text: string; starts: number[] } {
  const starts: number[] = [];
  let text = '';
  for (const token of tokens) {
    if (text) text += ' ';
    starts.push(text.length);
    text += token;
  }
  return { text, starts };
}

/** A speech's content as text, each quoted token span written `<quote>…</quote>` and located in the story. */
function speechText(
  content: readonly Content[],
  story: { text: string; starts: number[] },
  tokens: number,
): { text: string; quotes: NyuQuote[] } {
  let text = '';
  const quotes: NyuQuote[] = [];
  for (const part of content) {
    if (part.Text) text += part.Text.text;
    else if (part.Quote) {
      const [from, to] = part.Quote.span;
      if (from < 0 || to > tokens || to <= from) continue;
      const start = story.starts[from]!;
      const end = story.starts[to - 1]! + (story.text.slice(story.starts[to - 1]!).split(' ', 1)[0]?.length ?? 0);
      const quoted = `<quote>${story.text.slice(start, end)}</quote>`;
      quotes.push({ at: [text.length, text.length + quoted.length], span: [start, end] });
      text += quoted;
    }
  }
  return { text, quotes };
}

/**
 * Reads an archive in the NYU debate platform's format: `debates-metadata.jsonl` and
 * `debates/official/<room>.json`. Rooms that are not complete or lack a correct answer are
 * reported as skipped, with the reason.
 */
export function readNyuArchive(archive: string | ArchiveFiles): { rooms: NyuRoom[]; skipped: Skipped[] } {
  const rooms: NyuRoom[] = [];
  const skipped: Skipped[] = [];
  for (const entry of nyuArchiveEntries(archive)) {
    if ('room' in entry) rooms.push(entry.room);
    else skipped.push(entry.skipped);
  }
  return { rooms, skipped };
}

/**
 * The archive's rooms one at a time, in its metadata's order, each read or skipped with the reason:
 * a caller that must stay responsive (a server) can pause between them.
 */
export function* nyuArchiveEntries(archive: string | ArchiveFiles): Generator<{ room: NyuRoom } | { skipped: Skipped }> {
  const files = typeof archive === 'string' ? directoryFiles(archive) : archive;
  const metadataText = files.read('debates-metadata.jsonl');
  if (metadataText === undefined) throw new ArchiveError('the archive holds no debates-metadata.jsonl: not an archive in the NYU format');
  const metadata = metadataText
    .split('\n')
    .map((line, i) => (line.trim() ? (parseArchiveJson(line, 'debates-metadata.jsonl', i + 1) as RawMeta) : null))
    .filter((meta): meta is RawMeta => meta !== null);
  const official = new Set(files.list('debates/official'));
  for (const meta of metadata) {
    if (!meta || typeof meta !== 'object') throw new ArchiveError('debates-metadata.jsonl: a line is not a JSON object');
    const name = String(meta.name);
    const complete = meta.status?.Complete;
    if (!complete) {
      yield { skipped: { room: name, reason: `status is ${Object.keys(meta.status ?? {})[0] ?? 'unknown'}, not Complete` } };
      continue;
    }
    if (!official.has(`${name}.json`)) {
      yield { skipped: { room: name, reason: 'no room file in debates/official' } };
      continue;
    }
    const file = `debates/official/${name}.json`;
    const room = parseArchiveJson(files.read(file) ?? '', file) as RawRoom;
    let read: NyuRoom | string;
    try {
      read = nyuRoom(name, meta, room);
    } catch (error) {
      if (error instanceof ArchiveError) throw error;
      throw new ArchiveError(`${file} is not a room in the NYU format (${(error as Error).name}: ${(error as Error).message})`);
    }
    yield typeof read === 'string' ? { skipped: { room: name, reason: read } } : { room: read };
  }
}

/** One room, or why it is skipped. */
function nyuRoom(name: string, meta: RawMeta, room: RawRoom): NyuRoom | string {
  const complete = meta.status!.Complete!;
  const setup = room.setup;
  const material = setup?.sourceMaterial?.QuALITYSourceMaterial;
  const tokens = material?.contents;
  const correct = setup?.correctAnswerIndex;
  if (!setup || !material || !tokens || !Array.isArray(setup.answers) || setup.answers.length !== 2 || correct === undefined) {
    return 'no story, two answers and a correct answer in its setup';
  }
  const story = joinTokens(tokens);
  const rounds: NyuRound[] = [];
  room.rounds.forEach((round, position) => {
    if (round.JudgeFeedback) {
      const f = round.JudgeFeedback;
      const note = speechText(f.feedback?.content ?? [], story, tokens.length).text;
      rounds.push({
        kind: 'judge',
        position,
        distribution: f.distribution,
        note,
        endDebate: !!f.endDebate,
        at: f.feedback?.timestamp ?? 0,
      });
    }
    const speeches = round.SimultaneousSpeeches ?? round.SequentialSpeeches;
    if (speeches) {
      rounds.push({
        kind: 'speeches',
        position,
        simultaneous: !!round.SimultaneousSpeeches,
        speeches: Object.entries(speeches.speeches)
          .map(([debater, speech]) => ({
            debater: Number(debater),
            ...speechText(speech.content, story, tokens.length),
            at: speech.timestamp,
          }))
          .sort((a, b) => a.debater - b.debater),
      });
    }
  });
  if (!rounds.some((r) => r.kind === 'judge')) {
    return 'no judge feedback';
  }
  const roles = Object.keys(meta.roleAssignments ?? {});
  return {
    name,
    setting: `${meta.setting.isHuman ? 'human' : 'ai'}-${meta.setting.isDebate ? 'debate' : 'consultancy'}` as NyuSetting,
    includedInPaper: !!meta.includedInPaper,
    storyId: String(material.articleId),
    storyTitle: String(material.title),
    story: story.text,
    question: String(setup.question),
    answers: setup.answers.map(String),
    correct,
    debaters: [0, 1].filter((i) => roles.includes(`Debater ${'AB'[i]}`)),
    names: {
      debaters: Object.fromEntries(
        [0, 1].flatMap((i) => (meta.roleAssignments?.[`Debater ${'AB'[i]}`] ? [[i, meta.roleAssignments[`Debater ${'AB'[i]}`]!]] : [])),
      ),
      judge: meta.roleAssignments?.Judge ?? null,
    },
    rules: setup.rules,
    rounds,
    createdAt: Number(meta.creationTime ?? 0),
    endedAt: Number(complete.result?.timestamp ?? meta.latestUpdateTime ?? 0),
  };
}

function roundSpec(raw: RawRound): RoundSpec | null {
  if (raw.JudgeFeedbackRound) return { type: 'judge', visibleToDebaters: true, noteLimit: raw.JudgeFeedbackRound.charLimit };
  const speech = raw.SimultaneousSpeechesRound ?? raw.SequentialSpeechesRound;
  if (!speech) return null;
  return {
    type: raw.SimultaneousSpeechesRound ? 'simultaneous' : 'sequential',
    charLimit: speech.charLimit,
    ...(speech.quoteLimit === null || speech.quoteLimit === undefined ? {} : { quoteLimit: speech.quoteLimit }),
  };
}

/**
 * The room's rules as a Tribunal protocol: its opening, repeating and closing rounds (rounds in
 * which debaters negotiated an end have no counterpart and are left out, as the description says),
 * judges who may end the debate, and its log scoring rule.
 */
export function nyuProtocol(room: Pick<NyuRoom, 'rules' | 'setting' | 'debaters'>): ProtocolSpec {
  const rules = room.rules;
  const map = (list: RawRound[] | null | undefined) => (list ?? []).map(roundSpec).filter((r): r is RoundSpec => r !== null);
  const all = [...(rules.fixedOpening ?? []), ...(rules.repeatingStructure ?? []), ...(rules.fixedClosing?.rounds ?? [])];
  const negotiated = all.some((r) => r.NegotiateEndRound);
  const chars = Math.max(20, ...map(all).map((r) => r.charLimit ?? 0));
  const quotes = map(all).flatMap((r) => (r.quoteLimit === undefined ? [] : [r.quoteLimit]));
  const scoring = rules.scoringFunction.LogScoreWithLinearPenalty ?? { logBase: 2, perTurnPenalty: 0.05 };
  const debate = room.setting.endsWith('debate');
  return {
    kind: debate ? 'debate' : 'consultancy',
    description: `Imported from the NYU 2023 archive (${room.setting})${negotiated ? '; its rounds where debaters negotiated an end are left out' : ''}.`,
    structure: { opening: map(rules.fixedOpening), repeating: map(rules.repeatingStructure), closing: map(rules.fixedClosing?.rounds) },
    end: { maxRepeats: map(rules.repeatingStructure).length ? 50 : 0, judgeMayEnd: true },
    limits: { chars, citations: 50, overLimit: 'truncate', ...(quotes.length ? { quoteChars: Math.max(...quotes) } : {}) },
    // The archive's own debates keep the seats they were run with (written as they are, not seated
    // by this rule); a debate Tribunal starts under this protocol seats the two answers in an order
    // drawn from the item, as every debate does: the archive has the correct answer in seat B in 56%
    // of its rooms, and a new debate must not carry that over.
    assignment: 'top-two',
    debaters: (debate ? [0, 1] : [0]).map(() => ({ backend: 'manual' as const })),
    judges: { count: 1, kind: 'human' },
    scoring: { kind: 'log', base: scoring.logBase, perTurnPenalty: scoring.perTurnPenalty },
    adjudication: { method: 'mean', threshold: 0.8 },
  };
}

/**
 * How many rooms have the correct answer in each seat (Debater A argues answers[0], B answers[1]):
 * the archive's own balance, which a judge who always picks one seat would score.
 */
export function correctSeats(rooms: readonly Pick<NyuRoom, 'correct'>[]): { rooms: number; A: number; B: number } {
  const B = rooms.filter((r) => r.correct === 1).length;
  return { rooms: rooms.length, A: rooms.length - B, B };
}
