import { useEffect } from 'react';
import { client, data as dataOf, type Schemas, type TribunalSocket } from '../api.js';
import { useApi } from '../hooks.js';

const percent = (p: number) => `${Math.round(p * 100)}%`;
const withSign = (v: number) => (v >= 0 ? `+${v.toFixed(2)}` : v.toFixed(2));

/** Credit as words: ties are half right (or a share of right among more). */
export function creditText(credit: number | null): string {
  if (credit === null) return 'unknown';
  if (credit === 1) return 'right';
  if (credit === 0) return 'wrong';
  return `tied (${Math.round(credit * 100)}% right)`;
}

/** One settled debate's outcome as its judge sees it: the answer settled on, the truth, their answer and reward. */
export function OutcomeDetails({ outcome }: { outcome: Schemas['JudgeOutcomeDoc'] }) {
  const answer = (i: number | null) => (i === null ? '—' : outcome.answers[i]);
  return (
    <dl className="outcome">
      <dt>Settled on</dt>
      <dd data-testid="settled-answer">
        {outcome.settlement === 'labelled' ? answer(outcome.settledAnswer) : 'no label: the judges were not clear-cut'}
      </dd>
      <dt>The truth</dt>
      <dd data-testid="truth">{outcome.truth === null ? 'not known for this item' : answer(outcome.truth)}</dd>
      <dt>Your final answer</dt>
      <dd>
        {outcome.final.map((p, i) => `${outcome.answers[i]} ${percent(p)}`).join(', ')} —{' '}
        <strong data-testid="correct">{creditText(outcome.correct)}</strong>
      </dd>
      <dt>Your reward</dt>
      <dd data-testid="reward">
        {outcome.reward === null
          ? 'none: the truth is not known'
          : `${withSign(outcome.reward)} (log${outcome.scoring.base === 2 ? '₂' : ` base ${outcome.scoring.base}`} of ${percent(
              outcome.truth === null ? 0 : (outcome.final[outcome.truth] ?? 0),
            )}, minus ${outcome.scoring.perTurnPenalty} × ${outcome.continues} round${outcome.continues === 1 ? '' : 's'} continued)`}
      </dd>
    </dl>
  );
}

/**
 * The outcome of one of the judge's debates, once the server shows it (GET /me/outcomes): it is
 * withheld while the label is not settled or another debate on the same item is open to them.
 * Reloads when the server says outcomes were revealed on the page's socket.
 */
export function DebateOutcome({ debateId, socket }: { debateId: string; socket: TribunalSocket }) {
  const { data, error, reload } = useApi(`/me/outcomes#${debateId}`, () => dataOf(client.GET('/me/outcomes')));
  useEffect(() => {
    const onRevealed = ({ debateIds }: { debateIds: string[] }) => debateIds.includes(debateId) && reload();
    socket.on('outcomes.revealed', onRevealed);
    return () => {
      socket.off('outcomes.revealed', onRevealed);
    };
  }, [socket, debateId, reload]);
  const outcome = data?.outcomes.find((o) => o.debateId === debateId);
  return (
    <section className="card" data-testid="outcome">
      <h3>Outcome</h3>
      {error && <p className="problems">{error}</p>}
      {outcome ? (
        <OutcomeDetails outcome={outcome} />
      ) : (
        <p className="muted" data-testid="outcome-withheld">
          Shown once the label is settled and no debate on this item is open to you.
        </p>
      )}
      <p>
        <a href="#/record">Your record</a>
      </p>
    </section>
  );
}
