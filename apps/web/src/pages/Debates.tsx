import { client, data as dataOf } from '../api.js';
import { useApi } from '../hooks.js';

/** Every recent debate; any can be opened read-only, as an observer. */
export function DebatesPage() {
  const { data } = useApi('/debates', () => dataOf(client.GET('/debates', { params: { query: { limit: 200 } } })), 3000);
  return (
    <>
      <h1>Debates</h1>
      <section className="card">
        <table>
          <tbody>
            {(data ?? []).map((d) => (
              <tr key={d.id}>
                <td>
                  <a href={`#/debates/${d.id}`}>{d.id.slice(0, 8)}</a>
                </td>
                <td>
                  <span className="status">{d.status}</span>
                </td>
                <td className="muted">{new Date(d.createdAt).toLocaleString()}</td>
                <td className="problems">{d.failureReason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
