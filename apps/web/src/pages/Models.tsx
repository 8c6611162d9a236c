import { useEffect, useMemo, useState } from 'react';
import type { TrainingPoint, TrainingStatusView } from '../../../../libs/contracts/src/events.js';
import type { Calibration } from '../../../../libs/judging/src/calibration.js';
import { ApiError, client, connect, data, type Schemas } from '../api.js';
import { BarChart, MultiLineChart } from '../components/Charts.js';
import { useApi } from '../hooks.js';

interface SubsetReport {
  items: number;
  intended: Calibration;
  instrumental: Calibration;
  baseline: Calibration | null;
  simpleLabels: { accuracy: number | null };
}

/** What the trainer writes in a version's `evaluation`, free-form in the API's contract. */
interface Evaluation {
  reference: string;
  heldOut: SubsetReport;
  simpleWrong: SubsetReport;
  comparedTo?: { metric: number | null };
}

type ModelVersion = Omit<Schemas['ModelVersionDoc'], 'evaluation'> & { evaluation: Evaluation };

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(2));

/** Held-out accuracy of each head and the baseline as training goes, and the loss. */
function TrainingCurves({ progress }: { progress: TrainingPoint[] }) {
  const series = (pick: (p: TrainingPoint) => number | null) =>
    progress.flatMap((p) => (pick(p) === null ? [] : [{ x: p.step, y: pick(p)! }]));
  return (
    <div className="charts">
      <MultiLineChart
        testId="accuracy-curves"
        xLabel="step"
        yLabel="held-out accuracy"
        yMax={1}
        series={[
          { label: 'intended head', points: series((p) => p.heldOut.intended) },
          { label: 'instrumental head', points: series((p) => p.heldOut.instrumental) },
          { label: 'naive baseline', points: series((p) => p.heldOut.baseline) },
        ]}
      />
      <MultiLineChart
        testId="loss-curves"
        xLabel="step"
        yLabel="loss"
        series={[
          { label: 'two-head J(θ)', points: series((p) => p.loss.total) },
          { label: 'baseline', points: series((p) => p.baselineLoss) },
        ]}
      />
    </div>
  );
}

function Evaluation({ version }: { version: ModelVersion }) {
  const e = version.evaluation;
  const bars = (subset: SubsetReport) => [
    { label: 'intended head', value: subset.intended.accuracy },
    { label: 'instrumental head', value: subset.instrumental.accuracy },
    { label: 'naive baseline', value: subset.baseline?.accuracy ?? null },
    { label: 'simple labels', value: subset.simpleLabels.accuracy },
  ];
  return (
    <div className="charts" data-testid="evaluation">
      <div>
        <h3>All held-out items ({e.heldOut.items})</h3>
        <BarChart bars={bars(e.heldOut)} max={1} testId="heldout-bars" />
      </div>
      <div>
        <h3>Where the simple label is wrong ({e.simpleWrong.items})</h3>
        <BarChart bars={bars(e.simpleWrong)} max={1} testId="simple-wrong-bars" />
      </div>
      <p className="muted">
        Accuracy against {e.reference === 'ground-truth' ? 'the ground truth' : 'complex-process labels'}. Expected calibration error:
        intended {pct(e.heldOut.intended.ece)}, instrumental {pct(e.heldOut.instrumental.ece)}, baseline {pct(e.heldOut.baseline?.ece)}.
      </p>
    </div>
  );
}

