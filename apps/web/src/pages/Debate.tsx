import { useEffect, useMemo, useRef, useState } from 'react';
import type { JudgeDebateView, TurnView } from '../../../../libs/contracts/src/views.js';
import { client, connect, data, type Me, type Schemas } from '../api.js';
import { speechRounds } from '../hooks.js';
import { DebateOutcome } from '../components/Outcome.js';
import { Probabilities } from '../components/Probabilities.js';
import { revealedReadings, RoomView } from '../components/RoomView.js';
import { SpeechText } from '../components/SpeechText.js';
import { StoryView, type StoryMark } from '../components/StoryView.js';
import { TextItemView } from '../components/TextItemView.js';

type Drafts = Record<number, { seat: string; text: string }>;

/** One mark per quoted span, naming every speech that quoted it; a click shows the first. */
function storyMarks(quotes: Schemas['DebateSourcesDoc']['quotes']): StoryMark[] {
  const bySpan = new Map<string, Schemas['DebateSourcesDoc']['quotes']>();
  for (const q of quotes) {
    const key = `${q.evidenceId}:${q.span.join(':')}`;
    bySpan.set(key, [...(bySpan.get(key) ?? []), q]);
  }
  return [...bySpan.values()].map((same) => ({
    evidenceId: same[0]!.evidenceId,
    span: same[0]!.span as [number, number],
    seat: same[0]!.seat,
    label: same.map((q) => `Debater ${q.seat}, speech ${q.turn + 1}`).join('; '),
    onClick: () => showTurn(same[0]!.turn),
  }));
}

/** Scrolls to a speech and marks it for a moment. */
function showTurn(index: number): void {
  const element = document.querySelector(`[data-testid="turn-${index}"]`);
  if (!element) return;
  element.scrollIntoView({ behavior: 'smooth', block: 'center' });
  element.classList.add('flash');
  setTimeout(() => element.classList.remove('flash'), 1500);
}

function withTurn(view: JudgeDebateView, turn: TurnView): JudgeDebateView {
  if (view.turns.some((t) => t.index === turn.index)) return view;
  return { ...view, turns: [...view.turns, turn].sort((a, b) => a.index - b.index) };
}

/**
 * A debate followed live: the state so far on (re)connecting, then speeches as they are written,
 * citations marked verified or not, and the judge's probabilities when the protocol asks for them.
 */
export function DebatePage({ debateId, me }: { debateId: string; me: Me }) {
  const socket = useMemo(connect, []);
  const [view, setView] = useState<JudgeDebateView | null>(null);
  const [drafts, setDrafts] = useState<Drafts>({});
  const [connected, setConnected] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [hover, setHover] = useState<string | null>(null);
  const join = useRef<() => void>(() => undefined);
  // The drafts as the socket handlers see them, without waiting for a render.
  const draftsNow = useRef<Drafts>({});
  const setDraftsNow = (next: Drafts) => {
    draftsNow.current = next;
    setDrafts(next);
  };

  useEffect(() => {
    join.current = () => {
      socket.emit('debate.join', { debateId }, (reply) => {
        if (!reply.ok) return setError(reply.error);
        setError(null);
        setView(reply.data);
        setDraftsNow(Object.fromEntries(reply.data.drafts.map((d) => [d.index, { seat: d.seat, text: d.text }])));
      });
    };
    socket.on('connect', () => {
      setConnected(true);
      join.current();
    });
    socket.on('disconnect', () => setConnected(false));
    socket.on('connect_error', (e) => setError(e.message));
    socket.on('turn.delta', ({ debateId: id, index, seat, offset, text }) => {
      if (id !== debateId) return;
      const known = offset === 0 ? '' : (draftsNow.current[index]?.text ?? '');
      // A gap means a piece was missed (a reconnect): the state so far fills it.
      if (offset > known.length) join.current();
      else setDraftsNow({ ...draftsNow.current, [index]: { seat, text: known.slice(0, offset) + text } });
    });
    socket.on('turn.created', ({ debateId: id, turn }) => {
      if (id !== debateId) return;
      setView((v) => (v ? withTurn(v, turn) : v));
      setDraftsNow(Object.fromEntries(Object.entries(draftsNow.current).filter(([i]) => Number(i) !== turn.index)));
    });
    // A change of stage changes what this judge is asked: read the state again.
    socket.on('debate.status', ({ debateId: id }) => id === debateId && join.current());
    return () => {
      socket.close();
    };
  }, [socket, debateId]);

  // Observers of a text item see its evidence with every verified quotation in it; judges never ask for it.
  const observer = (me.role === 'researcher' || me.role === 'admin') && !!view && view.context.kind !== 'world-room';
  const turnCount = view?.turns.length ?? 0;
  const [sources, setSources] = useState<Schemas['DebateSourcesDoc'] | null>(null);
  useEffect(() => {
    if (!observer) return;
    data(client.GET('/debates/{id}/sources', { params: { path: { id: debateId } } })).then(setSources, (e: Error) => setError(e.message));
  }, [observer, debateId, turnCount]);

  if (error && !view) return <p className="problems">{error}</p>;
  if (!view) return <p className="muted">Joining the debate…</p>;

  const citations = view.turns.flatMap((t) => t.citations);
  const camera = view.context.kind === 'world-room' ? (view.context.camera as Parameters<typeof RoomView>[0]['camera']) : null;
  const seatAnswer = new Map(view.seats.map((s) => [s.seat, view.answers[s.answer]]));
  const pending = Object.entries(drafts).filter(([i]) => !view.turns.some((t) => t.index === Number(i)));
  const speechRound = speechRounds(view.turns);

  return (
    <div className="debate" data-testid="debate" data-status={view.status}>
      <div>
        <h2>{view.question}</h2>
        <p className="muted">
          <span className="status" data-testid="status">
            {view.status}
          </span>{' '}
          <span data-testid="connection">{connected ? 'live' : 'reconnecting…'}</span> · {view.protocol.kind}
          {view.protocol.description ? ` — ${view.protocol.description}` : ''}
        </p>
        <p>
          {view.seats.map((s) => (
            <span key={s.seat} style={{ marginRight: '1rem' }}>
              Debater {s.seat} argues <strong>{view.answers[s.answer]}</strong>
            </span>
          ))}
        </p>
        {view.turns.length === 0 && pending.length === 0 && <p className="muted">No speeches yet.</p>}
        {view.turns.map((t) => (
          <div key={t.index} className={`turn seat-${t.seat}`} data-testid={`turn-${t.index}`}>
            <div className="muted">
              Debater {t.seat} ({seatAnswer.get(t.seat)}), round {speechRound.get(t.round)}
            </div>
            <SpeechText text={t.text} citations={t.citations} onHover={setHover} />
          </div>
        ))}
        {pending.map(([index, d]) => (
          <div key={index} className={`turn draft seat-${d.seat}`} data-testid={`draft-${index}`}>
            <div className="muted">Debater {d.seat} is writing…</div>
            {d.text}
          </div>
        ))}
      </div>
      <aside>
        {camera && (
          <section className="card">
            <h3>The room</h3>
            <RoomView camera={camera} revealed={revealedReadings(citations)} highlight={hover} />
            <p className="muted">Shaded cells are sensor readings the debaters cited and the server verified.</p>
          </section>
        )}
        {!camera && <TextItemView context={view.context} turns={view.turns} observer={observer} />}
        {!camera && sources && sources.evidence.length > 0 && (
          <section className="card" data-testid="sources">
            <h3>The evidence, as quoted</h3>
            <StoryView evidence={sources.evidence} marks={storyMarks(sources.quotes)} />
            <p className="muted">Each highlighted span was quoted; click it to see the speech.</p>
          </section>
        )}
        {me.role === 'judge' && (
          <JudgePanel
            // A new stage is a new form: the last round's note and end-the-debate choice are not carried into it.
            key={view.awaiting?.stage ?? 'none'}
            view={view}
            socketSubmit={(payload, done) => socket.emit('verdict.submit', payload, done)}
            onSubmitted={() => join.current()}
          />
        )}
        {me.role === 'judge' && view.status === 'completed' && <DebateOutcome debateId={debateId} socket={socket} />}
        <section className="card">
          <h3>Scoring</h3>
          <p className="muted">
            Your reward is log<sub>{view.protocol.scoring.base}</sub> of the probability you finally give the correct answer, minus{' '}
            {view.protocol.scoring.perTurnPenalty} for each round you let the debate continue.
          </p>
        </section>
      </aside>
    </div>
  );
}

