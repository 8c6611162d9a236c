import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, sql, startTestApp, userKey, type TestApp } from '../support/app.js';
import { protocol, startDebate, textDisputes } from '../support/factories.js';
import { FakeLlm, type ChatRequest, type Reply } from '../support/fake-llm.js';
import { launch, newPage, recordTraffic, signIn } from './browser.js';

/** The story (the item's evidence and its public context); its middle sentence is never quoted, so nothing of it may ever reach the judge. */
const UNQUOTED = 'Nobody else was in the house that day.';
const STORY = `The butler signed the letter at dawn. ${UNQUOTED} The cook was away at the market all morning.`;

/** The model debater: one quotation of the story, one invented. */
function script(request: ChatRequest): Reply {
  if (!request.stream) return { status: 400 };
  return {
    text: 'The cook it was. <quote>The cook was away at the market</quote>, they say, yet <quote>the cook wrote every letter</quote>.',
    chunkSize: 8,
    delayMs: 10,
  };
}

/** Selects `text` inside the story shown on the page, as a reader's mouse would, and lets go. */
async function selectInStory(page: Page, text: string): Promise<void> {
  // Runs in the page: the test's own program has no DOM types.
  await page.getByTestId('story').evaluate((story, wanted) => {
    const window = globalThis as any;
    const walker = window.document.createTreeWalker(story, window.NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = (node.textContent as string).indexOf(wanted);
      if (at < 0) continue;
      const range = window.document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + wanted.length);
      window.getSelection().removeAllRanges();
      window.getSelection().addRange(range);
      story.dispatchEvent(new window.MouseEvent('mouseup', { bubbles: true }));
      return;
    }
    throw new Error(`"${wanted}" is not in the story`);
  }, text);
}

