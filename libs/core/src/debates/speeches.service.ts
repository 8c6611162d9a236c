import { Injectable, Logger } from '@nestjs/common';
import { Conflict, Forbidden, Invalid, NotFound, type ProtocolSpec } from '#tribunal/contracts';
import {
  judgeRelease,
  limitProblems,
  parseCitations,
  schedule,
  speechLimits,
  turnView,
  verifyCitations,
  withinLimits,
  type Speech,
  type SpeechRequest,
  type TranscriptEntry,
} from '#tribunal/debate';
import { DebateRepository, UnitOfWork, type CitationEntity, type DebateRecord, type TurnEntity } from '#tribunal/persistence';
import { JobQueue } from '#tribunal/queue';
import type { Principal } from '../identity/auth.service.js';
import { advanceKey, progressOf, type NextStep } from './debate-progress.js';
import { LiveEvents } from '../live-events/live-events.js';
import { Metrics } from '../operations/metrics.js';
import { LlmEndpoints } from '../llm-endpoints/llm-endpoints.js';

/** A turn as written, with its citations. */
export type AppendedTurn = { turn: TurnEntity; citations: CitationEntity[] };

/** How often the text of a speech being written is saved and broadcast. */
const DRAFT_EVERY_MS = 150;

/**
 * Speeches: what a debater is shown, how its speech streams to the room, and how the finished
 * speech is checked against the protocol's limits, verified and persisted once.
 */
@Injectable()
export class SpeechesService {
  private readonly logger = new Logger(SpeechesService.name);

  constructor(
    private readonly debateRepository: DebateRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly queue: JobQueue,
    private readonly events: LiveEvents,
    private readonly llmEndpoints: LlmEndpoints,
    private readonly metrics: Metrics,
  ) {}

  private speechRequest(record: DebateRecord, spec: ProtocolSpec, speech: Speech, problems?: string[]): SpeechRequest {
    const seat = record.debate.seats.find((s) => s.seat === speech.seat)!;
    const transcript: TranscriptEntry[] = [];
    const visible = record.turns.filter((t) => t.index < speech.visibleBefore);
    for (const turn of visible) {
      const speaker = record.debate.seats.find((s) => s.seat === turn.seat)!;
      transcript.push({ kind: 'speech', seat: turn.seat, answer: speaker.answer, round: turn.round, text: turn.text });
    }
    // Judges' probabilities and notes reach the debaters only from earlier rounds that show them.
    const shown = new Set(
      schedule(spec, record.debate.seats.length)
        .filter((step) => step.kind === 'judge' && step.position < speech.step.position && step.round.visibleToDebaters)
        .map((step) => (step.kind === 'judge' ? step.stage : '')),
    );
    for (const verdict of record.verdicts) {
      if (!shown.has(verdict.stage)) continue;
      transcript.push({ kind: 'judge', stage: verdict.stage, probabilities: verdict.probabilities, note: verdict.note });
    }
    const limits = speechLimits(spec, speech.step.round);
    return {
      item: record.item,
      seat: seat.seat,
      answer: seat.answer,
      opponents: record.debate.seats.filter((s) => s.seat !== seat.seat).map((s) => ({ seat: s.seat, answer: s.answer })),
      speechNumber: record.turns.filter((t) => t.seat === seat.seat && t.index < speech.index).length + 1,
      transcript,
      limits: { ...limits, tokens: spec.limits.tokens },
      // Only what the speaker could have read: a simultaneous opponent's speech of the same round is not.
      alreadyCited: record.citations
        .filter((c) => visible.some((t) => t.id === c.turnId))
        .map((c) => c.evidenceId)
        .filter((id): id is string => id !== null),
      problems,
    };
  }

