import { useEffect, useState } from 'react';
import type { LabelRecord } from '../../../../libs/contracts/src/api.js';
import { api } from '../api.js';
import { LineChart } from '../components/Charts.js';

type Label = LabelRecord;

/** Complex-process labels as they accumulate: the small set (agreeing with the simple label) and the overturned rest. */
export function LabelsPage() {
  const [labels, setLabels] = useState<Label[]>([]);
  useEffect(() => {
    const load = () =>
      api<string>('GET', '/labels?after=0&limit=10000').then((text) =>
        setLabels(
          text
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line) as Label),
        ),
      );
    void load();
    const timer = setInterval(() => void load(), 5000);
    return () => clearInterval(timer);
  }, []);
  const agreeing = labels.filter((l) => l.agreesWithSimple).length;
  return (
    <>
      <h1>Labels</h1>
      <section className="card">
        <p data-testid="label-counts">
          {labels.length} labels: {agreeing} agree with the simple label (the small set), {labels.length - agreeing} overturn it.
        </p>
        <LineChart points={labels.map((l, i) => ({ x: new Date(l.createdAt).getTime(), y: i + 1 }))} xLabel="time" yLabel="labels" />
      </section>
      <section className="card">
        <table>
          <thead>
            <tr>
              <th>seq</th>
              <th>item</th>
              <th>answer</th>
              <th>probability</th>
              <th>agrees with simple label</th>
            </tr>
          </thead>
          <tbody>
            {labels
              .slice(-20)
              .reverse()
              .map((l) => (
                <tr key={l.seq}>
                  <td>{l.seq}</td>
                  <td className="muted">{l.itemId.slice(0, 8)}</td>
                  <td>{l.answer}</td>
                  <td>{Math.round(l.distribution[l.answer]! * 100)}%</td>
                  <td>{l.agreesWithSimple ? 'yes' : 'no: overturned'}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
