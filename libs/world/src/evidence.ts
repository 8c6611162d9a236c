import type { EvidenceUnit } from './types.js';
import type { Room } from './room.js';

export function sensorId(x: number, y: number): string {
  return `s-${x}-${y}`;
}

export function sensorText(x: number, y: number, object: string | null): string {
  return `Sensor at (${x}, ${y}): ${object ?? 'empty'}`;
}

/** One reading per cell, front row first: every sensor reports truthfully, hidden or not. */
export function sensorReadings(room: Room): EvidenceUnit[] {
  const units: EvidenceUnit[] = [];
  for (let y = 0; y < room.depth; y++) {
    for (let x = 0; x < room.width; x++) {
      const object = room.objects.find((o) => o.x === x && o.y === y)?.type ?? null;
      units.push({ id: sensorId(x, y), kind: 'sensor', text: sensorText(x, y, object), reading: { x, y, object } });
    }
  }
  return units;
}
