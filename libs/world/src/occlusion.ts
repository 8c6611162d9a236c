interface Placed {
  x: number;
  y: number;
  occluder: boolean;
}

export interface Cell {
  x: number;
  y: number;
}

export function cellKey(x: number, y: number): string {
  return `${x},${y}`;
}

/** The camera stands at y = -1 looking along +y, so an occluder blocks only cells further back in its column. */
export function isBehindOccluder(objects: readonly Placed[], x: number, y: number): boolean {
  return objects.some((o) => o.occluder && o.x === x && o.y < y);
}

/** The occluder nearest the camera in that column: the one a viewer would say a cell is "behind". */
export function blockingOccluder<T extends Placed>(objects: readonly T[], x: number, y: number): T | undefined {
  let front: T | undefined;
  for (const o of objects) {
    if (o.occluder && o.x === x && o.y < y && (front === undefined || o.y < front.y)) front = o;
  }
  return front;
}

/**
 * Cells the camera cannot see. Works on the camera view alone, because the front occluder of a
 * column is always in view, so a judge and the generator agree on which cells are blind.
 */
export function blindCells(width: number, depth: number, objects: readonly Placed[]): Cell[] {
  const cells: Cell[] = [];
  for (let y = 0; y < depth; y++) {
    for (let x = 0; x < width; x++) {
      if (isBehindOccluder(objects, x, y)) cells.push({ x, y });
    }
  }
  return cells;
}

export function blindCellKeys(width: number, depth: number, objects: readonly Placed[]): Set<string> {
  return new Set(blindCells(width, depth, objects).map((c) => cellKey(c.x, c.y)));
}
