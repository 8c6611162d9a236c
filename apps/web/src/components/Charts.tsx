import type { ReliabilityBin } from '../../../../libs/judging/src/calibration.js';

const PALETTE = ['#2f6fde', '#d9822b', '#2e9b57', '#a463d8', '#d93025', '#56606d'];

/** One series of a line chart: its line in the series' colour, its name in the legend, and any marks. */
function Series({
  index,
  label,
  points,
  legendAt,
  children,
}: {
  index: number;
  label: string;
  points: [number, number][];
  legendAt: [number, number] | null;
  children?: React.ReactNode;
}) {
  const colour = PALETTE[index % PALETTE.length];
  return (
    <g>
      <polyline fill="none" stroke={colour} strokeWidth={2} points={points.map(([x, y]) => `${x},${y}`).join(' ')} />
      {children}
      {legendAt && (
        <text x={legendAt[0]} y={legendAt[1] + 14 * index + 10} fontSize="11" fill={colour}>
          {label}
        </text>
      )}
    </g>
  );
}

/** Horizontal bars; a missing value is drawn as a dash. Negative values grow to the left of zero. */
export function BarChart({ bars, max, testId }: { bars: { label: string; value: number | null }[]; max?: number; testId?: string }) {
  const values = bars.map((b) => b.value ?? 0);
  const hi = max ?? Math.max(0, ...values);
  const lo = Math.min(0, ...values);
  const span = hi - lo || 1;
  const width = 260;
  const zero = ((0 - lo) / span) * width;
  return (
    <svg width={width + 180} height={bars.length * 26 + 6} data-testid={testId}>
      {bars.map((b, i) => {
        const v = b.value ?? 0;
        const x = v >= 0 ? zero : zero - (-v / span) * width;
        return (
          <g key={b.label} transform={`translate(0, ${i * 26 + 4})`}>
            <rect x={x} width={Math.abs(v / span) * width} height={18} fill={PALETTE[i % PALETTE.length]} />
            <text x={width + 8} y={13} fontSize="11">
              {b.label}: {b.value === null ? '—' : b.value.toFixed(2)}
            </text>
          </g>
        );
      })}
      <line x1={zero} x2={zero} y1={0} y2={bars.length * 26 + 6} stroke="#999" />
    </svg>
  );
}

/** Accuracy against stated confidence per bin, one line per protocol, with the diagonal of perfect calibration. */
export function ReliabilityDiagram({ series }: { series: { label: string; bins: ReliabilityBin[] }[] }) {
  const size = 220;
  const pad = 28;
  const at = (v: number) => pad + v * size;
  const flip = (v: number) => pad + size - v * size;
  return (
    <svg width={size + pad * 2 + 160} height={size + pad * 2} data-testid="reliability">
      <rect x={pad} y={pad} width={size} height={size} fill="none" stroke="#ccd5e0" />
      <line x1={at(0)} y1={flip(0)} x2={at(1)} y2={flip(1)} stroke="#bbb" strokeDasharray="4 3" />
      <text x={pad + size / 2} y={size + pad * 2 - 4} fontSize="10" textAnchor="middle">
        stated confidence
      </text>
      <text x={10} y={pad + size / 2} fontSize="10" transform={`rotate(-90 10 ${pad + size / 2})`} textAnchor="middle">
        accuracy
      </text>
      {series.map((s, i) => (
        <Series
          key={s.label}
          index={i}
          label={s.label}
          points={s.bins.map((b) => [at(b.meanConfidence), flip(b.accuracy)])}
          legendAt={[size + pad * 2, pad]}
        >
          {s.bins.map((b) => (
            <circle
              key={b.from}
              cx={at(b.meanConfidence)}
              cy={flip(b.accuracy)}
              r={2 + Math.min(6, Math.sqrt(b.count))}
              fill={PALETTE[i % PALETTE.length]}
              opacity={0.7}
            />
          ))}
        </Series>
      ))}
    </svg>
  );
}

/** A line of y against x, scaled to the data. */
export function LineChart({ points, xLabel, yLabel }: { points: { x: number; y: number }[]; xLabel: string; yLabel: string }) {
  return <MultiLineChart series={[{ label: yLabel, points }]} xLabel={xLabel} yLabel={yLabel} testId="line-chart" legend={false} />;
}

/** Several lines of y against x on shared axes (y from 0 to `yMax`, or to the data's maximum), with a legend. */
export function MultiLineChart({
  series,
  xLabel,
  yLabel,
  yMax,
  testId,
  legend = true,
}: {
  series: { label: string; points: { x: number; y: number }[] }[];
  xLabel: string;
  yLabel: string;
  yMax?: number;
  testId?: string;
  legend?: boolean;
}) {
  const width = 420;
  const height = 160;
  const pad = 30;
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return <p className="muted">Nothing yet.</p>;
  const [x0, x1] = [Math.min(...all.map((p) => p.x)), Math.max(...all.map((p) => p.x))];
  const y1 = yMax ?? Math.max(...all.map((p) => p.y));
  const sx = (x: number) => pad + ((x - x0) / (x1 - x0 || 1)) * width;
  const sy = (y: number) => pad + height - (y / (y1 || 1)) * height;
  return (
    <svg width={width + pad * 2 + (legend ? 140 : 0)} height={height + pad * 2} data-testid={testId}>
      <rect x={pad} y={pad} width={width} height={height} fill="none" stroke="#ccd5e0" />
      {series.map((s, i) => (
        <Series
          key={s.label}
          index={i}
          label={s.label}
          points={s.points.map((p) => [sx(p.x), sy(p.y)])}
          legendAt={legend ? [width + pad * 2, pad] : null}
        />
      ))}
      <text x={pad + width / 2} y={height + pad * 2 - 6} fontSize="10" textAnchor="middle">
        {xLabel}
      </text>
      <text x={pad - 4} y={pad + 10} fontSize="10" textAnchor="end">
        {Number(y1.toPrecision(3))}
      </text>
      <text x={10} y={pad + height / 2} fontSize="10" transform={`rotate(-90 10 ${pad + height / 2})`} textAnchor="middle">
        {yLabel}
      </text>
    </svg>
  );
}
