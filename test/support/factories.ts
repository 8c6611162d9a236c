import { expect } from 'vitest';
import { DEFAULT_DEBATE_PROTOCOL, type CampaignProgressView, type ProtocolSpec } from '#tribunal/contracts';
import { DEFAULT_POLICY } from '#tribunal/model';
import { eventually, http, type AnyTestApp } from './app.js';

/**
 * Loads a world dataset and selects disputes over it, every item an audit by default. Held-out items
 * are never disputed, so by default none is held out; a test of the model passes the share it holds out.
 */
export async function worldDisputes(
  app: AnyTestApp,
  key: string,
  dataset: { name: string; seed: number; size: number },
  selection: Record<string, number> = { auditFraction: 1 },
  heldOutFraction = 0,
): Promise<{ datasetId: string; disputes: { id: string; itemId: string }[] }> {
  const loaded = await http(app, 'POST', '/datasets/world', key, dataset);
  expect(loaded.status, loaded.text).toBe(201);
  const policy = await http(app, 'PUT', `/datasets/${loaded.body.id}/model-policy`, key, { heldOutFraction });
  expect(policy.status, policy.text).toBe(200);
  const disputes = await http(app, 'POST', `/datasets/${loaded.body.id}/disputes`, key, selection);
  expect(disputes.status, disputes.text).toBe(201);
  expect(disputes.body.length).toBeGreaterThan(0);
  return { datasetId: loaded.body.id, disputes: disputes.body };
}

/** Adds a protocol: the default debate protocol with `changes` applied. */
/** Two debaters whose speeches the test posts over HTTP, judged by one human. */
export const MANUAL_DEBATERS: Pick<ProtocolSpec, 'debaters' | 'judges'> = {
  debaters: [{ backend: 'manual' }, { backend: 'manual' }],
  judges: { count: 1, kind: 'human' },
};

export async function protocol(app: AnyTestApp, key: string, name: string, changes: Partial<ProtocolSpec> = {}): Promise<string> {
  const created = await http(app, 'POST', '/protocols', key, { name, spec: { ...DEFAULT_DEBATE_PROTOCOL, ...changes } });
  expect(created.status, created.text).toBe(201);
  return created.body.id;
}

export async function startDebate(
  app: AnyTestApp,
  key: string,
  body: { disputeId: string; protocolId: string; judgeIds?: string[]; debaterIds?: string[]; answers?: number[] },
): Promise<string> {
  const started = await http(app, 'POST', '/debates', key, body);
  expect(started.status, started.text).toBe(201);
  return started.body.id;
}

/** The rounds of the fault tests' debates: both debaters at once, a judge round, one after the other, then the final verdict. */
export const SPEECHES_JUDGE_SPEECHES: Pick<ProtocolSpec, 'structure' | 'end'> = {
  structure: { opening: [{ type: 'simultaneous' }], repeating: [{ type: 'judge' }, { type: 'sequential' }], closing: [] },
  end: { maxRepeats: 1, judgeMayEnd: false },
};

/** Starts a campaign over the given disputes, or the dataset's open ones; returns its id. */
export async function startCampaign(
  app: AnyTestApp,
  key: string,
  campaign: { protocolId: string; name: string; concurrency?: number } & ({ datasetId: string } | { disputeIds: string[] }),
): Promise<string> {
  const created = await http(app, 'POST', '/campaigns', key, { concurrency: 8, ...campaign });
  expect(created.status, created.text).toBe(201);
  return created.body.id;
}

/** Waits for a campaign to complete (every debate ended) and returns its final progress. */
export async function campaignEnd(app: AnyTestApp, key: string, campaignId: string, timeoutMs = 180_000): Promise<CampaignProgressView> {
  return eventually(
    `campaign ${campaignId} to complete`,
    async () => {
      const progress = await http<CampaignProgressView>(app, 'GET', `/campaigns/${campaignId}`, key);
      return progress.body.status === 'completed' ? progress.body : undefined;
    },
    timeoutMs,
  );
}

/** Runs a campaign over the dataset's open disputes to its end: how tests get labels the real way. */
export async function debateOpenDisputes(
  app: AnyTestApp,
  key: string,
  campaign: { datasetId: string; protocolId: string; name: string; concurrency?: number },
  timeoutMs = 180_000,
): Promise<void> {
  await campaignEnd(app, key, await startCampaign(app, key, campaign), timeoutMs);
}

/**
 * A world whose randomly audited rooms have been debated under the default protocol to an end, so
 * that it has labels: the starting point of every model test. Returns the dataset and the protocol.
 */
export async function labelledWorld(
  app: AnyTestApp,
  key: string,
  world: { name: string; seed: number; size: number },
  auditFraction: number,
  timeoutMs?: number,
): Promise<{ datasetId: string; protocolId: string }> {
  const { datasetId } = await worldDisputes(app, key, world, { auditFraction, minBlindCells: 99 }, DEFAULT_POLICY.heldOutFraction);
  const protocolId = await protocol(app, key, `${world.name}-labels`);
  await debateOpenDisputes(app, key, { datasetId, protocolId, name: `${world.name}-labels` }, timeoutMs);
  return { datasetId, protocolId };
}

/**
 * Uploads a text dataset whose items carry their story as evidence (what speeches quote) and in their
 * public context (what judges see unless the protocol hides it), and selects every item as a
 * dispute; returns the disputes' ids.
 */
export async function textDisputes(app: AnyTestApp, key: string, name: string, story: string, count = 4): Promise<string[]> {
  const items = Array.from({ length: count }, (_, i) => ({
    externalId: `${name}-${i}`,
    question: 'Who wrote the letter?',
    answers: ['the cook', 'the butler'],
    simpleLabel: 0,
    groundTruth: 1,
    context: { kind: 'passage', title: 'The letter', text: story },
    evidence: [{ id: 'story', kind: 'passage', text: story }],
  }));
  const dataset = await http(app, 'POST', '/datasets', key, { name, items });
  expect(dataset.status, dataset.text).toBe(201);
  const policy = await http(app, 'PUT', `/datasets/${dataset.body.id}/model-policy`, key, { heldOutFraction: 0 });
  expect(policy.status, policy.text).toBe(200);
  const disputes = await http(app, 'POST', `/datasets/${dataset.body.id}/disputes`, key, { auditFraction: 1 });
  expect(disputes.status, disputes.text).toBe(201);
  return disputes.body.map((d: { id: string }) => d.id);
}