  /** Has a debater write one speech, streaming it to the room, then persists it (once); null when it was there already, or the debate ended. */
  async speak(record: DebateRecord, spec: ProtocolSpec, speech: Speech, next: NextStep): Promise<AppendedTurn | null> {
    const seatSpec = spec.debaters[record.debate.seats.findIndex((s) => s.seat === speech.seat)]!;
    const debater = this.llmEndpoints.debater(spec, seatSpec);
    const timer = this.metrics.speechSeconds.startTimer({ backend: seatSpec.backend });
    const limits = speechLimits(spec, speech.step.round);
    let problems: string[] | undefined;
    let text = '';
    const attempts = spec.limits.overLimit === 'retry' ? (spec.limits.retries ?? 1) + 1 : 1;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const draft = this.drafter(record, speech);
      try {
        text = await debater.speak(this.speechRequest(record, spec, speech, problems), draft.push);
      } finally {
        await draft.finish();
      }
      problems = limitProblems(text, parseCitations(text), limits);
      if (problems.length === 0) break;
      this.logger.warn(`debate ${record.debate.id}, seat ${speech.seat}: ${problems.join('; ')}`);
    }
    const { text: kept, honoured } = withinLimits(text, parseCitations(text), limits);
    const appended = await this.append(record, spec, speech, kept, verifyCitations(honoured, record.item.evidence), next);
    timer();
    return appended;
  }

  /**
   * Collects a speech's text as it comes, broadcasting and saving it every so often. Each attempt
   * starts over at offset 0, which tells clients to drop what they had of this turn. A speech written
   * whole before the first broadcast was due (a built-in debater's) has nothing in progress to show:
   * it is neither broadcast nor saved as a draft, only written as its turn.
   */
  private drafter(record: DebateRecord, speech: Speech): { push: (delta: string) => void; finish: () => Promise<void> } {
    const debateId = record.debate.id;
    let text = '';
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    // Saves run one after another, so the last one written is the longest text.
    let saving = Promise.resolve();
    // A simultaneous round's speeches reach judges only together, once all are given (judgeRelease):
    // what is written of one meanwhile is saved, not broadcast.
    const broadcast = !speech.step.simultaneous;
    const flush = () => {
      timer = undefined;
      if (text.length === sent) return;
      if (broadcast) {
        this.events.emit(debateId, 'turn.delta', {
          debateId,
          index: speech.index,
          seat: speech.seat,
          offset: sent,
          text: text.slice(sent),
        });
      }
      sent = text.length;
      const snapshot = text;
      saving = saving
        .then(() => this.debateRepository.saveDraft({ debateId, index: speech.index, seat: speech.seat, text: snapshot }))
        .catch((error: Error) =>
          this.logger.warn(`debate ${debateId}: could not save the draft of turn ${speech.index}: ${error.message}`),
        );
    };
    return {
      push: (delta: string) => {
        text += delta;
        timer ??= setTimeout(flush, DRAFT_EVERY_MS);
      },
      // The last save must land before the turn is written, which removes the draft.
      finish: () => {
        clearTimeout(timer);
        if (sent > 0) flush();
        return saving;
      },
    };
  }

  /** Persists a speech with its verified citations (with the next step's job, when it is to be queued) and broadcasts the turn. */
  private async append(
    record: DebateRecord,
    spec: ProtocolSpec,
    speech: Speech,
    text: string,
    citations: ReturnType<typeof verifyCitations>,
    next: NextStep,
  ): Promise<AppendedTurn | null> {
    const debateId = record.debate.id;
    const turn = { debateId, index: speech.index, round: speech.step.position, seat: speech.seat, text };
    const rows = citations.map((c) => ({
      kind: c.kind,
      evidenceId: c.evidenceId,
      quote: c.quote,
      verified: c.verified,
      score: c.score,
      excerpt: c.excerpt,
      spanStart: c.span?.[0] ?? null,
      spanEnd: c.span?.[1] ?? null,
      atStart: c.at[0],
      atEnd: c.at[1],
    }));
    // Within a debate's run a sequential speech is one statement; a person's speech queues the next
    // step with it; a simultaneous round's speech reads the round back in its transaction, to learn
    // whether it is the round's last (appendTurn locks the debate's row, which orders them).
    const { step } = speech;
    const round = step.simultaneous ? { from: step.firstTurn, to: step.firstTurn + record.debate.seats.length } : null;
    if (next === 'inline' && !round) {
      const appended = await this.debateRepository.appendTurn(undefined, turn, rows);
      if (appended) this.events.emit(debateId, 'turn.created', { debateId, turn: turnView(appended.turn, appended.citations) });
      return appended;
    }
    const result = await this.unitOfWork.run(async (tx) => {
      const appended = await this.debateRepository.appendTurn(tx, turn, rows);
      if (!appended) return null;
      if (next === 'queue') {
        await this.queue.send(
          'debate.advance',
          { debateId },
          { singletonKey: advanceKey(debateId, speech.index + 1, record.verdicts.length) },
          tx,
        );
      }
      return { appended, round: round && (await this.debateRepository.turnsBetween(tx, debateId, round.from, round.to)) };
    });
    if (!result) return null;
    if (!round) this.events.emit(debateId, 'turn.created', { debateId, turn: turnView(result.appended.turn, result.appended.citations) });
    else this.release(debateId, spec, record.debate.seats.length, result.round!);
    return result.appended;
  }

  /**
   * Tells the room what a judge's view now shows of a simultaneous round (`judgeRelease`): nothing
   * until its last speech is given, then every speech of it, in seat order, bearing that moment.
   */
  private release(debateId: string, spec: ProtocolSpec, seats: number, round: AppendedTurn[]): void {
    const citations = new Map(round.map((t) => [t.turn.id, t.citations]));
    for (const turn of judgeRelease(
      spec,
      seats,
      round.map((t) => t.turn),
    )) {
      this.events.emit(debateId, 'turn.created', {
        debateId,
        turn: turnView({ ...turn, createdAt: turn.releasedAt }, citations.get(turn.id)!),
      });
    }
  }

  /**
   * A speech for a seat whose debater is `manual`: submitted by the person who holds the seat (a
   * `debater`), or, for a seat nobody holds, by a researcher or an admin.
   */
  async submit(principal: Principal, debateId: string, seatName: string, text: string): Promise<{ index: number }> {
    const record = await this.debateRepository.record(debateId);
    if (!record) throw new NotFound(`debate ${debateId} does not exist`);
    const holder = record.debate.seats.find((s) => s.seat === seatName)?.userId;
    if (principal.role === 'debater') {
      if (!record.debate.seats.some((s) => s.userId === principal.id)) throw new Forbidden(`you do not speak in debate ${debateId}`);
      if (holder !== principal.id) throw new Forbidden(`you do not speak for seat ${seatName} of debate ${debateId}`);
    } else if (holder !== undefined) throw new Conflict(`seat ${seatName} is held by a debater; only they speak for it`);
    const { spec, action } = progressOf(record);
    const speech = action.kind === 'speak' ? action.speeches.find((s) => s.seat === seatName) : undefined;
    if (!speech) throw new Conflict(`debate ${debateId} is not waiting for a speech from seat ${seatName}`);
    const seat = record.debate.seats.find((s) => s.seat === seatName)!;
    if (seat.backend !== 'manual') throw new Conflict(`seat ${seatName} is spoken by the ${seat.backend} debater`);
    const marks = parseCitations(text);
    const problems = limitProblems(text, marks, speechLimits(spec, speech.step.round));
    if (problems.length > 0) throw new Invalid(problems);
    const citations = verifyCitations(marks, record.item.evidence);
    const missing = citations.filter((c) => c.kind === 'evidence' && !c.verified).map((c) => `[[${c.evidenceId}]]`);
    if (missing.length > 0) throw new Invalid(`citation ${missing.join(', ')} does not exist in the item's evidence`);
    await this.append(record, spec, speech, text, citations, 'queue');
    return { index: speech.index };
  }
}