describe('a person debating a text item in the browser, against a language model, with a judge following', () => {
  let app: TestApp;
  let browser: Browser;
  let llm: FakeLlm;
  let researcher: string;

  beforeAll(async () => {
    llm = await new FakeLlm(script).start();
    [app, browser] = await Promise.all([
      startTestApp({ TRIBUNAL_ENDPOINTS: JSON.stringify({ fake: { baseUrl: llm.url, apiKey: 'test-key', timeoutSeconds: 30 } }) }),
      launch(),
    ]);
    researcher = (await userKey(app, 'researcher')).key;
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await llm?.stop();
  });

  it('writes speeches from the story with live limits, while the judge sees only the quotes, each marked', async () => {
    const [disputeId] = await textDisputes(app, researcher, 'letters', STORY, 1);
    const debater = await userKey(app, 'debater', 'ada-debater');
    const judge = await userKey(app, 'judge', 'jo-judge');
    const protocolId = await protocol(app, researcher, 'person-against-model', {
      kind: 'debate',
      structure: {
        opening: [{ type: 'simultaneous', charLimit: 400, quoteLimit: 120 }],
        repeating: [{ type: 'judge', visibleToDebaters: true, noteLimit: 200 }, { type: 'sequential' }],
        closing: [],
      },
      end: { maxRepeats: 1, judgeMayEnd: false },
      limits: { chars: 300, quoteChars: 100, citations: 3, overLimit: 'truncate' },
      assignment: 'explicit',
      debaters: [
        { backend: 'manual', deadlineSeconds: 3600 },
        { backend: 'openai', endpoint: 'fake', model: 'debater' },
      ],
      // The item would show its story to judges; the protocol hides it, as the NYU debates did.
      judges: { count: 1, kind: 'human', context: 'hidden' },
    });
    const debateId = await startDebate(app, researcher, {
      disputeId: disputeId!,
      protocolId,
      answers: [1, 0],
      judgeIds: [judge.id],
      debaterIds: [debater.id],
    });

    // The judge follows from the start; everything the page receives is kept.
    const judgePage = await newPage(browser, 'text-judge');
    const judgeTraffic = recordTraffic(judgePage);
    await signIn(judgePage, app.url, judge.key);
    await judgePage.goto(`${app.url}/#/debates/${debateId}`);
    await judgePage.getByTestId('text-item').waitFor();
    // The model's opening is written; the judge sees nothing of it (not even that it came first)
    // until the round's other opening, the person's, is given too.
    await eventually(
      'the model to open',
      async () => (await sql(app, 'SELECT 1 FROM turns WHERE debate_id = $1 AND index = 1', [debateId])).length,
      20_000,
    );

    // The person finds the debate in their queue, and reads the story, but not the model's opening of the same round.
    const seatPage = await newPage(browser, 'text-debater');
    await signIn(seatPage, app.url, debater.key);
    await seatPage.getByTestId('queue-speak').getByRole('link', { name: 'Who wrote the letter?' }).click();
    await seatPage.getByTestId('composer').waitFor();
    expect(await seatPage.getByTestId('story').innerText()).toContain(UNQUOTED);
    expect(await seatPage.getByTestId('my-answer').innerText()).toContain('argue the butler');
    expect(await seatPage.getByTestId('turn-1').count()).toBe(0);
    expect(await seatPage.getByTestId('deadline').innerText()).toMatch(/^\d+ s left$/);

    // Writing: a quotation taken from the story by selecting it, counted live against the round's limits.
    const speech = seatPage.getByLabel('your speech');
    await speech.fill('It was the butler: ');
    await selectInStory(seatPage, 'The butler signed the letter');
    await expect.poll(() => speech.inputValue()).toBe('It was the butler: <quote>The butler signed the letter</quote>');
    expect(await seatPage.getByTestId('count-chars').innerText()).toBe('62 / 400 characters');
    expect(await seatPage.getByTestId('count-quoted').innerText()).toBe('28 / 120 quoted');
    await speech.fill('It was the butler: <quote>The butler signed the letter</quote> <quote>the butler hated the cook</quote>');
    expect(await seatPage.getByTestId('count-unverified').innerText()).toBe('1 quote not found in the text');
    await speech.fill('It was the butler: <quote>The butler signed the letter</quote>.');
    expect(await judgePage.getByTestId('turn-1').count()).toBe(0);
    expect(judgeTraffic.join('\n')).not.toContain('The cook it was.');
    await seatPage.getByRole('button', { name: 'Submit the speech' }).click();
    // Spoken: now both openings are there to read, and nothing is asked until the judge answers.
    await seatPage.getByTestId('turn-1').waitFor();
    await seatPage.getByTestId('waiting').waitFor();

    // The judge sees the round once both speeches are in, and every quotation in the order spoken, marked.
    await judgePage.getByTestId('turn-0').waitFor();
    await judgePage.getByTestId('turn-1').waitFor();
    const marks = judgePage.getByTestId('quotes').locator('li');
    await expect.poll(() => marks.count()).toBe(3);
    expect(await marks.evaluateAll((items) => items.map((li) => [li.getAttribute('data-verified'), li.textContent]))).toEqual([
      ['true', 'The butler signed the letter — Debater A, verified'],
      ['true', 'The cook was away at the market — Debater B, verified'],
      ['false', 'the cook wrote every letter — Debater B, not found in the text'],
    ]);
    const panel = judgePage.getByTestId('judge-panel');
    await panel.getByLabel('probability of the butler').fill('600');
    await panel.getByRole('textbox').fill('Why would the butler sign it?');
    await panel.getByRole('button', { name: 'Submit' }).click();

    // The sequential round: the person reads the judge's question, is held to the limits, and speaks first.
    await seatPage.getByTestId('composer').waitFor();
    expect(await seatPage.getByTestId('judgement').innerText()).toContain('Why would the butler sign it?');
    await speech.fill('x'.repeat(301));
    await seatPage.getByText('the speech is 301 characters; the limit is 300').waitFor();
    expect(await seatPage.getByRole('button', { name: 'Submit the speech' }).isDisabled()).toBe(true);
    await speech.fill('Because the butler wrote it, as the first quote shows.');
    await seatPage.getByRole('button', { name: 'Submit the speech' }).click();

    // The model answers; the judge gives the final verdict; both pages see the end.
    await judgePage.getByTestId('turn-3').waitFor({ timeout: 20_000 });
    await judgePage.getByRole('heading', { name: 'Your verdict' }).waitFor();
    // A new stage is a new form: the question asked in the last round is not sent again with the verdict.
    expect(await judgePage.getByTestId('judge-panel').getByRole('textbox').inputValue()).toBe('');
    await judgePage.getByTestId('judge-panel').getByLabel('probability of the butler').fill('800');
    await judgePage.getByTestId('judge-panel').getByRole('button', { name: 'Submit' }).click();
    await expect.poll(() => judgePage.getByTestId('debate').getAttribute('data-status'), { timeout: 20_000 }).toBe('completed');
    await expect.poll(() => seatPage.getByTestId('seat').getAttribute('data-status'), { timeout: 20_000 }).toBe('completed');
    expect(await seatPage.locator('.turn[data-testid^="turn-"]').count()).toBe(4);

    // The judge's page never received the story, the seats' holders, or anything blinded.
    const received = judgeTraffic.join('\n');
    expect(received).toContain('The butler signed the letter');
    for (const hidden of [
      UNQUOTED,
      'at dawn',
      'all morning',
      debater.id,
      'ada-debater',
      '"userId"',
      '"evidence":',
      '"simpleLabel"',
      '"groundTruth"',
    ])
      expect(received, hidden).not.toContain(hidden);

    // An observer sees the story with each quoted span highlighted and linked to the speech that quoted it.
    const observer = await newPage(browser, 'text-observer');
    await signIn(observer, app.url, researcher);
    await observer.goto(`${app.url}/#/debates/${debateId}`);
    const spans = observer.getByTestId('sources').getByTestId('quoted-span');
    await expect.poll(() => spans.count()).toBe(2);
    expect(await spans.evaluateAll((all) => all.map((m) => [m.textContent, m.getAttribute('title')]))).toEqual([
      ['The butler signed the letter', 'Debater A, speech 1'],
      ['The cook was away at the market', 'Debater B, speech 2; Debater B, speech 4'],
    ]);
    expect(await observer.getByTestId('sources').innerText()).toContain(UNQUOTED);
    await spans.nth(1).click();
    await expect.poll(() => observer.getByTestId('turn-1').getAttribute('class')).toContain('flash');
  });
});
