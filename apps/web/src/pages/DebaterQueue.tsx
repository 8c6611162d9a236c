import { client, data as dataOf, type Schemas } from '../api.js';
import { useApi } from '../hooks.js';

/** A debater's debates: those where a speech is asked of them first, then live ones, then finished ones. */
export function DebaterQueue() {
  const { data, error } = useApi('/assignments', () => dataOf(client.GET('/assignments')), 2000);
  if (error) return <p className="problems">{error}</p>;
  if (!data) return <p className="muted">Loading…</p>;
  const groups: [string, string, Schemas['AssignmentDoc'][]][] = [
    ['Your speech is asked for', 'speak', data.filter((a) => a.awaiting)],
    ['Live', 'live', data.filter((a) => !a.awaiting && a.status !== 'completed' && a.status !== 'failed')],
    ['Done', 'done', data.filter((a) => a.status === 'completed' || a.status === 'failed')],
  ];
  return (
    <>
      <h1>My debates</h1>
      {groups.map(([title, id, list]) => (
        <section className="card" key={id} data-testid={`queue-${id}`}>
          <h3>
            {title} ({list.length})
          </h3>
          {list.length === 0 && <p className="muted">None.</p>}
          {list.map((a) => (
            <p key={a.debateId}>
              <a href={`#/debates/${a.debateId}`}>{a.question}</a> <span className="status">{a.status}</span>
            </p>
          ))}
        </section>
      ))}
    </>
  );
}
