/** Every job the platform queues, with its payload. The set is closed: a new job is added here. */
export interface JobPayloads {
  /** Take the next step of a debate: speeches, a wait for judges, or the end. */
  'debate.advance': { debateId: string };
  /** A built-in or model judge gives its probabilities at a stage of a debate. */
  'judge.auto': { assignmentId: string; stage: string };
  /** A person's deadline has come (a human judge's at a stage, or a debater's speech, `speech-<index>`): if still not given, the debate fails. */
  'debate.deadline': { debateId: string; stage: string };
  /** Turn a finished debate's verdicts into a label, when clear-cut. */
  'debate.adjudicate': { debateId: string };
  /** Start a campaign's next debates, up to its concurrency, and report its progress. */
  'campaign.fill': { campaignId: string };
  /** Debate a dispute again, after its debates so far were not clear-cut. */
  'dispute.requeue': { disputeId: string; protocolId: string; after: string };
  /** POST one signed event to a webhook. */
  'webhook.deliver': { deliveryId: string };
  /** Train a two-head model version (and the naive baseline): trainer processes only. */
  'model.train': { trainingJobId: string };
  /** Score a dataset with a model version, then choose disputes from the predictions. */
  'model.score': { scoringRunId: string };
  /**
   * A label was written (a first label of its dispute, or a revision): its consequences, each owned by
   * its module — the webhooks' deliveries, and retraining when the dataset's policy asks for it every
   * N new labels. Queued in the label's own transaction.
   */
  'label.created': { labelId: string };
  /**
   * The demo loop of a first start looks at where it stands and takes its next step (a first model
   * after the audit round, promotion and re-scoring, a second round), then looks again a little
   * later (`tick` counts the looks) until it is done.
   */
  'demo.advance': { datasetId: string; tick: number };
}
export type JobName = keyof JobPayloads;
export const JOB_NAMES: readonly JobName[] = [
  'debate.advance',
  'judge.auto',
  'debate.deadline',
  'debate.adjudicate',
  'campaign.fill',
  'dispute.requeue',
  'webhook.deliver',
  'model.train',
  'model.score',
  'label.created',
  'demo.advance',
];
