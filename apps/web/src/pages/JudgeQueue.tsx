import { client, data as dataOf, type Schemas } from '../api.js';
import { useApi } from '../hooks.js';

/** A judge's debates: those waiting for them first, then live ones, then finished ones. */
export function JudgeQueue() {
  const { data, error } = useApi('/assignments', () => dataOf(client.GET('/assignments')), 2000);
  if (error) return <p className="problems">{error}</p>;
  if (!data) return <p className="muted">Loading…</p>;
  const groups: [string, Schemas['AssignmentDoc'][]][] = [
    ['Waiting for you', data.filter((a) => a.awaiting)],
    ['Live', data.filter((a) => !a.awaiting && a.status !== 'completed' && a.status !== 'failed')],
    ['Done', data.filter((a) => a.status === 'completed' || a.status === 'failed')],
  ];
  return (
    <>
      <h1>My debates</h1>
      {groups.map(([title, list]) => (
        <section className="card" key={title} data-testid={`queue-${title.split(' ')[0]!.toLowerCase()}`}>
          <h3>
            {title} ({list.length})
          </h3>
          {list.length === 0 && <p className="muted">None.</p>}
          {list.map((a) => (
            <p key={a.debateId}>
              <a href={`#/debates/${a.debateId}`}>{a.question}</a> <span className="status">{a.status}</span>
              {a.awaiting && <strong> — your probabilities are asked for ({a.awaiting})</strong>}
            </p>
          ))}
        </section>
      ))}
    </>
  );
}
