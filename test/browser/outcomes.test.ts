import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, http, sql, startTestApp, userKey, type TestApp } from '../support/app.js';
import { protocol, startDebate, worldDisputes } from '../support/factories.js';
import { launch, newPage, recordTraffic, signIn } from './browser.js';

describe('a judge learns from outcomes in the browser', () => {
  let app: TestApp;
  let browser: Browser;
  let researcher: string;
  let disputes: { id: string; itemId: string }[];
  let protocolId: string;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startTestApp(), launch()]);
    researcher = (await userKey(app, 'researcher')).key;
    ({ disputes } = await worldDisputes(app, researcher, { name: 'browser-outcomes', seed: 17, size: 6 }));
    protocolId = await protocol(app, researcher, 'browser-outcomes', { judges: { count: 1, kind: 'human' } });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('answers a built-in debate, sees its outcome once nothing on the item is open to them, then their record', async () => {
    const judge = await userKey(app, 'judge');
    const [{ truth, answers }] = await sql<{ truth: number; answers: string[] }>(
      app,
      'SELECT ground_truth AS truth, answers FROM items WHERE id = $1',
      [disputes[0]!.itemId],
    );
    // Two debates on the same item, both for this judge: the first one's outcome waits for the second.
    const first = await startDebate(app, researcher, { disputeId: disputes[0]!.id, protocolId, judgeIds: [judge.id] });
    const second = await startDebate(app, researcher, { disputeId: disputes[0]!.id, protocolId, judgeIds: [judge.id] });
    const page = await newPage(browser, 'judge-outcomes');
    const traffic = recordTraffic(page);
    await signIn(page, app.url, judge.key);
    await page.goto(`${app.url}/#/debates/${first}`);

    const panel = page.getByTestId('judge-panel');
    await panel.getByRole('button', { name: 'Submit' }).click({ timeout: 20_000 });
    await page.getByRole('heading', { name: 'Your verdict' }).waitFor({ timeout: 20_000 });
    await panel.getByLabel(`probability of ${answers[truth]}`).fill('800');
    await panel.getByRole('button', { name: 'Submit' }).click();
    await expect.poll(() => page.getByTestId('debate').getAttribute('data-status'), { timeout: 20_000 }).toBe('completed');

    // Ended and labelled, but the second debate on the item is open to this judge: nothing is shown, nothing was sent.
    await page.getByTestId('outcome-withheld').waitFor();
    expect(await page.getByTestId('outcome').innerText()).not.toContain('The truth');
    // What the server sent: JSON bodies and socket.io frames, not the app's own code.
    await expect.poll(() => traffic.some((t) => t.includes('"withheld":1'))).toBe(true);
    const before = traffic.filter((t) => /^[\d{[]/.test(t)).join('\n');
    for (const field of ['"truth"', '"settledAnswer"', '"reward"', 'outcomes.revealed']) expect(before).not.toContain(field);

    // The judge answers the second debate elsewhere (over HTTP); its end reveals both, and the open page shows it.
    for (const stage of ['judge-1', 'final']) {
      await eventually(stage, async () => (await http(app, 'GET', `/debates/${second}`, judge.key)).body.awaiting?.stage === stage);
      const probabilities = answers.map((_, i) => (i === truth ? 0.6 : 0.4 / (answers.length - 1)));
      expect((await http(app, 'POST', `/debates/${second}/verdicts`, judge.key, { stage, probabilities })).status).toBe(200);
    }
    const outcome = page.getByTestId('outcome');
    await outcome.getByTestId('truth').waitFor({ timeout: 20_000 });
    expect(await outcome.getByTestId('truth').innerText()).toBe(answers[truth]);
    expect(await outcome.getByTestId('correct').innerText()).toBe('right');
    const [{ label }] = await sql<{ label: number }>(
      app,
      'SELECT answer AS label FROM labels WHERE item_id = $1 ORDER BY seq DESC LIMIT 1',
      [disputes[0]!.itemId],
    );
    expect(await outcome.getByTestId('settled-answer').innerText()).toBe(answers[label]);
    // log2(0.8) − 0.05 for the one round continued.
    expect(await outcome.getByTestId('reward').innerText()).toMatch(new RegExp(`^${(Math.log2(0.8) - 0.05).toFixed(2)} `));

    // The record page: both debates, accuracy and reward over them, calibration drawn.
    await page.getByRole('link', { name: 'My record' }).click();
    await expect.poll(() => page.getByTestId('record-settled').innerText()).toBe('2');
    expect(await page.getByTestId('record-accuracy').innerText()).toBe('1.00');
    const meanReward = (Math.log2(0.8) - 0.05 + Math.log2(0.6) - 0.05) / 2;
    expect(await page.getByTestId('record-reward').innerText()).toBe(meanReward.toFixed(2));
    expect(await page.getByTestId('reliability').locator('circle').count()).toBe(2);
    expect(await page.getByTestId('accuracy-over-time').locator('circle').count()).toBe(2);
    await page.getByTestId(`outcome-${first}`).locator('summary').click();
    expect(await page.getByTestId(`outcome-${first}`).getByTestId('truth').innerText()).toBe(answers[truth]);
  });
});
