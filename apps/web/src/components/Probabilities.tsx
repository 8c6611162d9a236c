/**
 * One slider per answer, always summing to 1: moving one shares what is left among the others in
 * proportion to their current values.
 */
export function rebalance(values: readonly number[], index: number, value: number): number[] {
  const clamped = Math.min(1, Math.max(0, value));
  const othersTotal = values.reduce((sum, v, i) => (i === index ? sum : sum + v), 0);
  const left = 1 - clamped;
  return values.map((v, i) => {
    if (i === index) return clamped;
    return othersTotal > 0 ? (v / othersTotal) * left : left / (values.length - 1);
  });
}

export function Probabilities({
  answers,
  values,
  onChange,
}: {
  answers: readonly string[];
  values: readonly number[];
  onChange: (v: number[]) => void;
}) {
  return (
    <div>
      {answers.map((answer, i) => (
        <label key={i} className="slider">
          <span>{answer}</span>
          <input
            type="range"
            min={0}
            max={1000}
            value={Math.round(values[i]! * 1000)}
            aria-label={`probability of ${answer}`}
            onChange={(e) => onChange(rebalance(values, i, Number(e.target.value) / 1000))}
          />
          <span data-testid={`p-${i}`}>{Math.round(values[i]! * 100)}%</span>
        </label>
      ))}
    </div>
  );
}