/** Train two-head versions, follow runs live, compare versions where simple labels are wrong, promote one. */
export function ModelsPage() {
  const datasets = useApi('/datasets', () => data(client.GET('/datasets')));
  const [datasetId, setDatasetId] = useState('');
  const dataset = datasetId || datasets.data?.[0]?.id || '';
  const query = { datasetId: dataset ?? undefined };
  const jobs = useApi(
    dataset && `/training-jobs?datasetId=${dataset}`,
    () => data(client.GET('/training-jobs', { params: { query } })),
    5000,
  );
  const versions = useApi(
    dataset && `/models?datasetId=${dataset}`,
    async () => (await data(client.GET('/models', { params: { query } }))) as unknown as ModelVersion[],
    5000,
  );
  const [live, setLive] = useState<Record<string, TrainingStatusView>>({});
  const [selected, setSelected] = useState<string | null>(null);
  const [form, setForm] = useState({ steps: 1000, lambda: 1, hidden: '64' });
  const [message, setMessage] = useState<string | null>(null);
  const socket = useMemo(connect, []);

  useEffect(() => {
    socket.on('training.progress', (p) =>
      setLive((all) => {
        const before = all[p.trainingJobId];
        if (!before) return all;
        const progress =
          p.point && !before.progress.some((q) => q.step === p.point!.step) ? [...before.progress, p.point] : before.progress;
        return { ...all, [p.trainingJobId]: { ...before, ...p, progress } };
      }),
    );
    return () => {
      socket.close();
    };
  }, [socket]);
  useEffect(() => {
    for (const job of jobs.data ?? []) {
      if (live[job.trainingJobId]) continue;
      socket.emit('training.join', { trainingJobId: job.trainingJobId }, (reply) => {
        if (reply.ok) setLive((all) => ({ ...all, [job.trainingJobId]: reply.data }));
      });
    }
  }, [socket, jobs.data, live]);

  const runs = (jobs.data ?? []).map((j) => live[j.trainingJobId] ?? j);
  const latest = runs[0];
  const shown = versions.data?.find((v) => v.id === selected) ?? versions.data?.[0];
  const fail = (err: unknown) => setMessage(err instanceof ApiError ? err.message : String(err));

  return (
    <>
      <h1>Models</h1>
      <section className="card">
        <label>
          dataset{' '}
          <select aria-label="model dataset" value={dataset} onChange={(e) => setDatasetId(e.target.value)}>
            {(datasets.data ?? []).map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const hidden = form.hidden
              .split(',')
              .map((w) => Number(w.trim()))
              .filter((w) => w > 0);
            const body = { datasetId: dataset!, architecture: { hidden }, settings: { steps: form.steps, lambda: form.lambda } };
            data(client.POST('/training-jobs', { body })).then(() => {
              setMessage('Training queued.');
              jobs.reload();
            }, fail);
          }}
        >
          steps{' '}
          <input
            aria-label="steps"
            type="number"
            min={1}
            value={form.steps}
            onChange={(e) => setForm({ ...form, steps: Number(e.target.value) })}
          />{' '}
          λ{' '}
          <input
            aria-label="lambda"
            type="number"
            min={0}
            step="any"
            value={form.lambda}
            onChange={(e) => setForm({ ...form, lambda: Number(e.target.value) })}
          />{' '}
          hidden widths{' '}
          <input aria-label="hidden widths" value={form.hidden} onChange={(e) => setForm({ ...form, hidden: e.target.value })} />{' '}
          <button type="submit" disabled={!dataset}>
            Train
          </button>
        </form>
        {message && <p data-testid="model-message">{message}</p>}
      </section>

      <section className="card">
        <h2>Training runs</h2>
        {runs.length === 0 && <p className="muted">No training runs for this dataset yet.</p>}
        <ul>
          {runs.map((run) => {
            const last = run.progress.at(-1);
            return (
              <li key={run.trainingJobId} data-testid="training-run">
                <span data-testid="training-status">{run.status}</span> on {run.device ?? '…'} —{' '}
                {last ? `step ${last.step}/${last.steps}` : 'not started'}
                {run.error && <span className="error"> {run.error}</span>}
              </li>
            );
          })}
        </ul>
        {latest && latest.progress.length > 0 && <TrainingCurves progress={latest.progress} />}
      </section>

      <section className="card">
        <h2>Versions</h2>
        <table data-testid="versions">
          <thead>
            <tr>
              <th>version</th>
              <th>status</th>
              <th>held-out: intended</th>
              <th>baseline</th>
              <th>simple label wrong: intended</th>
              <th>baseline</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(versions.data ?? []).map((v) => (
              <tr key={v.id} className={shown?.id === v.id ? 'active' : ''} onClick={() => setSelected(v.id)}>
                <td title={v.sha256 ?? undefined}>{v.name}</td>
                <td>{v.status}</td>
                <td>{pct(v.evaluation.heldOut.intended.accuracy)}</td>
                <td>{pct(v.evaluation.heldOut.baseline?.accuracy)}</td>
                <td>{pct(v.evaluation.simpleWrong.intended.accuracy)}</td>
                <td>{pct(v.evaluation.simpleWrong.baseline?.accuracy)}</td>
                <td>
                  {v.status !== 'active' && (
                    <button
                      onClick={(e) => {
                        e.stopPropagation();
                        data(client.POST('/models/{id}/promote', { params: { path: { id: v.id } }, body: {} })).then((r) => {
                          setMessage(`${v.name} is active${r.scoringRun ? '; re-scoring the dataset to choose the next disputes' : ''}.`);
                          versions.reload();
                        }, fail);
                      }}
                    >
                      Promote
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {shown && <Evaluation version={shown} />}
      </section>
    </>
  );
}
