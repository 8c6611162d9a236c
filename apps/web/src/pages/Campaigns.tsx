import { useEffect, useMemo, useState } from 'react';
import type { CampaignProgressView } from '../../../../libs/contracts/src/events.js';
import { ApiError, client, connect, data } from '../api.js';
import { useApi } from '../hooks.js';

const COLOURS: Record<string, string> = {
  completed: '#2e9b57',
  failed: '#d93025',
  running: '#2f6fde',
  awaiting_judges: '#f2a93b',
  judging: '#a463d8',
  pending: '#9aa5b4',
};

function ProgressBar({ progress }: { progress: CampaignProgressView }) {
  const parts = Object.entries(progress.debates);
  return (
    <div data-testid={`progress-${progress.campaignId}`}>
      <div className="bar" title={JSON.stringify(progress.debates)}>
        {parts.map(([status, count]) => (
          <span key={status} style={{ width: `${(100 * count!) / progress.total}%`, background: COLOURS[status] ?? '#777' }} />
        ))}
      </div>
      <span className="muted">
        {parts.map(([s, c]) => `${c} ${s}`).join(', ') || 'none started'}, {progress.waiting} waiting —{' '}
        <span data-testid="campaign-status">{progress.status}</span>
      </span>
    </div>
  );
}

/** Launch a protocol over a dataset's disputes and watch the campaigns progress live. */
export function CampaignsPage() {
  const campaigns = useApi('/campaigns', () => data(client.GET('/campaigns')));
  const protocols = useApi('/protocols', () => data(client.GET('/protocols')));
  const datasets = useApi('/datasets', () => data(client.GET('/datasets')));
  const [form, setForm] = useState({ name: '', protocolId: '', datasetId: '', concurrency: 4 });
  const [problem, setProblem] = useState<string | null>(null);
  const [progress, setProgress] = useState<Record<string, CampaignProgressView>>({});
  const socket = useMemo(connect, []);

  useEffect(() => {
    socket.on('campaign.progress', (p) => setProgress((all) => ({ ...all, [p.campaignId]: p })));
    return () => {
      socket.close();
    };
  }, [socket]);
  useEffect(() => {
    for (const c of campaigns.data ?? []) {
      socket.emit('campaign.join', { campaignId: c.id }, (reply) => reply.ok && setProgress((all) => ({ ...all, [c.id]: reply.data })));
    }
  }, [socket, campaigns.data]);

  return (
    <>
      <h1>Campaigns</h1>
      <section className="card">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            data(client.POST('/campaigns', { body: form })).then(
              () => {
                setProblem(null);
                campaigns.reload();
              },
              (err: unknown) => setProblem(err instanceof ApiError ? err.message : String(err)),
            );
          }}
        >
          <input
            aria-label="campaign name"
            placeholder="name"
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
          />{' '}
          <select aria-label="protocol" value={form.protocolId} onChange={(e) => setForm({ ...form, protocolId: e.target.value })}>
            <option value="">protocol…</option>
            {(protocols.data ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} v{p.version}
              </option>
            ))}
          </select>{' '}
          <select aria-label="dataset" value={form.datasetId} onChange={(e) => setForm({ ...form, datasetId: e.target.value })}>
            <option value="">open disputes of…</option>
            {(datasets.data ?? []).map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>{' '}
          at most{' '}
          <input
            aria-label="concurrency"
            type="number"
            value={form.concurrency}
            onChange={(e) => setForm({ ...form, concurrency: Number(e.target.value) })}
            style={{ width: '4rem' }}
          />{' '}
          at once <button type="submit">Launch</button>
        </form>
        {problem && <p className="problems">{problem}</p>}
      </section>
      {(campaigns.data ?? []).map((c) => (
        <section className="card" key={c.id}>
          <h3>
            {c.name} <a href={`#/debates?campaign=${c.id}`} className="muted" />
          </h3>
          {progress[c.id] ? <ProgressBar progress={progress[c.id]!} /> : <p className="muted">…</p>}
        </section>
      ))}
    </>
  );
}
