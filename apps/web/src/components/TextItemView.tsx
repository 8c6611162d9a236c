import type { CitationView, TurnView } from '../../../../libs/contracts/src/views.js';

/**
 * What a judge sees of a text item beside the speeches: the public part of the item as it is given
 * (a title, or a passage when the item shows one), and every quotation in the order spoken, marked
 * verified or not. Nothing here comes from anywhere but the judge's own view of the debate.
 */
export function TextItemView({
  context,
  turns,
  observer = false,
}: {
  context: Record<string, unknown>;
  turns: readonly TurnView[];
  /** Shown to a researcher or admin, who sees what the judges see. */
  observer?: boolean;
}) {
  const title = typeof context.title === 'string' ? context.title : null;
  const text = typeof context.text === 'string' ? context.text : null;
  const quotes = turns.flatMap((t) =>
    t.citations
      .filter((c) => c.kind === 'quote' && c.at)
      .sort((a, b) => a.at![0] - b.at![0])
      .map((c) => ({ turn: t, citation: c, text: quoted(t.text, c) })),
  );
  return (
    <section className="card" data-testid="text-item">
      <h3>{title ?? 'The text'}</h3>
      {text ? (
        <div className="story">{text}</div>
      ) : (
        <p className="muted">
          {observer ? 'The judges do not see the text' : 'You do not see the text'}; only what the debaters quote from it.
        </p>
      )}
      <h4>Quotes, in the order spoken</h4>
      {quotes.length === 0 && <p className="muted">No quotes yet.</p>}
      <ol className="quotes" data-testid="quotes">
        {quotes.map(({ turn, citation, text }, i) => (
          <li key={i} data-verified={citation.verified}>
            <span className={`cite ${citation.verified ? 'verified' : 'unverified'}`}>{text}</span>{' '}
            <span className="muted">
              — Debater {turn.seat}, {citation.verified ? 'verified' : 'not found in the text'}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The quotation's own words, without its tags. */
function quoted(speech: string, c: CitationView): string {
  return speech
    .slice(c.at![0], c.at![1])
    .replace(/^<quote>/, '')
    .replace(/<\/quote>$/, '');
}
