import { useState } from 'react';
import { BarChart, MultiLineChart } from '../components/Charts.js';
import {
  intervalText,
  isSchemaV2,
  methodLabel,
  num,
  orderedMethods,
  pct,
  regimeSettings,
  verdictSentence,
  wilsonInterval,
  type Experiment,
  type ExperimentResult,
  type LegacyResults,
  type Score,
  type WorldSummary,
} from '../experiment.js';
import { client, data } from '../api.js';
import { useApi } from '../hooks.js';

/** An accuracy with its interval and its counts, as one table cell. */
function ScoreCell({ score }: { score: Score | undefined }) {
  if (!score) return <td>—</td>;
  return (
    <td>
      {num(score.accuracy)} {intervalText(score.interval)}{' '}
      <span className="muted">
        ({score.correct}/{score.items})
      </span>
    </td>
  );
}

/** The verdicts, one per world and regime, at the top: the question the experiment asks. */
function Verdicts({ result }: { result: ExperimentResult }) {
  return (
    <ul data-testid="experiment-verdicts">
      {result.worlds.flatMap((w) =>
        w.regimes.map((g) => (
          <li key={`${w.world}/${g.name}`} className={g.verdict?.says === 'beats' ? 'ok' : undefined}>
            <strong>
              {w.world}, regime {g.name}:
            </strong>{' '}
            {verdictSentence(g.verdict)}
          </li>
        )),
      )}
    </ul>
  );
}

