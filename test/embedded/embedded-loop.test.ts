import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startProcess, type RunningProcess } from '../../apps/bootstrap/src/start-process.js';

async function get(running: RunningProcess, path: string, key: string) {
  const response = await fetch(running.url + path, { headers: { authorization: `Bearer ${key}` } });
  return { status: response.status, text: await response.text() };
}

describe('the whole platform on the embedded database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tribunal-loop-'));
  // The demo without its loop (test/embedded/first-start.test.ts runs the loop).
  const env = {
    TRIBUNAL_DATA_DIR: dir,
    PORT: '0',
    LOG_LEVEL: 'warn',
    TRIBUNAL_DEMO_SIZE: '30',
    TRIBUNAL_DEMO_DEBATES: '2',
    TRIBUNAL_DEMO_LOOP: 'off',
  };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the demo on first start, and keeps everything across a restart', async () => {
    const first = await startProcess(['api', 'worker', 'trainer'], env);
    const key = first.adminKey!;
    expect(key).toMatch(/^trb_/);
    // Two debates judged by the built-in judge run to their end; one waits for the demo judge.
    let statuses: string[] = [];
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      statuses = (JSON.parse((await get(first, '/debates', key)).text) as { status: string }[]).map((d) => d.status).sort();
      if (statuses.join() === 'awaiting_judges,completed,completed') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(statuses).toEqual(['awaiting_judges', 'completed', 'completed']);
    const assignments = JSON.parse((await get(first, '/assignments', first.judgeKey!)).text) as { awaiting: string | null }[];
    expect(assignments).toEqual([expect.objectContaining({ awaiting: 'judge-1' })]);
    const labels = (await get(first, '/labels', key)).text.trim().split('\n').filter(Boolean);
    expect(labels.length).toBeGreaterThan(0);
    // Ready, with metrics read from the embedded database.
    expect(JSON.parse((await get(first, '/ready', key)).text)).toEqual({
      status: 'ready',
      checks: { database: 'ok', migrations: 'ok', queue: 'ok' },
    });
    expect((await get(first, '/metrics', key)).text).toContain('tribunal_debates{status="completed"} 2');
    // The trainer role trains on the embedded database too (almost nothing held out, so the labels are trained on).
    const [dataset] = JSON.parse((await get(first, '/datasets', key)).text) as { id: string }[];
    const send = (method: string, path: string, body: unknown) =>
      fetch(first.url + path, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await send('PUT', `/datasets/${dataset!.id}/model-policy`, { heldOutFraction: 0.01 })).status).toBe(200);
    const job = (await (await send('POST', '/training-jobs', { datasetId: dataset!.id, settings: { steps: 60 } })).json()) as {
      id: string;
    };
    let training: { status: string; error: string | null; modelVersionId: string | null } = {
      status: 'queued',
      error: null,
      modelVersionId: null,
    };
    for (const until = Date.now() + 60_000; Date.now() < until && !['completed', 'failed'].includes(training.status);) {
      await new Promise((r) => setTimeout(r, 200));
      training = JSON.parse((await get(first, `/training-jobs/${job.id}`, key)).text);
    }
    expect(training.error).toBeNull();
    expect(training.status).toBe('completed');
    await first.app.close();

    const second = await startProcess(['api', 'worker', 'trainer'], env);
    try {
      expect(second.adminKey).toBeNull();
      expect(second.judgeKey).toBeNull();
      expect((await get(second, '/labels', key)).text.trim().split('\n')).toEqual(labels);
      expect(JSON.parse((await get(second, '/datasets', key)).text)).toEqual([expect.objectContaining({ name: 'demo-world', items: 30 })]);
    } finally {
      await second.app.close();
    }
  });
});
