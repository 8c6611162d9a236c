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
    const protocols = ['direct', 'consultancy', 'debate'].map((kind, i) => ({
      kind,
      judge: { accuracy: 0.5 + i * 0.2 },
      labels: { accuracy: 0.9 },
    }));
    const simpleWrong = { items: 12, intended: { accuracy: 0.5 }, instrumental: { accuracy: 0.4 }, baseline: { accuracy: 0.1 } };
    const kept = await http(app, 'POST', '/experiments', researcher, {
      name: 'browser-experiment',
      config: { seed: 1 },
      results: { comparison: { protocols }, model: { evaluation: { simpleWrong } } },
      summary: 'Judges and labels by protocol (a table)',
    });
    expect(kept.status, kept.text).toBe(201);
    const page = await newPage(browser, 'researcher');
    await signIn(page, app.url, researcher);
    await page.getByRole('link', { name: 'Experiments' }).click();
    await expect.poll(() => page.getByTestId('experiment-table').innerText()).toBe('Judges and labels by protocol (a table)');
    expect(await page.getByTestId('experiment-judges').locator('rect').count()).toBe(3);
    expect(await page.getByTestId('experiment-model').locator('text').allTextContents()).toEqual([
      'intended head: 0.50',
      'instrumental head: 0.40',
      'naive baseline: 0.10',
    ]);
  });
});
