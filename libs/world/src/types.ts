export interface WorldObject {
  id: string;
  type: string;
  x: number;
  y: number;
  occluder: boolean;
}

/** Generic shape used platform-wide; the world fills `reading`. */
export interface EvidenceUnit {
  /** Stable, e.g. "s-2-3" for the sensor of cell (2, 3). */
  id: string;
  kind: 'sensor';
  text: string;
  reading: { x: number; y: number; object: string | null };
}

/** What the simple labeller and a judge see. */
export interface CameraView {
  width: number;
  depth: number;
  visible: { type: string; x: number; y: number; occluder: boolean }[];
}

export type LabelErrorKind = 'none' | 'missed-hidden' | 'noise' | 'both';

export interface WorldItemMeta {
  targetType: string;
  trueCount: number;
  visibleCount: number;
  hiddenCount: number;
  simpleLabelWrong: boolean;
  errorKind: LabelErrorKind;
  /** The labeller's random miscount (-1, 0 or +1) before clamping at zero. */
  labellerShift: number;
}

export interface WorldItem {
  externalId: string;
  /** Public to judges. */
  context: { kind: 'world-room'; camera: CameraView };
  /** One sensor reading per cell; debaters see all, judges only what was cited. */
  evidence: EvidenceUnit[];
  question: string;
  answers: string[];
  /** Index into answers, from the simple labeller. */
  simpleLabel: number;
  /** Index into answers; never shown to judges. */
  groundTruth: number;
  /** The target type one-hot, then per askable type the sensed and the visible count (over 4). */
  features: number[];
  meta: WorldItemMeta;
}
