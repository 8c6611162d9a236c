import { expect } from 'vitest';
import { DEFAULT_DEBATE_PROTOCOL, type ProtocolSpec } from '../../libs/contracts/src/index.js';
import { eventually, http, type TestApp } from './app.js';

/** Loads a world dataset and selects disputes over it, every item an audit by default. */
export async function worldDisputes(
  app: TestApp,
  key: string,
  dataset: { name: string; seed: number; size: number },
  selection: Record<string, number> = { auditFraction: 1 },
): Promise<{ datasetId: string; disputes: { id: string; itemId: string }[] }> {
  const loaded = await http(app, 'POST', '/datasets/world', key, dataset);
  expect(loaded.status, loaded.text).toBe(201);
  const disputes = await http(app, 'POST', `/datasets/${loaded.body.id}/disputes`, key, selection);
  expect(disputes.status, disputes.text).toBe(201);
  expect(disputes.body.length).toBeGreaterThan(0);
  return { datasetId: loaded.body.id, disputes: disputes.body };
}

/** Adds a protocol: the default debate protocol with `changes` applied. */
export async function protocol(app: TestApp, key: string, name: string, changes: Partial<ProtocolSpec> = {}): Promise<string> {
  const created = await http(app, 'POST', '/protocols', key, { name, spec: { ...DEFAULT_DEBATE_PROTOCOL, ...changes } });
  expect(created.status, created.text).toBe(201);
  return created.body.id;
}

export async function startDebate(
  app: TestApp,
  key: string,
  body: { disputeId: string; protocolId: string; judgeIds?: string[] },
): Promise<string> {
  const started = await http(app, 'POST', '/debates', key, body);
  expect(started.status, started.text).toBe(201);
  return started.body.id;
}

/** Runs a campaign over the dataset's open disputes to its end: how tests get labels the real way. */
export async function debateOpenDisputes(
  app: TestApp,
  key: string,
  campaign: { datasetId: string; protocolId: string; name: string; concurrency?: number },
  timeoutMs = 180_000,
): Promise<void> {
  const created = await http(app, 'POST', '/campaigns', key, { concurrency: 8, ...campaign });
  expect(created.status, created.text).toBe(201);
  await eventually(
    `campaign ${campaign.name} to complete`,
    async () => (await http(app, 'GET', `/campaigns/${created.body.id}`, key)).body.status === 'completed',
    timeoutMs,
  );
}

/**
 * A world whose randomly audited rooms have been debated under the default protocol to an end, so
 * that it has labels: the starting point of every model test. Returns the dataset and the protocol.
 */
export async function labelledWorld(
  app: TestApp,
  key: string,
  world: { name: string; seed: number; size: number },
  auditFraction: number,
  timeoutMs?: number,
): Promise<{ datasetId: string; protocolId: string }> {
  const { datasetId } = await worldDisputes(app, key, world, { auditFraction, minBlindCells: 99 });
  const protocolId = await protocol(app, key, `${world.name}-labels`);
  await debateOpenDisputes(app, key, { datasetId, protocolId, name: `${world.name}-labels` }, timeoutMs);
  return { datasetId, protocolId };
}
