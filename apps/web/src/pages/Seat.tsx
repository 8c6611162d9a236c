import { useEffect, useMemo, useRef, useState, type MutableRefObject } from 'react';
import { parseCitations, verifyCitations } from '../../../../libs/debate/src/citations.js';
import { limitProblems } from '../../../../libs/debate/src/limits.js';
import type { DebaterDebateView, SpeakingView } from '../../../../libs/contracts/src/views.js';
import { ApiError, client, connect } from '../api.js';
import { speechRounds } from '../hooks.js';
import { SpeechText } from '../components/SpeechText.js';
import { StoryView } from '../components/StoryView.js';

/**
 * A debate from the seat a person speaks for: the story, the speeches they may read, the judges'
 * answers the protocol shows them, and, when a speech is asked of them, the editor. Live updates
 * come as `seat.update`, which says only that the debate moved; the page then reads what it may see.
 */
export function SeatPage({ debateId }: { debateId: string }) {
  const socket = useMemo(connect, []);
  const [view, setView] = useState<DebaterDebateView | null>(null);
  const [connected, setConnected] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const join = useRef<() => void>(() => undefined);
  // The composer's hook for quoting a selection of the story; set while it is shown.
  const insertQuote = useRef<((text: string) => void) | null>(null);

  useEffect(() => {
    join.current = () => {
      socket.emit('seat.join', { debateId }, (reply) => {
        if (!reply.ok) return setError(reply.error);
        setError(null);
        setView(reply.data);
      });
    };
    socket.on('connect', () => {
      setConnected(true);
      join.current();
    });
    socket.on('disconnect', () => setConnected(false));
    socket.on('connect_error', (e) => setError(e.message));
    socket.on('seat.update', ({ debateId: id }) => id === debateId && join.current());
    return () => {
      socket.close();
    };
  }, [socket, debateId]);

  if (error && !view) return <p className="problems">{error}</p>;
  if (!view) return <p className="muted">Joining the debate…</p>;

  const opponents = view.seats.filter((s) => s.seat !== view.seat);
  const speechRound = speechRounds(view.turns);
  const ended = view.status === 'completed' || view.status === 'failed';
  return (
    <div className="debate" data-testid="seat" data-status={view.status}>
      <div>
        <h2>{view.question}</h2>
        <p className="muted">
          <span className="status" data-testid="status">
            {view.status}
          </span>{' '}
          <span data-testid="connection">{connected ? 'live' : 'reconnecting…'}</span> · {view.protocol.kind}
        </p>
        <p data-testid="my-answer">
          You are debater {view.seat} and argue <strong>{view.answers[view.answer]}</strong>
          {opponents.length > 0 && (
            <>
              {' '}
              against{' '}
              {opponents.map((o) => (
                <span key={o.seat}>
                  debater {o.seat} (<strong>{view.answers[o.answer]}</strong>){' '}
                </span>
              ))}
            </>
          )}
        </p>
        {view.turns.map((t) => (
          <div key={t.index} className={`turn seat-${t.seat}`} data-testid={`turn-${t.index}`}>
            <div className="muted">
              {t.seat === view.seat ? 'You' : `Debater ${t.seat}`}, round {speechRound.get(t.round)}
            </div>
            <SpeechText text={t.text} citations={t.citations} onHover={() => undefined} />
          </div>
        ))}
        {view.judgements.map((j, i) => (
          <div key={i} className="turn" data-testid="judgement">
            <div className="muted">The judge ({j.stage})</div>
            {j.probabilities.map((p, a) => `${view.answers[a]} ${Math.round(p * 100)}%`).join(', ')}
            {j.note ? `: ${j.note}` : ''}
          </div>
        ))}
        {view.speaking ? (
          <Composer
            key={view.speaking.index}
            view={view}
            speaking={view.speaking}
            insertQuote={insertQuote}
            onSubmitted={() => join.current()}
          />
        ) : (
          <p className="muted" data-testid="waiting">
            {ended
              ? `The debate has ${view.status === 'failed' ? 'failed' : 'ended'}.`
              : 'Nothing is asked of you now; the page moves on by itself.'}
          </p>
        )}
      </div>
      <aside>
        <section className="card">
          <h3>{typeof view.context.title === 'string' ? view.context.title : 'The text'}</h3>
          {view.speaking && <p className="muted">Select words in the text to quote them in your speech.</p>}
          <StoryView evidence={view.evidence} onSelect={(text) => insertQuote.current?.(text)} />
        </section>
      </aside>
    </div>
  );
}

