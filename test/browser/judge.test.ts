import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DebateGateway } from '../../apps/api/src/socket/debate.gateway.js';
import { http, startTestApp, userKey, type TestApp } from '../support/app.js';
import { protocol, startDebate, worldDisputes } from '../support/factories.js';
import { launch, newPage, recordTraffic, signIn } from './browser.js';

describe('a judge in the browser', () => {
  let app: TestApp;
  let browser: Browser;
  let researcher: string;
  let disputes: { id: string; itemId: string }[];
  let protocolId: string;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startTestApp(), launch()]);
    researcher = (await userKey(app, 'researcher')).key;
    ({ disputes } = await worldDisputes(app, researcher, { name: 'browser', seed: 13, size: 12 }));
    protocolId = await protocol(app, researcher, 'browser-live', { judges: { count: 1, kind: 'human' } });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('follows a live debate, sees verified citations on the room, and gives probabilities then a verdict', async () => {
    const judge = await userKey(app, 'judge');
    const page = await newPage(browser, 'judge-live');
    const traffic = recordTraffic(page);
    await signIn(page, app.url, judge.key);
    const debateId = await startDebate(app, researcher, { disputeId: disputes[0]!.id, protocolId, judgeIds: [judge.id] });

    // The debate appears in the queue, waiting for the judge, once the first round is spoken.
    await page.getByTestId('queue-waiting').getByRole('link').first().click({ timeout: 20_000 });
    await page.getByTestId('turn-1').waitFor();
    expect(await page.getByTestId('turn-0').locator('.cite.verified').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('room').locator('[data-testid^="revealed-"]').count()).toBeGreaterThan(0);
    await page.getByTestId('turn-0').locator('.cite').first().hover();
    await expect.poll(() => page.getByTestId('highlight').count()).toBe(1);

    // Probabilities always sum to 1, whatever the sliders do.
    const panel = page.getByTestId('judge-panel');
    await panel.getByLabel(`probability of 2`).fill('700');
    const shown = await Promise.all([0, 1, 2, 3, 4].map((i) => panel.getByTestId(`p-${i}`).innerText()));
    expect(shown[2]).toBe('70%');
    expect(Math.abs(shown.reduce((sum, s) => sum + parseInt(s, 10), 0) - 100)).toBeLessThanOrEqual(2);
    await panel.getByRole('button', { name: 'Submit' }).click();

    // The second round streams in; then the final verdict.
    await page.getByTestId('turn-3').waitFor({ timeout: 20_000 });
    await page.getByRole('heading', { name: 'Your verdict' }).waitFor();
    await page.getByTestId('judge-panel').getByLabel('probability of 1').fill('900');
    await page.getByTestId('judge-panel').getByRole('button', { name: 'Submit' }).click();
    await expect.poll(() => page.getByTestId('debate').getAttribute('data-status'), { timeout: 20_000 }).toBe('completed');

    const verdicts = await http(app, 'GET', `/debates/${debateId}`, judge.key);
    expect(verdicts.body.myVerdicts.map((v: { stage: string }) => v.stage)).toEqual(['judge-1', 'final']);
    expect(verdicts.body.myVerdicts[1].probabilities[1]).toBeCloseTo(0.9, 5);
    // Nothing blinded reached the browser.
    const everything = traffic.join('\n');
    for (const field of ['simpleLabel', 'groundTruth', 'agreesWithSimple', 'trueCount', 'hiddenCount'])
      expect(everything).not.toContain(`"${field}"`);
  });

  it('keeps the debate going across a dropped connection, showing everything said meanwhile', async () => {
    const judge = await userKey(app, 'judge');
    const page = await newPage(browser, 'judge-reconnect');
    await signIn(page, app.url, judge.key);
    const debateId = await startDebate(app, researcher, { disputeId: disputes[1]!.id, protocolId, judgeIds: [judge.id] });
    await page.goto(`${app.url}/#/debates/${debateId}`);
    await page.getByTestId('judge-panel').waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId('connection').innerText()).toBe('live');

    // Every socket is cut while the judge answers over HTTP; the debate moves on without the page.
    const server = app.running.app.get(DebateGateway).server;
    for (const socket of server.sockets.sockets.values()) socket.conn.close();
    const answered = await http(app, 'POST', `/debates/${debateId}/verdicts`, judge.key, {
      stage: 'judge-1',
      probabilities: [0.2, 0.2, 0.2, 0.2, 0.2],
    });
    expect(answered.status).toBe(200);

    // The page reconnects by itself, rejoins, and shows the speeches given while it was away.
    await page.getByTestId('turn-3').waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId('connection').innerText()).toBe('live');
    await page.getByRole('heading', { name: 'Your verdict' }).waitFor();
    expect(await page.locator('.turn:not(.draft)').count()).toBe(4);
  });
});
