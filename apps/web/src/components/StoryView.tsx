import type { ReactNode } from 'react';

/** A span of an evidence unit's text to mark, with what it links to. */
export interface StoryMark {
  evidenceId: string;
  span: [number, number];
  /** Shown on hover, e.g. "Debater A, speech 3". */
  label: string;
  /** The seat whose speech quoted it, for its colour. */
  seat: string;
  onClick?: () => void;
}

/**
 * The evidence a text item's speeches quote (its story), paragraph breaks kept, with marked spans.
 * Overlapping quotations are marked once, by the first. `onSelect` hears the text a reader selects in
 * it (a debater quoting it).
 */
export function StoryView({
  evidence,
  marks = [],
  onSelect,
}: {
  evidence: readonly { id: string; kind: string; text: string }[];
  marks?: readonly StoryMark[];
  onSelect?: (text: string) => void;
}) {
  return (
    <div
      className="story"
      data-testid="story"
      onMouseUp={() => {
        const selected = getSelection()?.toString() ?? '';
        if (onSelect && selected.trim()) onSelect(selected);
      }}
    >
      {evidence.map((unit) => (
        <div key={unit.id} className="story-unit" data-evidence={unit.id}>
          {evidence.length > 1 && <div className="muted">{unit.id}</div>}
          {marked(
            unit.text,
            marks.filter((m) => m.evidenceId === unit.id),
          )}
        </div>
      ))}
    </div>
  );
}

function marked(text: string, marks: readonly StoryMark[]): ReactNode[] {
  const parts: ReactNode[] = [];
  let from = 0;
  for (const [i, m] of [...marks].sort((a, b) => a.span[0] - b.span[0]).entries()) {
    const [start, end] = m.span;
    if (start < from || end > text.length) continue;
    parts.push(text.slice(from, start));
    parts.push(
      <mark key={i} className={`quoted seat-${m.seat}`} title={m.label} data-testid="quoted-span" onClick={m.onClick}>
        {text.slice(start, end)}
      </mark>,
    );
    from = end;
  }
  parts.push(text.slice(from));
  return parts;
}