function Composer({
  view,
  speaking,
  insertQuote,
  onSubmitted,
}: {
  view: DebaterDebateView;
  speaking: SpeakingView;
  insertQuote: MutableRefObject<((text: string) => void) | null>;
  onSubmitted: () => void;
}) {
  const [text, setText] = useState('');
  const [problems, setProblems] = useState<string[]>([]);
  const [sending, setSending] = useState(false);
  const now = useNow(speaking.dueAt !== null);

  // Where the writer's caret was last: a quotation selected in the story goes there.
  const caret = useRef<number | null>(null);
  useEffect(() => {
    insertQuote.current = (quote) => {
      const piece = `<quote>${quote.trim()}</quote>`;
      setText((t) => {
        const at = Math.min(caret.current ?? t.length, t.length);
        caret.current = at + piece.length;
        return t.slice(0, at) + piece + t.slice(at);
      });
    };
    return () => {
      insertQuote.current = null;
    };
  }, [insertQuote]);

  // The protocol's own rules, counted as the server will count them.
  const marks = parseCitations(text);
  const limits = { ...speaking.limits, quoteChars: speaking.limits.quoteChars ?? undefined };
  const over = limitProblems(text, marks, limits);
  const quoted = marks.filter((m) => m.kind === 'quote').reduce((sum, m) => sum + m.target.length, 0);
  const unverified = verifyCitations(
    marks.filter((m) => m.kind === 'quote'),
    view.evidence,
  ).filter((c) => !c.verified).length;
  const left = speaking.dueAt ? Math.max(0, Math.round((Date.parse(speaking.dueAt) - now) / 1000)) : null;

  const submit = () => {
    setSending(true);
    client.POST('/debates/{id}/speeches', { params: { path: { id: view.id } }, body: { seat: view.seat, text } }).then(
      () => {
        setSending(false);
        setProblems([]);
        onSubmitted();
      },
      (e: unknown) => {
        setSending(false);
        setProblems(e instanceof ApiError ? e.problems : [String(e)]);
      },
    );
  };

  return (
    <section className="card" data-testid="composer">
      <h3>Your speech{speaking.simultaneous ? ' (the other debaters write theirs at the same time; you read them after)' : ''}</h3>
      <textarea
        className="speech"
        aria-label="your speech"
        value={text}
        onChange={(e) => {
          caret.current = e.target.selectionStart;
          setText(e.target.value);
        }}
        onKeyUp={(e) => (caret.current = e.currentTarget.selectionStart)}
        onMouseUp={(e) => (caret.current = e.currentTarget.selectionStart)}
      />
      <p className="counts" data-testid="counts">
        <span className={text.length > limits.chars ? 'over' : ''} data-testid="count-chars">
          {text.length} / {limits.chars} characters
        </span>
        {limits.quoteChars !== undefined && (
          <span className={quoted > limits.quoteChars ? 'over' : ''} data-testid="count-quoted">
            {quoted} / {limits.quoteChars} quoted
          </span>
        )}
        {unverified > 0 && (
          <span className="over" data-testid="count-unverified">
            {unverified} quote{unverified > 1 ? 's' : ''} not found in the text
          </span>
        )}
        {left !== null && <span data-testid="deadline">{left} s left</span>}
      </p>
      {over.map((p) => (
        <p key={p} className="problems">
          {p}
        </p>
      ))}
      <button disabled={sending || text.trim().length === 0 || over.length > 0} onClick={submit}>
        Submit the speech
      </button>
      {problems.map((p) => (
        <p key={p} className="problems" data-testid="refused">
          {p}
        </p>
      ))}
    </section>
  );
}

/** The time, every second while `ticking`. */
function useNow(ticking: boolean): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!ticking) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}
