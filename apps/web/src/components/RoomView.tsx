import type { CitationView } from '../../../../libs/contracts/src/views.js';

interface Camera {
  width: number;
  depth: number;
  visible: { type: string; x: number; y: number; occluder: boolean }[];
}

const CELL = 44;

/** Sensor readings revealed by verified citations: "s-x-y" → what the sensor read. */
export function revealedReadings(citations: readonly CitationView[]): Map<string, string> {
  const readings = new Map<string, string>();
  for (const c of citations) {
    if (c.kind === 'evidence' && c.verified && c.evidenceId && c.excerpt)
      readings.set(c.evidenceId, c.excerpt.split(': ').at(-1) ?? c.excerpt);
  }
  return readings;
}

/**
 * The room as the camera sees it (camera at the bottom), with the sensor readings that verified
 * citations revealed drawn on their cells; the hovered citation's cell is outlined.
 */
export function RoomView({ camera, revealed, highlight }: { camera: Camera; revealed: Map<string, string>; highlight: string | null }) {
  const height = camera.depth * CELL;
  const cellY = (y: number) => height - (y + 1) * CELL;
  return (
    <svg width={camera.width * CELL} height={height + 24} role="img" aria-label="the room as the camera sees it" data-testid="room">
      {Array.from({ length: camera.depth }, (_, y) =>
        Array.from({ length: camera.width }, (_, x) => (
          <rect key={`${x}-${y}`} x={x * CELL} y={cellY(y)} width={CELL} height={CELL} fill="#fff" stroke="#dde2e8" />
        )),
      )}
      {camera.visible.map((o) => (
        <g key={`${o.x}-${o.y}`}>
          <rect
            x={o.x * CELL + 3}
            y={cellY(o.y) + 3}
            width={CELL - 6}
            height={CELL - 6}
            rx={o.occluder ? 2 : 12}
            fill={o.occluder ? '#56606d' : '#9cc3ff'}
          />
          <text
            x={o.x * CELL + CELL / 2}
            y={cellY(o.y) + CELL / 2 + 4}
            fontSize="9"
            textAnchor="middle"
            fill={o.occluder ? '#fff' : '#1c2430'}
          >
            {o.type}
          </text>
        </g>
      ))}
      {[...revealed].map(([id, reading]) => {
        const [, x, y] = /^s-(\d+)-(\d+)$/.exec(id) ?? [];
        if (x === undefined || y === undefined) return null;
        return (
          <g key={id} data-testid={`revealed-${id}`}>
            <rect
              x={+x * CELL + 1}
              y={cellY(+y) + 1}
              width={CELL - 2}
              height={CELL - 2}
              fill={reading === 'empty' ? '#eef7f0' : '#ffd27a'}
              opacity={0.9}
            />
            <text x={+x * CELL + CELL / 2} y={cellY(+y) + CELL / 2 + 4} fontSize="9" textAnchor="middle">
              {reading}
            </text>
          </g>
        );
      })}
      {highlight &&
        (() => {
          const [, x, y] = /^s-(\d+)-(\d+)$/.exec(highlight) ?? [];
          return x === undefined ? null : (
            <rect
              data-testid="highlight"
              x={+x * CELL}
              y={cellY(+y!)}
              width={CELL}
              height={CELL}
              fill="none"
              stroke="#d93025"
              strokeWidth={3}
            />
          );
        })()}
      <text x={(camera.width * CELL) / 2} y={height + 16} fontSize="11" textAnchor="middle" fill="#6b7685">
        ▲ camera
      </text>
    </svg>
  );
}
