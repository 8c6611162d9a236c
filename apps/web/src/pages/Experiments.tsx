import { useState } from 'react';
import { BarChart } from '../components/Charts.js';
import { useApi } from '../hooks.js';

interface Experiment {
  id: string;
  name: string;
  summary: string;
  createdAt: string;
  results: {
    comparison: { protocols: { kind: string; judge: { accuracy: number | null }; labels: { accuracy: number | null } }[] };
    model: { evaluation: { simpleWrong: Record<string, { accuracy: number | null } | null> & { items: number } } };
  };
}

/** Results of headless experiments (`tribunal experiment --url …`): the table, and the two comparisons that matter. */
export function ExperimentsPage() {
  const experiments = useApi<Experiment[]>('/experiments');
  const [selected, setSelected] = useState<string | null>(null);
  const shown = experiments.data?.find((e) => e.id === selected) ?? experiments.data?.[0];
  return (
    <>
      <h1>Experiments</h1>
      {experiments.data?.length === 0 && (
        <p className="muted">
          None yet. Run <code>npm run experiment -- experiments/headline.yaml --url {location.origin} --key YOUR_KEY</code>.
        </p>
      )}
      <ul>
        {(experiments.data ?? []).map((e) => (
          <li key={e.id}>
            <a href="#/experiments" onClick={() => setSelected(e.id)}>
              {e.name}
            </a>{' '}
            <span className="muted">{new Date(e.createdAt).toLocaleString()}</span>
          </li>
        ))}
      </ul>
      {shown && (
        <section className="card" data-testid="experiment">
          <h2>{shown.name}</h2>
          <div className="charts">
            <div>
              <h3>Judge accuracy by protocol</h3>
              <BarChart
                testId="experiment-judges"
                max={1}
                bars={shown.results.comparison.protocols.map((p) => ({ label: p.kind, value: p.judge.accuracy }))}
              />
            </div>
            <div>
              <h3>Where the simple label is wrong ({shown.results.model.evaluation.simpleWrong.items} rooms)</h3>
              <BarChart
                testId="experiment-model"
                max={1}
                bars={(['intended', 'instrumental', 'baseline'] as const).map((head) => ({
                  label: head === 'baseline' ? 'naive baseline' : `${head} head`,
                  value: shown.results.model.evaluation.simpleWrong[head]?.accuracy ?? null,
                }))}
              />
            </div>
          </div>
          <pre data-testid="experiment-table">{shown.summary}</pre>
        </section>
      )}
    </>
  );
}
