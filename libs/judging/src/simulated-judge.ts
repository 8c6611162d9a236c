import type { EvidenceUnit } from '#tribunal/contracts';
import {
  simulatedJudgeBelief,
  validateWorldParams,
  type CameraView,
  type EvidenceUnit as SensorReading,
  type WorldParams,
} from '#tribunal/world';

export interface SimulatedJudgeInput {
  context: Record<string, unknown>;
  question: string;
  answers: string[];
  /** Only the evidence whose citation verified: the judge sees nothing else of it. */
  revealed: EvidenceUnit[];
  /**
   * The parameters the item's world was generated with (a world dataset's `params.world`), which
   * the judge knows as a human judge would be told how the world is made; defaults fill the rest.
   */
  world?: Partial<WorldParams>;
}

function isSensorReading(unit: EvidenceUnit): unit is EvidenceUnit & SensorReading {
  const reading = unit.reading;
  return (
    unit.kind === 'sensor' &&
    reading !== undefined &&
    typeof reading.x === 'number' &&
    typeof reading.y === 'number' &&
    (reading.object === null || typeof reading.object === 'string')
  );
}

/**
 * The built-in judge for headless runs: it sees the camera view and verified citations, nothing else.
 * Off the built-in world it has no way to weigh evidence, so it stays uniform.
 */
export function simulatedJudge(input: SimulatedJudgeInput): number[] {
  if (input.context.kind === 'world-room') {
    const view = { context: input.context as { camera: CameraView }, question: input.question, answers: input.answers };
    return simulatedJudgeBelief(view, input.revealed.filter(isSensorReading), validateWorldParams(input.world ?? {}));
  }
  return input.answers.map(() => 1 / input.answers.length);
}
