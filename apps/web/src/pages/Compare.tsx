import { client, data as dataOf, type Schemas } from '../api.js';
import { BarChart, ReliabilityDiagram } from '../components/Charts.js';
import { useApi } from '../hooks.js';

const fmt = (v: number | null, digits = 2) => (v === null ? '—' : v.toFixed(digits));

/**
 * Protocols side by side: judge accuracy (a tie counts half) and calibration where the truth is known,
 * reward, speeches per debater, judge continues and time.
 */
export function ComparePage() {
  const { data, error } = useApi('/analytics/protocols', () => dataOf(client.GET('/analytics/protocols')), 5000);
  if (error) return <p className="problems">{error}</p>;
  if (!data) return <p className="muted">Loading…</p>;
  if (data.length === 0) return <p className="muted">No debate has finished yet.</p>;
  const label = (c: Schemas['ProtocolComparisonDoc']) => `${c.protocol.name} v${c.protocol.version}`;
  return (
    <>
      <h1>Compare protocols</h1>
      <div className="grid2">
        <section className="card">
          <h3>Judge accuracy (ground truth known)</h3>
          <BarChart bars={data.map((c) => ({ label: label(c), value: c.stats.accuracy }))} max={1} testId="accuracy-chart" />
        </section>
        <section className="card">
          <h3>Calibration</h3>
          <ReliabilityDiagram series={data.map((c) => ({ label: label(c), bins: c.stats.reliability }))} />
        </section>
        <section className="card">
          <h3>Mean judge reward</h3>
          <BarChart bars={data.map((c) => ({ label: label(c), value: c.stats.meanReward }))} testId="reward-chart" />
        </section>
        <section className="card">
          <h3>Speeches per debater</h3>
          <BarChart bars={data.map((c) => ({ label: label(c), value: c.stats.meanSpeechRounds }))} testId="rounds-chart" />
        </section>
        <section className="card">
          <h3>Judge continues (answers before the final one)</h3>
          <BarChart bars={data.map((c) => ({ label: label(c), value: c.stats.meanContinues }))} testId="continues-chart" />
        </section>
        <section className="card">
          <h3>Median seconds to verdict</h3>
          <BarChart bars={data.map((c) => ({ label: label(c), value: c.stats.medianSecondsToVerdict }))} testId="time-chart" />
        </section>
      </div>
      <section className="card">
        <table data-testid="compare-table">
          <thead>
            <tr>
              <th>protocol</th>
              <th>kind</th>
              <th>debates</th>
              <th>failed</th>
              <th>judged</th>
              <th>accuracy</th>
              <th>ECE</th>
              <th>Brier</th>
              <th>reward</th>
              <th>info gain (bits)</th>
              <th>agreement (α)</th>
              <th>speeches</th>
              <th>continues</th>
              <th>median s to verdict</th>
            </tr>
          </thead>
          <tbody>
            {data.map((c) => (
              <tr key={c.protocol.id}>
                <td>{label(c)}</td>
                <td>{c.protocol.kind}</td>
                <td>{c.stats.debates}</td>
                <td>{c.stats.failed}</td>
                <td>{c.stats.judged}</td>
                <td>{fmt(c.stats.accuracy)}</td>
                <td>{fmt(c.stats.ece)}</td>
                <td>{fmt(c.stats.brier)}</td>
                <td>{fmt(c.stats.meanReward)}</td>
                <td>{fmt(c.stats.meanInformationGain)}</td>
                <td>{fmt(c.stats.agreement)}</td>
                <td>{fmt(c.stats.meanSpeechRounds, 1)}</td>
                <td>{fmt(c.stats.meanContinues, 2)}</td>
                <td>{fmt(c.stats.medianSecondsToVerdict, 1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
