/** Every job the platform queues, with its payload. The set is closed: a new job is added here. */
export interface JobPayloads {
  /** Take the next step of a debate: a speech, a wait for judges, or the end. */
  'debate.advance': { debateId: string };
  /** A built-in simulated judge gives its probabilities at a stage of a debate. */
  'judge.simulate': { assignmentId: string; stage: string };
  /** Turn a finished debate's verdicts into a label, when clear-cut. */
  'debate.adjudicate': { debateId: string };
}
export type JobName = keyof JobPayloads;
export const JOB_NAMES: readonly JobName[] = ['debate.advance', 'judge.simulate', 'debate.adjudicate'];