type Submit = (
  payload: { debateId: string; stage: string; probabilities: number[]; note?: string; endDebate?: boolean },
  done: (reply: { ok: true; data: { stage: string; duplicate: boolean } } | { ok: false; error: string; status: number }) => void,
) => void;

function JudgePanel({ view, socketSubmit, onSubmitted }: { view: JudgeDebateView; socketSubmit: Submit; onSubmitted: () => void }) {
  const uniform = view.answers.map(() => 1 / view.answers.length);
  const last = view.myVerdicts.at(-1)?.probabilities;
  const [values, setValues] = useState<number[]>(last ?? uniform);
  const [note, setNote] = useState('');
  const [endDebate, setEndDebate] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const awaiting = view.awaiting;

  if (!awaiting) {
    return (
      <section className="card" data-testid="verdicts">
        <h3>Your judgements</h3>
        {view.myVerdicts.length === 0 && (
          <p className="muted">You will be asked for your probabilities when the protocol calls for them.</p>
        )}
        {view.myVerdicts.map((v) => (
          <p key={v.stage}>
            <strong>{v.stage}</strong>: {v.probabilities.map((p, i) => `${view.answers[i]} ${Math.round(p * 100)}%`).join(', ')}
            {v.endsDebate ? ' — you ended the debate' : ''}
          </p>
        ))}
      </section>
    );
  }
  return (
    <section className="card" data-testid="judge-panel">
      <h3>{awaiting.stage === 'final' ? 'Your verdict' : 'Your probabilities now'}</h3>
      <Probabilities answers={view.answers} values={values} onChange={setValues} />
      <label>
        {awaiting.noteVisibleToDebaters ? 'A question or comment for the debaters' : 'A note (optional)'}
        <textarea
          value={note}
          maxLength={awaiting.noteLimit ?? undefined}
          onChange={(e) => setNote(e.target.value)}
          style={{ width: '100%' }}
        />
      </label>
      {awaiting.mayEnd && (
        <label>
          <input type="checkbox" checked={endDebate} onChange={(e) => setEndDebate(e.target.checked)} /> End the debate with these
          probabilities
        </label>
      )}
      <p>
        <button
          disabled={sending}
          onClick={() => {
            setSending(true);
            socketSubmit(
              {
                debateId: view.id,
                stage: awaiting.stage,
                probabilities: values,
                note: note || undefined,
                endDebate: endDebate || undefined,
              },
              (reply) => {
                setSending(false);
                setProblem(reply.ok ? null : reply.error);
                if (reply.ok) onSubmitted();
              },
            );
          }}
        >
          Submit
        </button>
      </p>
      {problem && <p className="problems">{problem}</p>}
    </section>
  );
}
