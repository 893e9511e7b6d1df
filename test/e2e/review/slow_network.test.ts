import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../tools/harness/browser.js';
import { useDistributedEnv } from '../../support/distributed-env.js';
import { createAccount, processedScanClaim } from '../../support/review-client.js';
import { approveFromKeyboard, openClaim, signedInTab } from '../../support/workbench-browser.js';

/** Holds the next request matching `url` until the test lets it go: `sent` resolves once the browser sent it. */
async function holdNext(page: Page, url: string): Promise<{ sent: Promise<Route> }> {
  let held!: (route: Route) => void;
  const sent = new Promise<Route>((resolve) => (held = resolve));
  await page.route(url, (route) => held(route), { times: 1 });
  return { sent };
}

/**
 * On a slow link the workbench says what it is waiting for, and nothing acts on the page meanwhile:
 * the buttons are disabled and a shortcut is refused out loud, never applied to the claim being left.
 */
describe('the workbench on a slow link', () => {
  const env = useDistributedEnv({ workers: true });
  let browser: Browser;
  let password: string;
  const claims: Array<{ claimId: string; requestNumber: string; status: string }> = [];

  beforeAll(async () => {
    browser = await launchChromium();
    password = await createAccount(env(), 'alice', 'reviewer');
    for (const [claimId, claimDate] of [
      ['E2E-SLOW-FIRST', '2025-06-01'],
      ['E2E-SLOW-NEXT', '2025-06-02'],
    ])
      claims.push(await processedScanClaim(env(), { claimId: claimId!, serial: '7XK2LPQA704915X', claimDate: claimDate! }));
    // A serial unlike the receipt's: both need review (the second also as a duplicate of the first).
    expect(claims.map((c) => c.status)).toEqual(['needs_review', 'needs_review']);
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
  }, 60_000);

  it('shows "Saving…" and then "Loading claim…", disables the old page and refuses shortcuts until the next claim is on screen', async () => {
    const [first, next] = claims as [(typeof claims)[0], (typeof claims)[0]];
    const page = await signedInTab(browser, env().baseUrl, 'alice', password);
    page.setDefaultTimeout(20_000);
    await openClaim(page, env().baseUrl, first.claimId);

    const busy = page.locator('#busy');
    const approve = page.getByRole('button', { name: 'Approve (a)' });
    const decision = await holdNext(page, `**/review/api/claims/${first.claimId}/decision`);
    await approveFromKeyboard(page);
    const saving = await decision.sent;

    expect(await busy.textContent()).toBe('Saving…');
    expect(await busy.isVisible()).toBe(true);
    expect(await page.locator('main').getAttribute('aria-busy')).toBe('true');
    expect(await approve.isDisabled()).toBe(true);
    await page.keyboard.press('r');
    await page.waitForSelector('#status:has-text("Still saving…")');
    expect(await page.getByRole('dialog', { name: 'Reject this claim' }).count()).toBe(0);

    // The decision is saved; the next claim's page is held on its way.
    const nextClaim = await holdNext(page, `**/review/api/claims/${next.claimId}`);
    await saving.continue();
    const loading = await nextClaim.sent;
    await page.waitForSelector('#busy:text("Loading claim…")');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(`Claim ${first.requestNumber}`);
    expect(await approve.isDisabled()).toBe(true);
    await page.keyboard.press('a');
    await page.waitForSelector('#status:has-text("Still loading claim…")');
    expect(await page.getByRole('dialog', { name: 'Approve this claim?' }).isVisible()).toBe(false);

    await loading.continue();
    await page.waitForSelector(`body[data-claim-ready="${next.claimId}"]`);
    expect(await busy.isVisible()).toBe(false);
    expect(await page.locator('main').getAttribute('aria-busy')).toBeNull();
    expect(await page.getByRole('button', { name: 'Approve (a)' }).isEnabled()).toBe(true);
    expect(await env().runtime.claims.get(first.claimId)).toMatchObject({ status: 'eligible' });
    await page.context().close();
  }, 120_000);
});
