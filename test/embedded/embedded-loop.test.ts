import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startProcess, type RunningProcess } from '../../apps/cli/src/run-process.js';

async function get(running: RunningProcess, path: string, key: string) {
  const response = await fetch(running.url + path, { headers: { authorization: `Bearer ${key}` } });
  return { status: response.status, text: await response.text() };
}

describe('the whole platform on the embedded database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tribunal-loop-'));
  const env = { TRIBUNAL_DATA_DIR: dir, PORT: '0', LOG_LEVEL: 'warn', TRIBUNAL_DEMO_SIZE: '30', TRIBUNAL_DEMO_DEBATES: '2' };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the demo loop on first start, and keeps everything across a restart', async () => {
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
