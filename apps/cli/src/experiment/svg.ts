/** Standalone SVG plots for experiment reports: grouped bars, lines, reliability diagrams. */

const PALETTE = ['#2f6fde', '#d9822b', '#2e9b57', '#a463d8', '#d93025', '#56606d', '#12a4b4', '#b8860b'];

const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function frame(width: number, height: number, title: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">
<rect width="100%" height="100%" fill="white"/>
<text x="${width / 2}" y="18" text-anchor="middle" font-size="13" font-weight="bold">${esc(title)}</text>
${body}
</svg>
`;
}

function legend(x: number, y: number, labels: string[]): string {
  return labels
    .map(
      (label, i) =>
        `<rect x="${x}" y="${y + i * 16}" width="10" height="10" fill="${PALETTE[i % PALETTE.length]}"/><text x="${x + 14}" y="${y + i * 16 + 9}">${esc(label)}</text>`,
    )
    .join('\n');
}

/** The y axis's title, written upwards beside a plot that starts at `top` and is `height` tall. */
function yTitle(top: number, height: number, text: string): string {
  return `<text x="14" y="${top + height / 2}" transform="rotate(-90 14 ${top + height / 2})" text-anchor="middle">${esc(text)}</text>`;
}

/** A line through points already in picture coordinates. */
function polyline(points: [number, number][], colour: string): string {
  return `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ')}"/>`;
}

/**
 * Bars in groups: one group per category, one bar per series, values from 0 to `max` (a missing value
 * is left out and marked "n/a"), each with its interval drawn as a whisker where one is given.
 */
export function groupedBars(options: {
  title: string;
  categories: string[];
  series: { label: string; values: (number | null)[]; intervals?: ([number, number] | null)[] }[];
  max?: number;
  yLabel: string;
}): string {
  const { categories, series } = options;
  const plotW = Math.max(240, categories.length * (series.length * 22 + 56));
  const plotH = 200;
  const [left, top] = [50, 34];
  const max = options.max ?? Math.max(1e-9, ...series.flatMap((s) => s.values.map((v) => v ?? 0)));
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const group = plotW / categories.length;
  const bar = Math.min(22, (group - 20) / series.length);
  const parts: string[] = [];
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(`<line x1="${left}" x2="${left + plotW}" y1="${y(tick * max)}" y2="${y(tick * max)}" stroke="#e3e8ef"/>`);
    parts.push(`<text x="${left - 4}" y="${y(tick * max) + 4}" text-anchor="end">${Number((tick * max).toPrecision(2))}</text>`);
  }
  categories.forEach((category, c) => {
    const x0 = left + c * group + (group - bar * series.length) / 2;
    series.forEach((s, i) => {
      const v = s.values[c];
      const x = x0 + i * bar;
      if (v === null || v === undefined)
        parts.push(`<text x="${x + bar / 2}" y="${y(0) - 4}" text-anchor="middle" font-size="9">n/a</text>`);
      else {
        parts.push(
          `<rect x="${x}" y="${y(v)}" width="${bar - 2}" height="${y(0) - y(v)}" fill="${PALETTE[i % PALETTE.length]}"><title>${esc(`${s.label}, ${category}: ${v.toFixed(3)}`)}</title></rect>`,
        );
        const interval = s.intervals?.[c];
        if (interval) {
          const mid = x + bar / 2 - 1;
          parts.push(
            `<path d="M${mid - 3},${y(interval[0])}H${mid + 3}M${mid},${y(interval[0])}V${y(interval[1])}M${mid - 3},${y(interval[1])}H${mid + 3}" stroke="#222" fill="none"/>`,
          );
        }
        const labelAt = interval ? Math.min(y(v), y(interval[1])) : y(v);
        parts.push(`<text x="${x + bar / 2 - 1}" y="${labelAt - 3}" text-anchor="middle" font-size="9">${v.toFixed(2)}</text>`);
      }
    });
    parts.push(`<text x="${left + c * group + group / 2}" y="${top + plotH + 16}" text-anchor="middle">${esc(category)}</text>`);
  });
  parts.push(`<line x1="${left}" x2="${left + plotW}" y1="${y(0)}" y2="${y(0)}" stroke="#888"/>`);
  parts.push(yTitle(top, plotH, options.yLabel));
  parts.push(
    legend(
      left + plotW + 16,
      top,
      series.map((s) => s.label),
    ),
  );
  return frame(left + plotW + 180, top + plotH + 30, options.title, parts.join('\n'));
}

