import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startTestApp, userKey, type TestApp } from '../support/app.js';
import { labelledWorld, worldDisputes } from '../support/factories.js';
import { launch, newPage, signIn } from './browser.js';

describe('a researcher in the browser', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startTestApp(), launch()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('fixes a protocol the server refuses, launches a campaign, watches it finish, and compares protocols', async () => {
    const researcher = (await userKey(app, 'researcher')).key;
    await worldDisputes(app, researcher, { name: 'campaign-rooms', seed: 17, size: 8 });
    const page = await newPage(browser, 'researcher');
    await signIn(page, app.url, researcher);

    // Datasets: items with their simple labels and ground truth, and why each dispute was chosen.
    await page.getByRole('link', { name: 'campaign-rooms' }).click();
    await page
      .getByRole('cell', { name: /audit: random audit sample/ })
      .first()
      .waitFor();

    // The protocol editor: start from a preset, break it, read the refusal, fix it.
    await page.getByRole('link', { name: 'Protocols' }).click();
    await page.getByLabel('preset').selectOption('khan-2024-debate');
    await page.getByLabel('protocol name').fill('browser-khan');
    const spec = JSON.parse(await page.getByLabel('protocol spec').inputValue()) as Record<string, any>;
    spec.limits.chars = 5;
    await page.getByLabel('protocol spec').fill(JSON.stringify(spec, null, 2));
    await page.getByRole('button', { name: 'Save as a new version' }).click();
    await expect.poll(() => page.getByTestId('problems').innerText()).toContain('spec.limits.chars must not be less than 20');
    spec.limits.chars = 900;
    spec.judges = { count: 1, kind: 'simulated' };
    await page.getByLabel('protocol spec').fill(JSON.stringify(spec, null, 2));
    await page.getByRole('button', { name: 'Save as a new version' }).click();
    await page.getByText('Saved browser-khan version 1.').waitFor();

    // Launch a campaign over the dataset's open disputes and watch it complete.
    await page.getByRole('link', { name: 'Campaigns' }).click();
    await page.getByLabel('campaign name').fill('from the browser');
    await page.getByLabel('protocol').selectOption({ label: 'browser-khan v1' });
    await page.getByLabel('dataset').selectOption({ label: 'campaign-rooms' });
    await page.getByLabel('concurrency').fill('3');
    await page.getByRole('button', { name: 'Launch' }).click();
    await expect.poll(() => page.getByTestId('campaign-status').first().innerText(), { timeout: 60_000 }).toBe('completed');

    // The comparison: a row for the protocol, and its plots.
    await page.getByRole('link', { name: 'Compare' }).click();
    const row = page.getByTestId('compare-table').getByRole('row', { name: /browser-khan v1/ });
    await row.waitFor();
    const cells = await row.getByRole('cell').allInnerTexts();
    expect(cells[2]).toBe('8'); // debates
    expect(Number(cells[5])).toBeGreaterThanOrEqual(0); // accuracy, a number
    // Judge continues beside speeches per debater, as the API reports them (this protocol's judge answers once: 0.00).
    const compared = (await http(app, 'GET', '/analytics/protocols', researcher)).body as {
      protocol: { name: string };
      stats: { meanSpeechRounds: number; meanContinues: number };
    }[];
    const stats = compared.find((c) => c.protocol.name === 'browser-khan')!.stats;
    expect(cells[11]).toBe(stats.meanSpeechRounds.toFixed(1));
    expect(cells[12]).toBe(stats.meanContinues.toFixed(2));
    expect(await page.getByTestId('continues-chart').locator('rect').count()).toBe(1);
    expect(await page.getByTestId('reliability').locator('circle').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('accuracy-chart').locator('rect').count()).toBe(1);
    expect(await page.getByTestId('time-chart').locator('rect').count()).toBe(1);

    // The labels the campaign produced, accumulating.
    await page.getByRole('link', { name: 'Labels' }).click();
    await expect.poll(() => page.getByTestId('label-counts').innerText()).toMatch(/^[1-8] labels: \d+ agree with the simple label/);
    expect(await page.getByTestId('line-chart').count()).toBe(1);
  });

  it('trains a model, follows its curves, compares it with the baseline where simple labels are wrong, and promotes it', async () => {
    const researcher = (await userKey(app, 'researcher')).key;
    await labelledWorld(app, researcher, { name: 'model-rooms', seed: 23, size: 60 }, 0.7, 60_000);

    const page = await newPage(browser, 'researcher');
    await signIn(page, app.url, researcher);
    await page.getByRole('link', { name: 'Models' }).click();
    await page.getByLabel('model dataset').selectOption({ label: 'model-rooms' });
    await page.getByLabel('steps').fill('200');
    await page.getByLabel('hidden widths').fill('32');
    await page.getByRole('button', { name: 'Train' }).click();
    await expect.poll(() => page.getByTestId('training-status').first().innerText(), { timeout: 60_000 }).toBe('completed');
    // Curves of held-out accuracy for both heads and the baseline, and of the losses.
    expect(await page.getByTestId('accuracy-curves').locator('polyline').count()).toBe(3);
    expect(await page.getByTestId('loss-curves').locator('polyline').count()).toBe(2);
    // The version, with bars for every head on held-out items and where the simple label is wrong.
    const row = page.getByTestId('versions').getByRole('row', { name: /candidate/ });
    await row.waitFor();
    expect(await page.getByTestId('simple-wrong-bars').locator('rect').count()).toBe(4);
    await row.getByRole('button', { name: 'Promote' }).click();
    await expect.poll(() => page.getByTestId('model-message').innerText()).toMatch(/is active; re-scoring the dataset/);
    await expect
      .poll(
        () =>
          page
            .getByTestId('versions')
            .getByRole('row', { name: /active/ })
            .count(),
        { timeout: 10_000 },
      )
      .toBe(1);
  });

  it('shows a kept experiment: its table and its comparisons', async () => {
    const researcher = (await userKey(app, 'researcher')).key;
    // Kept before results had a schema version: the page still shows its table and its two comparisons.
    const legacy = await http(app, 'POST', '/experiments', researcher, {
      name: 'browser-experiment-old',
      config: { seed: 1 },
      results: {
        comparison: {
          protocols: ['direct', 'consultancy', 'debate'].map((kind, i) => ({
            kind,
            judge: { accuracy: 0.5 + i * 0.2 },
            labels: { accuracy: 0.9 },
          })),
        },
        model: {
          evaluation: {
            simpleWrong: { items: 12, intended: { accuracy: 0.5 }, instrumental: { accuracy: 0.4 }, baseline: { accuracy: 0.1 } },
          },
        },
      },
      summary: 'Judges and labels by protocol (a table)',
    });
    expect(legacy.status, legacy.text).toBe(201);
    const kept = await http(app, 'POST', '/experiments', researcher, {
      name: 'browser-experiment',
      config: experimentFixture.config,
      results: experimentFixture,
      summary: 'Methods on held-out rooms (the table as text)',
    });
    expect(kept.status, kept.text).toBe(201);

    const page = await newPage(browser, 'researcher');
    await signIn(page, app.url, researcher);
    await page.getByRole('link', { name: 'Experiments' }).click();
    await page.getByRole('link', { name: 'browser-experiment', exact: true }).click();
    const experiment = page.getByTestId('experiment');
    await experiment.getByRole('heading', { name: 'browser-experiment', exact: true }).waitFor();

    // The method table, per regime and world: accuracy with its interval on all held-out rooms and where the simple label is wrong, and PGR.
    const methods = (world: string, regime: string) =>
      page.locator(`[data-testid="experiment-methods"][data-world="${world}"][data-regime="${regime}"]`);
    expect(await page.getByTestId('method-table').count()).toBe(4);
    const table = methods('default', 'default').getByTestId('method-table');
    expect(await table.getByRole('row').count()).toBe(8); // a header and seven methods
    const twoHead = await table
      .getByRole('row', { name: /two-head \(intended\)/ })
      .getByRole('cell')
      .allInnerTexts();
    expect(twoHead[1]).toBe('0.900 [0.88, 0.92] (1170/1300)');
    expect(twoHead[2]).toBe('0.678 [0.61, 0.74] (122/180)');
    expect(twoHead[3]).toBe('0.73'); // (0.678 − 0.100) / (0.889 − 0.100)
    const firstColumn = (await table.getByRole('row').allInnerTexts()).slice(1).map((r) => r.split('\t')[0]);
    expect(firstColumn).toEqual([
      'naive (simple labels)',
      'complex-only',
      'mixture',
      'two-head (intended)',
      'two-head, λ = 0',
      'two-head, μ = 0',
      'oracle (ground truth)',
    ]);
    expect(await methods('default', 'default').getByTestId('experiment-rooms').innerText()).toBe(
      '(1300 held-out rooms, 180 with a wrong simple label)',
    );
    // The verdicts: whether the two-head model beats the best single head, with the difference and its interval.
    expect(await methods('default', 'default').getByTestId('verdict').innerText()).toBe(
      'The two-head model beats the best single head (mixture) where the simple label is wrong: difference +0.117, 95% interval [+0.017, +0.216].',
    );
    expect(await methods('hide-often', 'simple-labels').getByTestId('verdict').innerText()).toContain(
      'loses to the best single head (mixture) where the simple label is wrong: difference −0.115, 95% interval [−0.200, −0.031]',
    );
    expect(await page.getByTestId('experiment-verdicts').getByRole('listitem').allInnerTexts()).toHaveLength(4);
    expect(await page.getByTestId('experiment-verdicts').innerText()).toContain(
      'hide-often, regime default: The two-head model cannot be told apart from',
    );

    // The plots: methods where the simple label is wrong (per world and regime), judges by protocol (per world), the loop by round.
    const methodBars = methods('default', 'simple-labels').getByTestId('methods-chart');
    expect(await methodBars.locator('rect').count()).toBe(7);
    expect(await methodBars.locator('path.whisker').count()).toBe(7);
    expect(await methodBars.locator('text').allTextContents()).toContain('two-head (intended): 0.78 [0.71, 0.83]');
    expect(await page.getByTestId('methods-chart').count()).toBe(4);
    const judges = page.getByTestId('experiment-judges').getByTestId('judges-chart');
    expect(await judges.count()).toBe(2);
    expect(await judges.first().locator('rect').count()).toBe(3);
    expect(await judges.first().locator('path.whisker').count()).toBe(3);
    expect(await judges.first().locator('text').allTextContents()).toEqual([
      'direct: 0.60 [0.42, 0.75]',
      'consultancy: 0.83 [0.66, 0.93]',
      'debate: 0.90 [0.74, 0.97]',
    ]);
    const judgeRow = await page
      .getByTestId('experiment-judges-table')
      .getByRole('row', { name: /hide-often\s+debate/ })
      .getByRole('cell')
      .allInnerTexts();
    expect(judgeRow[4]).toBe('0.833 [0.66, 0.93] (25/30)');
    const rounds = page.getByTestId('experiment-rounds').getByTestId('rounds-chart');
    expect(await rounds.count()).toBe(2);
    expect(await rounds.first().locator('polyline').count()).toBe(2); // adjudicated and label accuracy
    expect(await rounds.first().locator('circle').count()).toBe(4); // two rounds each

    // The loop per world: adjudicated (mean, max), labels kept, label accuracy, contamination, disputes on held-out rooms.
    const loop = await page
      .getByTestId('experiment-loop')
      .getByRole('row', { name: /^default/ })
      .getByRole('cell')
      .allInnerTexts();
    expect(loop).toEqual(['default', '1, 2', '9.8%', '10.0%', '186', '0.860', '120', '6', '5.00%', '0']);

    // The table as text, folded away.
    await page.getByText('The table as text', { exact: true }).click();
    expect(await page.getByTestId('experiment-table').innerText()).toBe('Methods on held-out rooms (the table as text)');

    // The old experiment still renders.
    await page.getByRole('link', { name: 'browser-experiment-old' }).click();
    await expect.poll(() => page.getByTestId('experiment-table').innerText()).toBe('Judges and labels by protocol (a table)');
    expect(await page.getByTestId('experiment-judges').locator('rect').count()).toBe(3);
    expect(await page.getByTestId('experiment-model').locator('text').allTextContents()).toEqual([
      'intended head: 0.50',
      'instrumental head: 0.40',
      'naive baseline: 0.10',
    ]);
  });
});

