import { useEffect, useMemo } from 'react';
import { client, connect, data as dataOf } from '../api.js';
import { MultiLineChart, ReliabilityDiagram } from '../components/Charts.js';
import { creditText, OutcomeDetails } from '../components/Outcome.js';
import { useApi } from '../hooks.js';

const fmt = (v: number | null, digits = 2) => (v === null ? '—' : v.toFixed(digits));

/**
 * A judge's own record over the debates whose outcome they may see (GET /me/record, /me/outcomes):
 * accuracy, mean reward and calibration, over time, and each settled debate. Outcomes of an item stay
 * out while anything on it is open to the judge; the page reloads when the server reveals more.
 */
export function MyRecord() {
  const record = useApi('/me/record', () => dataOf(client.GET('/me/record')));
  const outcomes = useApi('/me/outcomes', () => dataOf(client.GET('/me/outcomes')));
  const socket = useMemo(connect, []);
  const [reloadRecord, reloadOutcomes] = [record.reload, outcomes.reload];
  useEffect(() => {
    const reload = () => {
      reloadRecord();
      reloadOutcomes();
    };
    // On every (re)connect too: a revelation may have come while the socket was away.
    socket.on('connect', reload);
    socket.on('outcomes.revealed', reload);
    return () => {
      socket.close();
    };
  }, [socket, reloadRecord, reloadOutcomes]);

  const error = record.error ?? outcomes.error;
  if (error) return <p className="problems">{error}</p>;
  if (!record.data || !outcomes.data) return <p className="muted">Loading…</p>;
  const r = record.data;
  const timeline = r.timeline.map((p) => ({ ...p, x: p.judged }));
  return (
    <>
      <h1>My record</h1>
      <section className="card">
        <table data-testid="record">
          <tbody>
            <tr>
              <th>settled debates shown</th>
              <td data-testid="record-settled">{r.settled}</td>
            </tr>
            <tr>
              <th>with the truth known</th>
              <td>{r.judged}</td>
            </tr>
            <tr>
              <th>accuracy (a tie counts half)</th>
              <td data-testid="record-accuracy">{fmt(r.accuracy)}</td>
            </tr>
            <tr>
              <th>mean reward</th>
              <td data-testid="record-reward">{fmt(r.meanReward)}</td>
            </tr>
            <tr>
              <th>Brier score</th>
              <td>{fmt(r.brier)}</td>
            </tr>
            <tr>
              <th>expected calibration error</th>
              <td>{fmt(r.ece)}</td>
            </tr>
            <tr>
              <th>agreement with the settled labels</th>
              <td>{fmt(r.labelAgreement)}</td>
            </tr>
          </tbody>
        </table>
        {r.withheld > 0 && (
          <p className="muted" data-testid="record-withheld">
            {r.withheld} of your finished debates {r.withheld === 1 ? 'is' : 'are'} not shown yet: their label is not settled, or another
            debate on the same item is open to you.
          </p>
        )}
      </section>
      {r.judged > 0 && (
        <div className="grid2">
          <section className="card">
            <h3>Calibration</h3>
            <ReliabilityDiagram series={[{ label: 'you', bins: r.reliability }]} />
          </section>
          <section className="card">
            <h3>Over time</h3>
            <MultiLineChart
              series={[{ label: 'accuracy', points: timeline.map((p) => ({ x: p.x, y: p.accuracy })) }]}
              xLabel="debates with a known truth"
              yLabel="accuracy"
              yMax={1}
              markers
              legend={false}
              testId="accuracy-over-time"
            />
            <MultiLineChart
              series={[{ label: 'mean reward', points: timeline.map((p) => ({ x: p.x, y: p.meanReward })) }]}
              xLabel="debates with a known truth"
              yLabel="mean reward"
              yMin={Math.min(-1, ...timeline.map((p) => p.meanReward))}
              yMax={0}
              markers
              legend={false}
              testId="reward-over-time"
            />
          </section>
        </div>
      )}
      <section className="card">
        <h3>Settled debates</h3>
        {outcomes.data.outcomes.length === 0 && <p className="muted">None shown yet.</p>}
        {outcomes.data.outcomes.map((o) => (
          <details key={o.debateId} data-testid={`outcome-${o.debateId}`}>
            <summary>
              <a href={`#/debates/${o.debateId}`}>{o.question}</a> — {creditText(o.correct)}
              {o.reward !== null && `, reward ${o.reward.toFixed(2)}`}
              <span className="muted"> · {new Date(o.endedAt).toLocaleString()}</span>
            </summary>
            <OutcomeDetails outcome={o} />
          </details>
        ))}
      </section>
    </>
  );
}