/** Lines of y against x on shared axes. */
export function lines(options: {
  title: string;
  series: { label: string; points: { x: number; y: number }[] }[];
  xLabel: string;
  yLabel: string;
  yMax?: number;
}): string {
  const all = options.series.flatMap((s) => s.points);
  const [plotW, plotH, left, top] = [420, 200, 50, 34];
  const [x0, x1] = all.length ? [Math.min(...all.map((p) => p.x)), Math.max(...all.map((p) => p.x))] : [0, 1];
  const y1 = options.yMax ?? Math.max(1e-9, ...all.map((p) => p.y));
  const sx = (x: number) => left + ((x - x0) / (x1 - x0 || 1)) * plotW;
  const sy = (y: number) => top + plotH - (y / y1) * plotH;
  const parts = [`<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="#ccd5e0"/>`];
  options.series.forEach((s, i) => {
    parts.push(
      polyline(
        s.points.map((p) => [sx(p.x), sy(p.y)]),
        PALETTE[i % PALETTE.length]!,
      ),
    );
  });
  parts.push(
    `<text x="${left - 4}" y="${top + 8}" text-anchor="end">${Number(y1.toPrecision(3))}</text><text x="${left - 4}" y="${top + plotH}" text-anchor="end">0</text>`,
  );
  parts.push(
    `<text x="${left}" y="${top + plotH + 14}">${x0}</text><text x="${left + plotW}" y="${top + plotH + 14}" text-anchor="end">${x1}</text>`,
  );
  parts.push(`<text x="${left + plotW / 2}" y="${top + plotH + 26}" text-anchor="middle">${esc(options.xLabel)}</text>`);
  parts.push(yTitle(top, plotH, options.yLabel));
  parts.push(
    legend(
      left + plotW + 16,
      top,
      options.series.map((s) => s.label),
    ),
  );
  return frame(left + plotW + 180, top + plotH + 36, options.title, parts.join('\n'));
}

/** Accuracy against stated confidence per bin, one line per series, with the diagonal of perfect calibration. */
export function reliability(options: {
  title: string;
  series: { label: string; bins: { meanConfidence: number; accuracy: number; count: number }[] }[];
}): string {
  const [size, left, top] = [220, 50, 34];
  const at = (v: number) => left + v * size;
  const flip = (v: number) => top + size - v * size;
  const parts = [
    `<rect x="${left}" y="${top}" width="${size}" height="${size}" fill="none" stroke="#ccd5e0"/>`,
    `<line x1="${at(0)}" y1="${flip(0)}" x2="${at(1)}" y2="${flip(1)}" stroke="#bbb" stroke-dasharray="4 3"/>`,
    `<text x="${left + size / 2}" y="${top + size + 16}" text-anchor="middle">stated confidence</text>`,
    `<text x="${left}" y="${top + size + 14}" text-anchor="middle">0</text><text x="${left + size}" y="${top + size + 14}" text-anchor="middle">1</text>`,
    `<text x="${left - 4}" y="${top + size}" text-anchor="end">0</text><text x="${left - 4}" y="${top + 8}" text-anchor="end">1</text>`,
    yTitle(top, size, 'accuracy'),
  ];
  options.series.forEach((s, i) => {
    const colour = PALETTE[i % PALETTE.length];
    parts.push(
      polyline(
        s.bins.map((b) => [at(b.meanConfidence), flip(b.accuracy)]),
        colour!,
      ),
    );
    for (const b of s.bins)
      parts.push(
        `<circle cx="${at(b.meanConfidence).toFixed(1)}" cy="${flip(b.accuracy).toFixed(1)}" r="${(2 + Math.min(6, Math.sqrt(b.count))).toFixed(1)}" fill="${colour}" opacity="0.7"/>`,
      );
  });
  parts.push(
    legend(
      left + size + 16,
      top,
      options.series.map((s) => s.label),
    ),
  );
  return frame(left + size + 200, top + size + 26, options.title, parts.join('\n'));
}