/** Wilson 95% interval, as the experiment's results carry it. */
function wilson(correct: number, n: number): [number, number] {
  const p = correct / n;
  const z2 = 1.96 ** 2;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (1.96 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

const METHODS = ['naive', 'complex-only', 'mixture', 'two-head', 'two-head-lambda0', 'two-head-mu0', 'oracle'];

/** Every method's scores from its correct counts (in METHODS order), on `all` held-out rooms and `wrong` with a wrong simple label. */
function methodResults(all: number, allCorrect: number[], wrong: number, wrongCorrect: number[]) {
  const score = (correct: number, items: number) => ({ items, correct, accuracy: correct / items, interval: wilson(correct, items) });
  const [naive, oracle] = [wrongCorrect[0]! / wrong, wrongCorrect[6]! / wrong];
  return Object.fromEntries(
    METHODS.map((name, i) => [
      name,
      {
        heldOut: score(allCorrect[i]!, all),
        simpleWrong: score(wrongCorrect[i]!, wrong),
        pgr: (wrongCorrect[i]! / wrong - naive) / (oracle - naive),
      },
    ]),
  );
}

/** A small `tribunal experiment` result (schemaVersion 2): two worlds, two seeds, two regimes, all seven methods, two rounds. */
const experimentFixture = (() => {
  const heldOutAll = [1120, 1050, 1130, 1170, 1140, 1135, 1265];
  const worlds = [
    {
      world: 'default',
      wrong: 180,
      regimes: {
        default: [18, 95, 101, 122, 104, 99, 160],
        'simple-labels': [18, 95, 101, 140, 110, 121, 160],
      },
      verdicts: {
        default: { best: 'mixture', difference: 0.11666666666666667, interval: [0.017083096148499524, 0.21625023718483388], says: 'beats' },
        'simple-labels': {
          best: 'mixture',
          difference: 0.21666666666666667,
          interval: [0.12209060877132343, 0.3112427245620099],
          says: 'beats',
        },
      },
      training: {
        adjudicated: { mean: 0.098, max: 0.1 },
        disputesOnHeldOut: 0,
        labels: 186,
        labelAccuracy: 0.86,
        small: 120,
        smallWrong: 6,
        contamination: 0.05,
      },
      rounds: [
        { round: 1, source: 'audit', adjudicated: 0.05, labels: 98, labelAccuracy: 0.84 },
        { round: 2, source: 'model', adjudicated: 0.098, labels: 88, labelAccuracy: 0.88 },
      ],
      judges: [
        [18, 30],
        [25, 30],
        [27, 30],
      ],
    },
    {
      world: 'hide-often',
      wrong: 260,
      regimes: {
        default: [26, 120, 130, 128, 118, 121, 230],
        'simple-labels': [26, 120, 130, 100, 96, 128, 230],
      },
      verdicts: {
        default: {
          best: 'mixture',
          difference: -0.007692307692307665,
          interval: [-0.09363890753534375, 0.07825429215072842],
          says: 'cannot be told apart from',
        },
        'simple-labels': {
          best: 'mixture',
          difference: -0.11538461538461536,
          interval: [-0.20018425339794432, -0.030584977371286404],
          says: 'loses to',
        },
      },
      training: {
        adjudicated: { mean: 0.097, max: 0.099 },
        disputesOnHeldOut: 0,
        labels: 181,
        labelAccuracy: 0.74,
        small: 90,
        smallWrong: 14,
        contamination: 0.156,
      },
      rounds: [
        { round: 1, source: 'audit', adjudicated: 0.05, labels: 97, labelAccuracy: 0.7 },
        { round: 2, source: 'model', adjudicated: 0.097, labels: 84, labelAccuracy: 0.79 },
      ],
      judges: [
        [14, 30],
        [20, 30],
        [25, 30],
      ],
    },
  ];
  const regimeNames = ['default', 'simple-labels'] as const;
  const half = (xs: number[]) => xs.map((x) => Math.round(x / 2));
  return {
    schemaVersion: 2,
    config: {
      name: 'browser-experiment',
      seeds: [1, 2],
      worlds: [
        { name: 'default', params: {} },
        { name: 'hide-often', params: { hideProbability: 0.6 } },
      ],
      comparison: { rooms: 30 },
      training: {
        rooms: 2600,
        heldOutFraction: 0.25,
        budget: 0.1,
        rounds: 2,
        firstRound: 0.5,
        audit: 0.02,
        architecture: {},
        settings: { steps: 1000 },
        methods: METHODS.filter((m) => m !== 'naive' && m !== 'two-head'),
        regimes: [
          { name: 'default', settings: {} },
          { name: 'simple-labels', settings: { mu: 1 } },
        ],
      },
      judges: 1,
      concurrency: 16,
    },
    comparisons: worlds.map((w) => ({
      world: w.world,
      rooms: 30,
      simpleLabelAccuracy: 0.72,
      protocols: ['direct', 'consultancy', 'debate'].map((kind, i) => {
        const [correct, judged] = w.judges[i]!;
        return {
          kind,
          protocol: `browser-experiment-${kind}`,
          debates: 30,
          failed: 0,
          judge: { accuracy: correct! / judged!, correct, judged, ece: 0.08, brier: 0.17, reliability: [] },
          labels: { count: 30, accuracy: correct! / judged!, adjudicated: 1 },
        };
      }),
    })),
    runs: worlds.flatMap((w) =>
      [1, 2].map((seed) => ({
        world: w.world,
        seed,
        datasetId: `dataset-${w.world}-${seed}`,
        rooms: 2600,
        trainingRooms: 1950,
        heldOutRooms: 650,
        heldOutSimpleWrong: w.wrong / 2,
        simpleLabelAccuracy: 0.86,
        rounds: w.rounds.map((r) => ({ ...r, disputes: Math.round(r.labels / 2), onHeldOut: 0, labels: Math.round(r.labels / 2) })),
        training: {
          ...w.training,
          adjudicated: w.training.adjudicated.mean,
          labels: w.training.labels / 2,
          small: w.training.small / 2,
          smallWrong: w.training.smallWrong / 2,
          overturned: 30,
        },
        regimes: regimeNames.map((name) => ({
          name,
          settings: { steps: 1000, seed, ...(name === 'simple-labels' ? { mu: 1 } : {}) },
          modelVersionId: `version-${w.world}-${seed}-${name}`,
          methods: methodResults(650, half(heldOutAll), w.wrong / 2, half(w.regimes[name])),
        })),
      })),
    ),
    worlds: worlds.map((w) => ({
      world: w.world,
      seeds: [1, 2],
      heldOutRooms: 1300,
      heldOutSimpleWrong: w.wrong,
      training: w.training,
      rounds: w.rounds,
      regimes: regimeNames.map((name) => ({
        name,
        methods: methodResults(1300, heldOutAll, w.wrong, w.regimes[name]),
        verdict: w.verdicts[name],
      })),
    })),
    seconds: 1840,
  };
})();
