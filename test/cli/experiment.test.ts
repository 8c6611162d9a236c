import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { http, startTestApp, userKey } from '../support/app.js';
import { tribunal } from '../support/cli.js';
import { assignedAnswer, FakeLlm, firstEvidenceId } from '../support/fake-llm.js';

describe('tribunal experiment', () => {
  it('runs the loop headless on an embedded database, writes its table, plots and results, and does it again the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tribunal-experiment-test-'));
    const config = join(dir, 'tiny.yaml');
    writeFileSync(
      config,
      'name: tiny\nseed: 3\ncomparison: { rooms: 6 }\ntraining: { rooms: 50, auditFraction: 0.7, settings: { steps: 80 } }\n',
    );
    const out = join(dir, 'out');
    const run = await tribunal(['experiment', config, '--out', out], {});
    expect(run.stderr).not.toMatch(/tribunal:/);
    expect(run.code).toBe(0);
    for (const kind of ['direct', 'consultancy', 'debate'])
      expect(run.stdout).toMatch(new RegExp(`^${kind}\\s+6\\s+0\\s+\\d\\.\\d{3}`, 'm'));
    expect(run.stdout).toMatch(/^intended head\s+\d\.\d{3}/m);
    expect(run.stdout).toMatch(/^naive baseline\s+\d\.\d{3}/m);
    expect(run.stdout).toMatch(/complex-process labels: \d\.\d{3} correct/);
    expect(readdirSync(out).sort()).toEqual([
      'calibration.svg',
      'judges.svg',
      'labels.svg',
      'model.svg',
      'results.json',
      'table.txt',
      'training.svg',
    ]);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(results.comparison.protocols.map((p: { kind: string }) => p.kind)).toEqual(['direct', 'consultancy', 'debate']);
    expect(results.training.rooms).toBe(50);
    expect(results.model.evaluation.simpleWrong.items).toBeGreaterThanOrEqual(0);
    expect(results.model.progress.at(-1).step).toBe(80);
    expect(readFileSync(join(out, 'model.svg'), 'utf8')).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(readFileSync(join(out, 'table.txt'), 'utf8')).toBe(
      run.stdout.slice(run.stdout.indexOf('Judges and labels'), run.stdout.indexOf('\n\nplots and results')) + '\n',
    );
    // Seeded: the same config gives the same table (the model's name carries the date).
    const again = await tribunal(['experiment', config, '--out', join(dir, 'again')], {});
    expect(again.code).toBe(0);
    const masked = (file: string) => readFileSync(file, 'utf8').replace(/^Model \S+,/m, 'Model,');
    expect(masked(join(dir, 'again', 'table.txt'))).toBe(masked(join(out, 'table.txt')));
  }, 180_000);

  it('puts language models in the debates when the config names an endpoint', async () => {
    const llm = await new FakeLlm((request) => ({
      text: `The answer is "${assignedAnswer(request)}": see [[${firstEvidenceId(request)}]].`,
    })).start();
    try {
      const dir = mkdtempSync(join(tmpdir(), 'tribunal-experiment-llm-'));
      const config = join(dir, 'llm.yaml');
      writeFileSync(
        config,
        [
          'name: llm',
          'seed: 5',
          'comparison: { rooms: 4 }',
          'training: { rooms: 20, auditFraction: 0.5, settings: { steps: 10 } }',
          'protocols:',
          '  debate:',
          '    debaters: [{ backend: openai, endpoint: local, model: m1 }, { backend: openai, endpoint: local, model: m1 }]',
        ].join('\n'),
      );
      const run = await tribunal(['experiment', config, '--out', join(dir, 'out')], {
        TRIBUNAL_ENDPOINTS: JSON.stringify({ local: { baseUrl: llm.url, timeoutSeconds: 10 } }),
      });
      expect(run.stderr).not.toMatch(/tribunal:/);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^debate\s+4\s+0\s+\d\.\d{3}/m);
      // Every debate of the comparison and of the training world was argued by the model: two seats, several speeches each.
      expect(llm.speechRequests.length).toBeGreaterThanOrEqual(2 * 4);
      expect(llm.speechRequests.every((r) => r.model === 'm1')).toBe(true);
      const results = JSON.parse(readFileSync(join(dir, 'out', 'results.json'), 'utf8'));
      expect(results.config.protocols.debate.changes.debaters[0]).toEqual({ backend: 'openai', endpoint: 'local', model: 'm1' });
    } finally {
      await llm.stop();
    }
  }, 180_000);

  it('runs on a running Tribunal, which keeps the results', async () => {
    const app = await startTestApp();
    try {
      const researcher = (await userKey(app, 'researcher')).key;
      const dir = mkdtempSync(join(tmpdir(), 'tribunal-experiment-test-'));
      const config = join(dir, 'remote.yaml');
      writeFileSync(
        config,
        'name: remote\nseed: 4\ncomparison: { rooms: 4 }\ntraining: { rooms: 40, auditFraction: 0.7, settings: { steps: 60 } }\n',
      );
      const run = await tribunal(['experiment', config, '--out', join(dir, 'out'), '--url', app.url, '--key', researcher], {});
      expect(run.stderr).not.toMatch(/tribunal:/);
      expect(run.code).toBe(0);
      const stored = (await http(app, 'GET', '/experiments', researcher)).body;
      expect(stored).toHaveLength(1);
      expect(stored[0].name).toBe('remote');
      expect(`${stored[0].summary}\n`).toBe(readFileSync(join(dir, 'out', 'table.txt'), 'utf8'));
      expect(stored[0].results.training.rooms).toBe(40);
      const judge = (await userKey(app, 'judge')).key;
      expect((await http(app, 'GET', '/experiments', judge)).status).toBe(403);
    } finally {
      await app.close();
    }
  }, 120_000);

  it('refuses a bad config, naming each problem', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tribunal-experiment-test-'));
    const config = join(dir, 'bad.yaml');
    writeFileSync(config, 'seed: -1\ncomparison: { rooms: 0 }\nprotocols: { debate: { preset: nope } }\ncolour: red\n');
    const run = await tribunal(['experiment', config], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('colour is not an experiment field');
    expect(run.stderr).toContain('seed must be an integer from 0');
    expect(run.stderr).toContain('comparison.rooms must be an integer from 1');
    expect(run.stderr).toContain('protocols.debate.preset must be one of');
  });
});
