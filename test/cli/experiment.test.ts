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
      [
        'name: tiny',
        'seeds: [3]',
        'worlds: { default: {}, hide-often: { hideProbability: 0.6 } }',
        'comparison: { rooms: 6 }',
        'training: { rooms: 160, budget: 0.2, settings: { steps: 60 }, regimes: { default: {} } }',
      ].join('\n'),
    );
    const out = join(dir, 'out');
    const run = await tribunal(['experiment', config, '--out', out], {});
    expect(run.stderr).not.toMatch(/tribunal:/);
    expect(run.code).toBe(0);
    for (const world of ['default', 'hide-often'])
      for (const kind of ['direct', 'consultancy', 'debate'])
        expect(run.stdout).toMatch(new RegExp(`^${world}\\s+${kind}\\s+6\\s+0\\s+\\d\\.\\d{3} \\[`, 'm'));
    for (const method of ['naive \\(simple labels\\)', 'complex-only', 'mixture', 'two-head \\(intended\\)', 'oracle \\(ground truth\\)'])
      expect(run.stdout).toMatch(new RegExp(`^\\s+${method}\\s+\\d\\.\\d{3} \\[\\d\\.\\d\\d, \\d\\.\\d\\d\\]`, 'm'));
    expect(run.stdout).toMatch(
      /^ {2}default, regime default: the two-head model (beats|loses to|cannot be told apart from) the best single head/m,
    );
    expect(readdirSync(out).sort()).toEqual([
      'calibration.svg',
      'judges.svg',
      'methods-default.svg',
      'results.json',
      'round-labels.svg',
      'rounds.svg',
      'table.txt',
    ]);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(results.schemaVersion).toBe(2);
    expect(results.comparisons.map((c: { world: string }) => c.world)).toEqual(['default', 'hide-often']);
    expect(results.comparisons[0].protocols.map((p: { kind: string }) => p.kind)).toEqual(['direct', 'consultancy', 'debate']);
    expect(results.runs).toHaveLength(2);
    for (const r of results.runs) {
      expect(r.rooms).toBe(160);
      // The budget holds over both rounds, and no held-out room is ever disputed.
      expect(r.training.adjudicated).toBeGreaterThan(0);
      expect(r.training.adjudicated).toBeLessThanOrEqual(0.2);
      expect(r.training.disputesOnHeldOut).toBe(0);
      expect(r.rounds.map((round: { source: string }) => round.source)).toEqual(['audit', 'model']);
      expect(Object.keys(r.regimes[0].methods).sort()).toEqual(
        ['complex-only', 'mixture', 'naive', 'oracle', 'two-head', 'two-head-lambda0', 'two-head-mu0'].sort(),
      );
    }
    const pooled = results.worlds[0];
    expect(pooled.heldOutRooms).toBe(results.runs[0].heldOutRooms);
    expect(pooled.regimes[0].methods.oracle.pgr).toBe(1);
    expect(pooled.regimes[0].methods.naive.pgr).toBe(0);
    expect(readFileSync(join(out, 'methods-default.svg'), 'utf8')).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(readFileSync(join(out, 'table.txt'), 'utf8')).toBe(
      run.stdout.slice(run.stdout.indexOf('tiny:'), run.stdout.indexOf('\n\nplots and results')) + '\n',
    );
    // Seeded: the same config gives the same table. With --json, standard output is results.json's document and nothing else.
    const again = await tribunal(['experiment', config, '--out', join(dir, 'again'), '--json'], {});
    expect(again.code).toBe(0);
    expect(readFileSync(join(dir, 'again', 'table.txt'), 'utf8')).toBe(readFileSync(join(out, 'table.txt'), 'utf8'));
    const printed = JSON.parse(again.stdout);
    expect(printed).toEqual(JSON.parse(readFileSync(join(dir, 'again', 'results.json'), 'utf8')));
    // The same figures as the first run's (protocol names carry each run's id).
    type Comparison = { protocols: { protocol: string }[] };
    const figures = (comparisons: Comparison[]) =>
      comparisons.map((c) => ({ ...c, protocols: c.protocols.map(({ protocol: _, ...outcome }) => outcome) }));
    expect(figures(printed.comparisons)).toEqual(figures(results.comparisons));
    expect(printed.worlds[0].regimes[0].methods.oracle.simpleWrong).toEqual(pooled.regimes[0].methods.oracle.simpleWrong);
    expect(again.stderr).toContain(`plots and results in ${join(dir, 'again')}`);
  }, 300_000);

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
          'seeds: [5]',
          'comparison: { rooms: 4 }',
          'training: { rooms: 24, budget: 0.5, rounds: 1, settings: { steps: 10 }, regimes: { default: {} } }',
          'protocols:',
          '  debate:',
          '    debaters: [{ backend: openai, endpoint: local, model: m1 }, { backend: openai, endpoint: local, model: m1 }]',
          // The fake model's speeches cite one reading each: the judge seldom reaches the presets' 0.99.
          '    adjudication: { method: mean, threshold: 0.5 }',
        ].join('\n'),
      );
      const run = await tribunal(['experiment', config, '--out', join(dir, 'out')], {
        TRIBUNAL_ENDPOINTS: JSON.stringify({ local: { baseUrl: llm.url, timeoutSeconds: 10 } }),
      });
      expect(run.stderr).not.toMatch(/tribunal:/);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^default\s+debate\s+4\s+0\s+\d\.\d{3}/m);
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
        'name: remote\nseeds: [4]\ncomparison: { rooms: 4 }\ntraining: { rooms: 40, budget: 0.5, settings: { steps: 60 }, regimes: { default: {} } }\n',
      );
      const run = await tribunal(['experiment', config, '--out', join(dir, 'out'), '--url', app.url, '--key', researcher], {});
      expect(run.stderr).not.toMatch(/tribunal:/);
      expect(run.code).toBe(0);
      const stored = (await http(app, 'GET', '/experiments', researcher)).body;
      expect(stored).toHaveLength(1);
      expect(stored[0].name).toBe('remote');
      expect(`${stored[0].summary}\n`).toBe(readFileSync(join(dir, 'out', 'table.txt'), 'utf8'));
      expect(stored[0].results.runs[0].rooms).toBe(40);
      const judge = (await userKey(app, 'judge')).key;
      expect((await http(app, 'GET', '/experiments', judge)).status).toBe(403);
    } finally {
      await app.close();
    }
  }, 120_000);

  it('refuses a bad config, naming each problem', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tribunal-experiment-test-'));
    const config = join(dir, 'bad.yaml');
    writeFileSync(
      config,
      'seeds: [-1]\ncomparison: { rooms: 0 }\ntraining: { budget: 2, methods: [astrology] }\nprotocols: { debate: { preset: nope } }\ncolour: red\n',
    );
    const run = await tribunal(['experiment', config], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('colour is not an experiment field');
    expect(run.stderr).toContain('seeds must be a non-empty list of integers');
    expect(run.stderr).toContain('training.budget must be a number above 0 and at most 1, got 2');
    expect(run.stderr).toContain('training.methods must be a list of');
    expect(run.stderr).toContain('comparison.rooms must be an integer from 1');
    expect(run.stderr).toContain('protocols.debate.preset must be one of');
  });
});
