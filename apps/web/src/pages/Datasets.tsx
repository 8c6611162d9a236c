import { useState } from 'react';
import { ApiError, client, data } from '../api.js';
import { useApi } from '../hooks.js';

/** Datasets and their items, with simple labels, ground truth where known, and the disputes chosen from them. */
export function DatasetsPage() {
  const datasets = useApi('/datasets', () => data(client.GET('/datasets')));
  const [selected, setSelected] = useState<string | null>(null);
  const [form, setForm] = useState({ name: '', seed: 1, size: 100 });
  const [problem, setProblem] = useState<string | null>(null);
  const path = { id: selected ?? '' };
  const items = useApi(selected && `/datasets/${selected}/items`, () =>
    data(client.GET('/datasets/{id}/items', { params: { path, query: { limit: 200 } } })),
  );
  const disputes = useApi(selected && `/datasets/${selected}/disputes`, () =>
    data(client.GET('/datasets/{id}/disputes', { params: { path } })),
  );
  const why = new Map((disputes.data ?? []).map((d) => [d.itemId, d]));

  return (
    <>
      <h1>Datasets</h1>
      <section className="card">
        <table>
          <thead>
            <tr>
              <th>name</th>
              <th>source</th>
              <th>items</th>
            </tr>
          </thead>
          <tbody>
            {(datasets.data ?? []).map((d) => (
              <tr key={d.id}>
                <td>
                  {d.loading ? (
                    d.name
                  ) : (
                    <a href="#/datasets" onClick={() => setSelected(d.id)}>
                      {d.name}
                    </a>
                  )}
                </td>
                <td>{d.source}</td>
                <td>
                  {d.loading ? (
                    <>
                      <progress max={d.loading.total} value={d.loading.done} /> loading: {d.loading.done} of {d.loading.total}{' '}
                      <a href="#/datasets" onClick={() => datasets.reload()}>
                        refresh
                      </a>
                    </>
                  ) : (
                    d.items
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <form
          style={{ marginTop: '1rem' }}
          onSubmit={(e) => {
            e.preventDefault();
            data(client.POST('/datasets/world', { body: form })).then(
              () => {
                setProblem(null);
                datasets.reload();
              },
              (err: unknown) => setProblem(err instanceof ApiError ? err.message : String(err)),
            );
          }}
        >
          Load a built-in world: <input placeholder="name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />{' '}
          seed{' '}
          <input
            type="number"
            value={form.seed}
            onChange={(e) => setForm({ ...form, seed: Number(e.target.value) })}
            style={{ width: '5rem' }}
          />{' '}
          rooms{' '}
          <input
            type="number"
            value={form.size}
            onChange={(e) => setForm({ ...form, size: Number(e.target.value) })}
            style={{ width: '5rem' }}
          />{' '}
          <button type="submit">Load</button>
          {problem && <span className="problems"> {problem}</span>}
        </form>
      </section>
      {selected && items.data && (
        <section className="card">
          <h3>Items</h3>
          <p>
            <button
              className="secondary"
              onClick={() =>
                data(client.POST('/datasets/{id}/disputes', { params: { path }, body: {} })).then(
                  () => disputes.reload(),
                  (e: unknown) => setProblem(String(e)),
                )
              }
            >
              Select disputes
            </button>{' '}
            <span className="muted">{disputes.data?.length ?? 0} disputes</span>
          </p>
          <table>
            <thead>
              <tr>
                <th>item</th>
                <th>question</th>
                <th>simple label</th>
                <th>ground truth</th>
                <th>dispute</th>
              </tr>
            </thead>
            <tbody>
              {items.data.map((item) => (
                <tr key={item.id}>
                  <td>{item.externalId}</td>
                  <td>{item.question}</td>
                  <td>{item.simpleLabel === null ? '—' : item.answers[item.simpleLabel]}</td>
                  <td style={{ color: item.groundTruth !== null && item.groundTruth !== item.simpleLabel ? '#a51d24' : undefined }}>
                    {item.groundTruth === null ? '—' : item.answers[item.groundTruth]}
                  </td>
                  <td className="muted">
                    {why
                      .get(item.id)
                      ?.reasons.map((r) => `${r.kind}: ${r.detail}`)
                      .join('; ') ?? ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}
