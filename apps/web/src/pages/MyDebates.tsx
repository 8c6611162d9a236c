import { client, data as dataOf, type Schemas } from '../api.js';
import { useApi } from '../hooks.js';

/** What each role is asked for in a debate: the first group's title and test id, and the note beside such a debate. */
const ASKED = {
  judge: { title: 'Waiting for you', id: 'waiting', note: (stage: string) => ` — your probabilities are asked for (${stage})` },
  debater: { title: 'Your speech is asked for', id: 'speak', note: () => '' },
} as const;

/** A judge's or a debater's debates (GET /assignments): those asking something of them first, then live ones, then finished ones. */
export function MyDebates({ role }: { role: keyof typeof ASKED }) {
  const { data, error } = useApi('/assignments', () => dataOf(client.GET('/assignments')), 2000);
  if (error) return <p className="problems">{error}</p>;
  if (!data) return <p className="muted">Loading…</p>;
  const asked = ASKED[role];
  const groups: [string, string, Schemas['AssignmentDoc'][]][] = [
    [asked.title, asked.id, data.filter((a) => a.awaiting)],
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
              {a.awaiting && asked.note(a.awaiting) && <strong>{asked.note(a.awaiting)}</strong>}
            </p>
          ))}
        </section>
      ))}
    </>
  );
}
