import { useState } from 'react';
import { ApiError, client, data, type Schemas } from '../api.js';
import { useApi } from '../hooks.js';

/** The protocol editor: start from a preset or an earlier version, edit the JSON, see what the server refuses and why. */
export function ProtocolsPage() {
  const protocols = useApi('/protocols', () => data(client.GET('/protocols')));
  const presets = useApi('/protocols/presets', () => data(client.GET('/protocols/presets')));
  const [name, setName] = useState('');
  const [text, setText] = useState('');
  const [problems, setProblems] = useState<string[]>([]);
  const [saved, setSaved] = useState<string | null>(null);

  const load = (specName: string, spec: unknown) => {
    setName(specName);
    setText(JSON.stringify(spec, null, 2));
    setProblems([]);
    setSaved(null);
  };
  const save = () => {
    let spec: unknown;
    try {
      spec = JSON.parse(text);
    } catch (e) {
      setProblems([`the spec is not valid JSON: ${(e as Error).message}`]);
      return;
    }
    data(client.POST('/protocols', { body: { name, spec: spec as Schemas['ProtocolSpecDoc'] } })).then(
      (p) => {
        setProblems([]);
        setSaved(`Saved ${p.name} version ${p.version}.`);
        protocols.reload();
      },
      (e: unknown) => {
        setSaved(null);
        setProblems(e instanceof ApiError ? e.problems : [String(e)]);
      },
    );
  };

  return (
    <div className="grid2">
      <section className="card">
        <h2>Edit a protocol</h2>
        <p>
          Start from a preset:{' '}
          <select aria-label="preset" value="" onChange={(e) => e.target.value && load(e.target.value, presets.data?.[e.target.value])}>
            <option value="">choose…</option>
            {Object.keys(presets.data ?? {}).map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </p>
        <p>
          Name <input aria-label="protocol name" value={name} onChange={(e) => setName(e.target.value)} />
        </p>
        <textarea className="spec" aria-label="protocol spec" value={text} onChange={(e) => setText(e.target.value)} />
        <p>
          <button onClick={save} disabled={!name || !text}>
            Save as a new version
          </button>
        </p>
        {problems.length > 0 && (
          <ul className="problems" data-testid="problems">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
        {saved && <p className="ok">{saved}</p>}
      </section>
      <section className="card">
        <h2>Protocols and their versions</h2>
        <table>
          <tbody>
            {(protocols.data ?? []).map((p) => (
              <tr key={p.id}>
                <td>
                  <a href="#/protocols" onClick={() => load(p.name, p.spec)}>
                    {p.name}
                  </a>
                </td>
                <td>v{p.version}</td>
                <td>{p.kind}</td>
                <td className="muted">{p.lockedAt ? 'used' : 'unused'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