/** Judges on each world's comparison rooms, under every protocol: a table and, per world, bars with intervals. */
function Judges({ result }: { result: ExperimentResult }) {
  const interval = (p: ExperimentResult['comparisons'][number]['protocols'][number]) => wilsonInterval(p.judge.correct, p.judge.judged);
  return (
    <section className="card">
      <h3>Judges by protocol (simulated judges; each world&apos;s comparison rooms judged in full under every protocol)</h3>
      <div className="charts" data-testid="experiment-judges">
        {result.comparisons.map((c) => (
          <div key={c.world}>
            <h4>
              {c.world}{' '}
              <span className="muted">
                ({c.rooms} rooms; simple labels right: {num(c.simpleLabelAccuracy)})
              </span>
            </h4>
            <BarChart
              testId="judges-chart"
              title={`judge accuracy by protocol, ${c.world}`}
              max={1}
              bars={c.protocols.map((p) => ({ label: p.kind, value: p.judge.accuracy, interval: interval(p) }))}
            />
          </div>
        ))}
      </div>
      <table data-testid="experiment-judges-table">
        <thead>
          <tr>
            <th>world</th>
            <th>protocol</th>
            <th>debates</th>
            <th>failed</th>
            <th>judge accuracy [95%]</th>
            <th>ECE</th>
            <th>labels</th>
            <th>label accuracy</th>
          </tr>
        </thead>
        <tbody>
          {result.comparisons.flatMap((c) =>
            c.protocols.map((p) => (
              <tr key={`${c.world}/${p.kind}`}>
                <td>{c.world}</td>
                <td>{p.kind}</td>
                <td>{p.debates}</td>
                <td>{p.failed}</td>
                <td>
                  {num(p.judge.accuracy)} {intervalText(interval(p))}{' '}
                  <span className="muted">
                    ({p.judge.correct}/{p.judge.judged})
                  </span>
                </td>
                <td>{num(p.judge.ece)}</td>
                <td>{p.labels.count}</td>
                <td>{num(p.labels.accuracy)}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </section>
  );
}

/** The loop per world, pooled over seeds, and by round. */
function Loop({ result }: { result: ExperimentResult }) {
  return (
    <section className="card">
      <h3>The loop, per world, pooled over seeds</h3>
      <table data-testid="experiment-loop">
        <thead>
          <tr>
            <th>world</th>
            <th>seeds</th>
            <th>adjudicated (mean)</th>
            <th>(max)</th>
            <th>labels kept</th>
            <th>label accuracy</th>
            <th>small set</th>
            <th>wrong</th>
            <th>contamination</th>
            <th>disputes on held-out rooms</th>
          </tr>
        </thead>
        <tbody>
          {result.worlds.map((w) => (
            <tr key={w.world}>
              <td>{w.world}</td>
              <td>{w.seeds.join(', ')}</td>
              <td>{pct(w.training.adjudicated.mean)}</td>
              <td>{pct(w.training.adjudicated.max)}</td>
              <td>{w.training.labels}</td>
              <td>{num(w.training.labelAccuracy)}</td>
              <td>{w.training.small}</td>
              <td>{w.training.smallWrong}</td>
              <td>{pct(w.training.contamination, 2)}</td>
              <td className={w.training.disputesOnHeldOut > 0 ? 'problems' : undefined}>{w.training.disputesOnHeldOut}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        Adjudicated: the share of the training split debated, over every round. Contamination: small-set labels (agreeing with the simple
        label) that are wrong, as a share of the small set. Held-out rooms are never disputed.
      </p>
      <h3>By round: the training split adjudicated (cumulative) and the fresh labels right</h3>
      <div className="charts" data-testid="experiment-rounds">
        {result.worlds.map((w) => (
          <div key={w.world}>
            <h4>
              {w.world}{' '}
              <span className="muted">({w.rounds.map((r) => `round ${r.round}: ${r.source}, ${r.labels} labels`).join('; ')})</span>
            </h4>
            <MultiLineChart
              testId="rounds-chart"
              xLabel="round"
              yLabel="fraction"
              yMax={1}
              markers
              xTicks={w.rounds.map((r) => r.round)}
              series={[
                { label: 'adjudicated', points: w.rounds.map((r) => ({ x: r.round, y: r.adjudicated })) },
                {
                  label: 'label accuracy',
                  points: w.rounds.flatMap((r) => (r.labelAccuracy === null ? [] : [{ x: r.round, y: r.labelAccuracy }])),
                },
              ]}
            />
          </div>
        ))}
      </div>
    </section>
  );
}

/** One world under one regime: every method's accuracy with intervals and PGR, its bars, and the verdict. */
function Methods({ world, regime }: { world: WorldSummary; regime: WorldSummary['regimes'][number] }) {
  const names = orderedMethods(regime.methods);
  return (
    <div data-testid="experiment-methods" data-world={world.world} data-regime={regime.name}>
      <h4>
        {world.world}{' '}
        <span className="muted" data-testid="experiment-rooms">
          ({world.heldOutRooms} held-out rooms, {world.heldOutSimpleWrong} with a wrong simple label)
        </span>
      </h4>
      <table data-testid="method-table">
        <thead>
          <tr>
            <th>method</th>
            <th>all held-out [95%]</th>
            <th>simple label wrong [95%]</th>
            <th>PGR</th>
          </tr>
        </thead>
        <tbody>
          {names.map((name) => {
            const m = regime.methods[name]!;
            return (
              <tr key={name} className={name === 'two-head' ? 'intended' : undefined}>
                <td>{methodLabel(name)}</td>
                <ScoreCell score={m.heldOut} />
                <ScoreCell score={m.simpleWrong} />
                <td>{num(m.pgr, 2)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p data-testid="verdict" className={regime.verdict?.says === 'beats' ? 'ok' : undefined}>
        {verdictSentence(regime.verdict)}
      </p>
      <BarChart
        testId="methods-chart"
        title={`accuracy where the simple label is wrong, ${world.world}, regime ${regime.name}`}
        max={1}
        bars={names.map((name) => ({
          label: methodLabel(name),
          value: regime.methods[name]!.simpleWrong.accuracy,
          interval: regime.methods[name]!.simpleWrong.interval,
        }))}
      />
    </div>
  );
}

/** Per seed, the loop and the two-head model where the simple label is wrong: how much the seeds differ. */
function Runs({ result }: { result: ExperimentResult }) {
  const regimes = [...new Set(result.runs.flatMap((r) => r.regimes.map((g) => g.name)))];
  return (
    <details>
      <summary>Per world and seed</summary>
      <table data-testid="experiment-runs">
        <thead>
          <tr>
            <th>world</th>
            <th>seed</th>
            <th>rooms (training / held-out)</th>
            <th>held-out, simple label wrong</th>
            <th>adjudicated</th>
            <th>labels</th>
            <th>label accuracy</th>
            <th>contamination</th>
            {regimes.map((g) => (
              <th key={g}>two-head, simple label wrong ({g})</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {result.runs.map((r) => (
            <tr key={`${r.world}/${r.seed}`}>
              <td>{r.world}</td>
              <td>{r.seed}</td>
              <td>
                {r.trainingRooms} / {r.heldOutRooms}
              </td>
              <td>{r.heldOutSimpleWrong}</td>
              <td>{pct(r.training.adjudicated)}</td>
              <td>{r.training.labels}</td>
              <td>{num(r.training.labelAccuracy)}</td>
              <td>{pct(r.training.contamination, 2)}</td>
              {regimes.map((g) => {
                const s = r.regimes.find((x) => x.name === g)?.methods['two-head']?.simpleWrong;
                return (
                  <td key={g}>
                    {num(s?.accuracy)} {intervalText(s?.interval)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/** A schemaVersion 2 result: verdicts, methods per regime and world, judges, the loop, and the table as text. */
function ExperimentV2({ experiment, result }: { experiment: Experiment; result: ExperimentResult }) {
  const config = result.config ?? experiment.config;
  const regimes = [...new Set(result.worlds.flatMap((w) => w.regimes.map((g) => g.name)))];
  const t = config?.training;
  return (
    <>
      <p className="muted" data-testid="experiment-about">
        {result.worlds.length} world(s) × {config?.seeds?.length ?? '?'} seed(s)
        {config?.seeds ? ` (${config.seeds.join(', ')})` : ''}
        {t?.rooms !== undefined && `, ${t.rooms} rooms per training world`}
        {t?.heldOutFraction !== undefined && `, ${pct(t.heldOutFraction, 0)} held out`}
        {t?.budget !== undefined && `; budget ${pct(t.budget, 0)} of the training split`}
        {t?.rounds !== undefined && ` over ${t.rounds} round(s)`}
        {result.seconds !== undefined && `; ran ${Math.round(result.seconds / 60)} min`}.
      </p>
      <h3>Does the two-head objective earn its place?</h3>
      <Verdicts result={result} />
      {regimes.map((name) => {
        const settings = regimeSettings(config, name);
        return (
          <section className="card" key={name} data-testid="experiment-regime">
            <h3>
              Methods on held-out rooms, regime {name}
              {settings ? ` (${settings})` : ''}
            </h3>
            <p className="muted">
              Pooled over seeds. Accuracy against the ground truth with its 95% interval; PGR = (method − naive) / (oracle − naive) where
              the simple label is wrong. Bars: accuracy where the simple label is wrong, whiskers its 95% interval.
            </p>
            <div className="grid2">
              {result.worlds.flatMap((w) => {
                const regime = w.regimes.find((g) => g.name === name);
                return regime ? [<Methods key={w.world} world={w} regime={regime} />] : [];
              })}
            </div>
          </section>
        );
      })}
      <Judges result={result} />
      <Loop result={result} />
      <Runs result={result} />
      <details>
        <summary>The table as text</summary>
        <pre data-testid="experiment-table">{experiment.summary}</pre>
      </details>
    </>
  );
}

/** Results kept before they had a schema version: the two comparisons the page showed then, and the table. */
function LegacyExperiment({ experiment }: { experiment: Experiment }) {
  const results = (experiment.results ?? {}) as LegacyResults;
  const protocols = results.comparison?.protocols;
  const simpleWrong = results.model?.evaluation?.simpleWrong;
  const head = (name: string) => {
    const v = simpleWrong?.[name];
    return typeof v === 'object' && v ? v.accuracy : null;
  };
  return (
    <>
      <p className="muted">Kept in an earlier format: the comparisons it recorded, and its table.</p>
      <div className="charts">
        {protocols && (
          <div>
            <h3>Judge accuracy by protocol</h3>
            <BarChart
              testId="experiment-judges"
              max={1}
              bars={protocols.map((p) => ({ label: p.kind, value: p.judge?.accuracy ?? null }))}
            />
          </div>
        )}
        {simpleWrong && (
          <div>
            <h3>Where the simple label is wrong ({simpleWrong.items ?? '?'} rooms)</h3>
            <BarChart
              testId="experiment-model"
              max={1}
              bars={(['intended', 'instrumental', 'baseline'] as const).map((name) => ({
                label: name === 'baseline' ? 'naive baseline' : `${name} head`,
                value: head(name),
              }))}
            />
          </div>
        )}
      </div>
      <pre data-testid="experiment-table">{experiment.summary}</pre>
    </>
  );
}

/** Results of headless experiments (`tribunal experiment --url …`): the verdicts, the methods, the judges and the loop. */
export function ExperimentsPage() {
  const experiments = useApi('/experiments', async () => (await data(client.GET('/experiments'))) as Experiment[]);
  const [selected, setSelected] = useState<string | null>(null);
  const shown = experiments.data?.find((e) => e.id === selected) ?? experiments.data?.[0];
  return (
    <>
      <h1>Experiments</h1>
      {experiments.error && <p className="problems">{experiments.error}</p>}
      {experiments.data?.length === 0 && (
        <p className="muted">
          None yet. Run <code>npm run experiment -- experiments/headline.yaml --url {location.origin} --key YOUR_KEY</code>.
        </p>
      )}
      <ul data-testid="experiment-list">
        {(experiments.data ?? []).map((e) => (
          <li key={e.id}>
            <a href="#/experiments" onClick={() => setSelected(e.id)} aria-current={shown?.id === e.id ? 'true' : undefined}>
              {e.name}
            </a>{' '}
            <span className="muted">{new Date(e.createdAt).toLocaleString()}</span>
          </li>
        ))}
      </ul>
      {shown && (
        <section className="card experiment-body" data-testid="experiment" key={shown.id}>
          <h2>{shown.name}</h2>
          {isSchemaV2(shown.results) ? <ExperimentV2 experiment={shown} result={shown.results} /> : <LegacyExperiment experiment={shown} />}
        </section>
      )}
    </>
  );
}
