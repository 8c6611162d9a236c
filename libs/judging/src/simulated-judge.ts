import type { EvidenceUnit } from '../../contracts/src/index.js';
import { simulatedJudgeBelief, type CameraView } from '../../world/src/index.js';

export interface SimulatedJudgeInput {
  context: Record<string, unknown>;
  question: string;
  answers: string[];
  /** Only the evidence whose citation verified: the judge sees nothing else of it. */
  revealed: EvidenceUnit[];
}

/**
 * The built-in judge for headless runs: it sees the camera view and verified citations, nothing else.
 * Off the built-in world it has no way to weigh evidence, so it stays uniform.
 */
export function simulatedJudge(input: SimulatedJudgeInput): number[] {
  if (input.context.kind === 'world-room') {
    const view = { context: input.context as { camera: CameraView }, question: input.question, answers: input.answers };
    return simulatedJudgeBelief(view, input.revealed as Parameters<typeof simulatedJudgeBelief>[1]);
  }
  return input.answers.map(() => 1 / input.answers.length);
}
