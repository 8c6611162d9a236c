import type { CitationView } from '../../../../libs/contracts/src/views.js';

/** A speech with its citations marked verified or not; hovering one reports it. */
export function SpeechText({
  text,
  citations,
  onHover,
}: {
  text: string;
  citations: readonly CitationView[];
  onHover: (id: string | null) => void;
}) {
  const parts: (string | CitationView)[] = [];
  let from = 0;
  for (const c of [...citations].filter((c) => c.at).sort((a, b) => a.at![0] - b.at![0])) {
    if (c.at![0] < from) continue;
    parts.push(text.slice(from, c.at![0]), c);
    from = c.at![1];
  }
  parts.push(text.slice(from));
  return (
    <>
      {parts.map((part, i) =>
        typeof part === 'string' ? (
          part
        ) : (
          <span
            key={i}
            className={`cite ${part.verified ? 'verified' : 'unverified'}`}
            title={part.verified ? `verified: ${part.excerpt}` : 'not verified: this is not in the source'}
            data-verified={part.verified}
            onMouseEnter={() => onHover(part.evidenceId)}
            onMouseLeave={() => onHover(null)}
          >
            {text.slice(part.at![0], part.at![1])}
          </span>
        ),
      )}
    </>
  );
}
