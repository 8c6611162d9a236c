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

export interface Bar {
  label: string;
  value: number | null;
  /** A 95% interval, drawn as a whisker over the bar and written after the value. */
  interval?: [number, number] | null;
}

/**
 * Horizontal bars; a missing value is drawn as a dash. Negative values grow to the left of zero. A bar
 * with an interval gets a whisker (class `whisker`) from its low to its high end.
 */
export function BarChart({ bars, max, testId, title }: { bars: Bar[]; max?: number; testId?: string; title?: string }) {
  const values = bars.map((b) => b.value ?? 0);
  const hi = max ?? Math.max(0, ...values, ...bars.map((b) => b.interval?.[1] ?? 0));
  const lo = Math.min(0, ...values);
  const span = hi - lo || 1;
  const width = 260;
  const zero = ((0 - lo) / span) * width;
  const at = (v: number) => zero + (v / span) * width;
  const text = (b: Bar) =>
    `${b.label}: ${b.value === null ? '—' : b.value.toFixed(2)}${b.interval ? ` [${b.interval[0].toFixed(2)}, ${b.interval[1].toFixed(2)}]` : ''}`;
  const labelWidth = Math.max(180, ...bars.map((b) => text(b).length * 5.9 + 12));
  return (
    <svg
      width={width + labelWidth}
      height={bars.length * 26 + 6}
      viewBox={`0 0 ${width + labelWidth} ${bars.length * 26 + 6}`}
      data-testid={testId}
      role="img"
      aria-label={title}
    >
      {bars.map((b, i) => {
        const v = b.value ?? 0;
        const x = v >= 0 ? zero : zero - (-v / span) * width;
        return (
          <g key={b.label} transform={`translate(0, ${i * 26 + 4})`}>
            <rect x={x} width={Math.abs(v / span) * width} height={18} fill={PALETTE[i % PALETTE.length]}>
              <title>{text(b)}</title>
            </rect>
            {b.interval && (
              <path
                className="whisker"
                d={`M${at(b.interval[0])},9H${at(b.interval[1])}M${at(b.interval[0])},4V14M${at(b.interval[1])},4V14`}
                stroke="#222"
                strokeWidth={1.5}
                fill="none"
              />
            )}
            <text x={width + 8} y={13} fontSize="11">
              {text(b)}
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

/** Several lines of y against x on shared axes (y from `yMin`, or 0, to `yMax`, or the data's maximum), with a legend. */
export function MultiLineChart({
  series,
  xLabel,
  yLabel,
  yMin = 0,
  yMax,
  testId,
  legend = true,
  markers = false,
  xTicks,
}: {
  series: { label: string; points: { x: number; y: number }[] }[];
  xLabel: string;
  yLabel: string;
  /** The bottom of the y axis (below 0 for values that go negative, such as a log score). */
  yMin?: number;
  yMax?: number;
  testId?: string;
  legend?: boolean;
  /** A dot at every point, with its value on hover (for few points, e.g. rounds). */
  markers?: boolean;
  /** x values to write under the axis. */
  xTicks?: number[];
}) {
  const width = 420;
  const height = 160;
  const pad = 30;
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return <p className="muted">Nothing yet.</p>;
  const [x0, x1] = [Math.min(...all.map((p) => p.x)), Math.max(...all.map((p) => p.x))];
  const y1 = yMax ?? Math.max(...all.map((p) => p.y));
  const sx = (x: number) => pad + ((x - x0) / (x1 - x0 || 1)) * width;
  const sy = (y: number) => pad + height - ((y - yMin) / (y1 - yMin || 1)) * height;
  return (
    <svg
      width={width + pad * 2 + (legend ? 140 : 0)}
      height={height + pad * 2}
      viewBox={`0 0 ${width + pad * 2 + (legend ? 140 : 0)} ${height + pad * 2}`}
      data-testid={testId}
    >
      <rect x={pad} y={pad} width={width} height={height} fill="none" stroke="#ccd5e0" />
      {series.map((s, i) => (
        <Series
          key={s.label}
          index={i}
          label={s.label}
          points={s.points.map((p) => [sx(p.x), sy(p.y)])}
          legendAt={legend ? [width + pad * 2, pad] : null}
        >
          {markers &&
            s.points.map((p) => (
              <circle key={p.x} cx={sx(p.x)} cy={sy(p.y)} r={3.5} fill={PALETTE[i % PALETTE.length]}>
                <title>{`${s.label}, ${xLabel} ${p.x}: ${Number(p.y.toPrecision(3))}`}</title>
              </circle>
            ))}
        </Series>
      ))}
      {xTicks?.map((x) => (
        <text key={x} x={sx(x)} y={pad + height + 12} fontSize="10" textAnchor="middle">
          {x}
        </text>
      ))}
      <text x={pad + width / 2} y={height + pad * 2 - 6} fontSize="10" textAnchor="middle">
        {xLabel}
      </text>
      <text x={pad - 4} y={pad + 10} fontSize="10" textAnchor="end">
        {Number(y1.toPrecision(3))}
      </text>
      {yMin !== 0 && (
        <text x={pad - 4} y={pad + height} fontSize="10" textAnchor="end">
          {Number(yMin.toPrecision(3))}
        </text>
      )}
      <text x={10} y={pad + height / 2} fontSize="10" transform={`rotate(-90 10 ${pad + height / 2})`} textAnchor="middle">
        {yLabel}
      </text>
    </svg>
  );
}
