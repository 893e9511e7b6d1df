import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlagCode } from '../../../src/domain/flags.js';
import { launchChromium } from '../../../tools/harness/browser.js';
import { seedClaimNeedingReview } from '../../support/claim-results.js';
import { useDistributedEnv } from '../../support/distributed-env.js';
import { createAccount } from '../../support/review-client.js';
import { approveFromKeyboard, DESK_VIEWPORT, signInAndShowQueue } from '../../support/workbench-browser.js';

// The intervals the pages poll at (ui/queue-page.ts, ui/claim/claim-watch.ts): the tests move the
// page's clock past them instead of waiting.
const QUEUE_NEWS_MS = 30_000;
const CLAIM_WATCH_MS = 10_000;

describe('the workbench keeps the reviewer in their queue', () => {
  const env = useDistributedEnv();
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const passwords: Record<string, string> = {};
  const requestNumbers: Record<string, string> = {};

  /** A claim needing review with these flags, as the workers leave it; claims arrive in the order they are seeded. */
  async function seed(claimId: string, flags: FlagCode[]): Promise<void> {
    requestNumbers[claimId] = await seedClaimNeedingReview(env().runtime.claims, claimId, flags);
  }

  /** A signed-in reviewer's tab; with `clock`, its timers run on a clock the test moves. */
  async function signedIn(username: string, options: { clock?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({ viewport: DESK_VIEWPORT });
    contexts.push(context);
    // The fake clock must be in place before the workbench's scripts start their timers.
    if (options.clock) await context.clock.install();
    const page = await context.newPage();
    await signInAndShowQueue(page, env().baseUrl, username, passwords[username]!);
    return page;
  }

  /** The claim's page is on screen, its shortcuts live (data-claim-ready alone may be left from an earlier visit). */
  const claimReady = async (page: Page, claimId: string) => {
    await page.getByRole('heading', { level: 1, name: `Claim ${requestNumbers[claimId]}` }).waitFor();
    await page.waitForSelector(`body[data-claim-ready="${claimId}"]`);
  };
  /** The queue filtered by `filter` is on screen (its links carry the filter; an earlier page's do not), its shortcuts live. */
  const queueShown = (page: Page, filter: string) => page.locator(`a.claim-link[href$="?${filter}"]`).first().waitFor();
  const leaseHolder = async (claimId: string) =>
    (
      await env().runtime.db.query<{ username: string }>('SELECT username FROM review_leases WHERE claim_id = $1 AND expires_at > now()', [
        claimId,
      ])
    )[0]?.username ?? null;

  beforeAll(async () => {
    browser = await launchChromium();
    for (const name of ['alice', 'bob']) passwords[name] = await createAccount(env(), name, 'reviewer');
  }, 120_000);
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
  }, 60_000);

  it('carries the filters into the claim: Esc, the back link and the claim opened after approving stay in the filtered queue', async () => {
    await seed('CTX-SERIAL-1', ['SERIAL_MISMATCH']);
    await seed('CTX-DUP-1', ['DUPLICATE_RECEIPT']);
    await seed('CTX-SERIAL-2', ['SERIAL_MISMATCH']);
    await seed('CTX-DUP-2', ['DUPLICATE_RECEIPT']);
    const page = await signedIn('alice');
    await page.getByLabel('Flag', { exact: true }).selectOption('DUPLICATE_RECEIPT');
    await page.getByRole('button', { name: 'Apply' }).click();
    await queueShown(page, 'flag=DUPLICATE_RECEIPT');

    await page.keyboard.press('n');
    await claimReady(page, 'CTX-DUP-1');
    expect(new URL(page.url()).hash).toBe('#/claims/CTX-DUP-1?flag=DUPLICATE_RECEIPT');
    await page.keyboard.press('Escape');
    await page.waitForURL(/#\/queue\?flag=DUPLICATE_RECEIPT$/);
    await page.getByRole('heading', { name: 'Claims needing review' }).waitFor();
    expect(await page.getByLabel('Flag', { exact: true }).inputValue()).toBe('DUPLICATE_RECEIPT');

    await page.getByRole('link', { name: requestNumbers['CTX-DUP-1']! }).click();
    await claimReady(page, 'CTX-DUP-1');
    await page.getByRole('link', { name: 'Back to queue (Esc)' }).click();
    await queueShown(page, 'flag=DUPLICATE_RECEIPT');
    expect(await page.locator('a.claim-link').allTextContents()).toEqual([requestNumbers['CTX-DUP-1'], requestNumbers['CTX-DUP-2']]);

    // Approving opens the next claim of this filter, not the older serial mismatch.
    await page.getByRole('link', { name: requestNumbers['CTX-DUP-1']! }).click();
    await claimReady(page, 'CTX-DUP-1');
    await approveFromKeyboard(page);
    await claimReady(page, 'CTX-DUP-2');
    expect(new URL(page.url()).hash).toBe('#/claims/CTX-DUP-2?flag=DUPLICATE_RECEIPT');
    expect((await env().runtime.claims.get('CTX-DUP-1'))?.status).toBe('eligible');
  }, 120_000);

  it('skips a claim: the next one after it opens, its reservation is given back, and n does not reopen it', async () => {
    await seed('CTX-SKIP-1', ['LOW_CONFIDENCE']);
    await seed('CTX-SKIP-2', ['LOW_CONFIDENCE']);
    await seed('CTX-SKIP-3', ['LOW_CONFIDENCE']);
    const page = await signedIn('alice');
    await page.goto(`${env().baseUrl}/review#/queue?flag=LOW_CONFIDENCE`);
    await queueShown(page, 'flag=LOW_CONFIDENCE');
    await page.keyboard.press('n');
    await claimReady(page, 'CTX-SKIP-1');
    expect(await leaseHolder('CTX-SKIP-1')).toBe('alice');

    const givenBack = page.waitForResponse((r) => r.url().endsWith('/claims/CTX-SKIP-1/lease') && r.request().method() === 'DELETE');
    await page.keyboard.press('s');
    await claimReady(page, 'CTX-SKIP-2');
    expect(new URL(page.url()).hash).toBe('#/claims/CTX-SKIP-2?flag=LOW_CONFIDENCE');
    expect((await givenBack).status()).toBe(204);
    expect(await leaseHolder('CTX-SKIP-1')).toBeNull();

    // n, Esc, n: the skipped claim stays skipped, the one only looked at comes back.
    await page.keyboard.press('Escape');
    await queueShown(page, 'flag=LOW_CONFIDENCE');
    expect(await page.locator('tr', { hasText: requestNumbers['CTX-SKIP-1']! }).textContent()).toContain('Skipped by you');
    await page.keyboard.press('n');
    await claimReady(page, 'CTX-SKIP-2');

    // The button skips too; past the last claim, with everything skipped, back to the same filtered queue.
    await page.getByRole('button', { name: 'Skip to the next claim (s)' }).click();
    await claimReady(page, 'CTX-SKIP-3');
    const lastGivenBack = page.waitForResponse((r) => r.url().endsWith('/claims/CTX-SKIP-3/lease') && r.request().method() === 'DELETE');
    await page.keyboard.press('s');
    await page.waitForURL(/#\/queue\?flag=LOW_CONFIDENCE$/);
    expect(await page.locator('#status').textContent()).toBe('No other free claim with these filters that you have not skipped.');
    expect((await lastGivenBack).status()).toBe(204);
  }, 120_000);

  it('tells the queue about new claims matching its filters and shows them on Refresh; it polls only while shown and in view', async () => {
    await seed('CTX-NEWS-1', ['FUTURE_DATE']);
    const page = await signedIn('alice', { clock: true });
    await page.goto(`${env().baseUrl}/review#/queue?flag=FUTURE_DATE`);
    await queueShown(page, 'flag=FUTURE_DATE');
    const newsRequests: string[] = [];
    page.on('request', (request) => request.url().includes('/queue/news') && newsRequests.push(request.url()));

    await seed('CTX-NEWS-2', ['FUTURE_DATE']);
    await seed('CTX-NEWS-OTHER', ['MISSING_MODEL']);
    await page.clock.runFor(QUEUE_NEWS_MS);
    const news = page.getByRole('status').filter({ hasText: 'new claim' });
    await news.waitFor();
    expect(await news.textContent()).toBe('1 new claim');
    expect(newsRequests[0]).toContain('flag=FUTURE_DATE');
    expect(await page.locator('a.claim-link').count()).toBe(1);

    const refresh = page.getByRole('button', { name: 'Refresh' });
    await refresh.focus();
    await page.keyboard.press('Enter');
    await page.locator('a.claim-link', { hasText: requestNumbers['CTX-NEWS-2']! }).waitFor();
    expect(await page.locator('.queue-news').textContent()).toBe('');
    expect(await refresh.evaluate((el) => el === document.activeElement)).toBe(true);

    // A hidden tab asks nothing; back in view, it asks at once.
    const asked = newsRequests.length;
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await page.clock.runFor(3 * QUEUE_NEWS_MS);
    expect(newsRequests.length).toBe(asked);
    const askedAgain = page.waitForRequest((request) => request.url().includes('/queue/news'));
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await askedAgain;

    // Left for a claim, the queue stops asking.
    await page.getByRole('link', { name: requestNumbers['CTX-NEWS-1']! }).click();
    await claimReady(page, 'CTX-NEWS-1');
    const beforeLeaving = newsRequests.length;
    await page.clock.runFor(3 * QUEUE_NEWS_MS);
    await page.getByRole('heading', { name: `Claim ${requestNumbers['CTX-NEWS-1']}` }).waitFor();
    expect(newsRequests.length).toBe(beforeLeaving);
  }, 120_000);

  it('follows a claim another reviewer holds: says when they decide it, and offers it when they let it go undecided', async () => {
    await seed('CTX-HELD-1', ['UNKNOWN_PRODUCT']);
    await seed('CTX-HELD-2', ['UNKNOWN_PRODUCT']);
    const bob = await signedIn('bob');
    await bob.goto(`${env().baseUrl}/review#/claims/CTX-HELD-1?flag=UNKNOWN_PRODUCT`);
    await claimReady(bob, 'CTX-HELD-1');

    const alice = await signedIn('alice', { clock: true });
    await alice.goto(`${env().baseUrl}/review#/claims/CTX-HELD-1`);
    await claimReady(alice, 'CTX-HELD-1');
    expect(await alice.getByRole('alert').first().textContent()).toMatch(/bob is reviewing claim .*You can look, but not decide\./);

    await approveFromKeyboard(bob);
    await claimReady(bob, 'CTX-HELD-2');
    await alice.clock.runFor(CLAIM_WATCH_MS);
    await alice.locator('.banner', { hasText: 'bob approved this claim.' }).waitFor();
    expect(await alice.getByRole('button', { name: 'Approve (a)' }).isDisabled()).toBe(true);

    // Bob now holds the second claim; he goes back to the queue without deciding, which gives it back.
    await alice.goto(`${env().baseUrl}/review#/claims/CTX-HELD-2`);
    await claimReady(alice, 'CTX-HELD-2');
    expect(await alice.getByRole('button', { name: 'Approve (a)' }).isDisabled()).toBe(true);
    const givenBack = bob.waitForResponse((r) => r.url().endsWith('/claims/CTX-HELD-2/lease') && r.request().method() === 'DELETE');
    await bob.keyboard.press('Escape');
    expect((await givenBack).status()).toBe(204);
    await alice.clock.runFor(CLAIM_WATCH_MS);
    await alice.locator('.banner', { hasText: 'bob is no longer reviewing this claim and did not decide it.' }).waitFor();
    await alice.getByRole('button', { name: 'Take this claim' }).click();
    await alice.waitForFunction(() => !document.querySelector<HTMLButtonElement>('.actions button')?.disabled);
    expect(await leaseHolder('CTX-HELD-2')).toBe('alice');
  }, 120_000);
});
