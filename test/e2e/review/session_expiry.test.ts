import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../tools/harness/browser.js';
import { useDistributedEnv } from '../../support/distributed-env.js';
import { createAccount, processedScanClaim, signIn } from '../../support/review-client.js';
import { approveFromKeyboard, openClaim, signedInTab } from '../../support/workbench-browser.js';

/**
 * A session that ends under an open claim (cookie gone, or ended on the server): the reviewer signs
 * in again over the page, keeps what they typed, and the refused action is done; signing out never
 * leaves the claim reserved.
 */
describe('the workbench when the session ends', () => {
  const env = useDistributedEnv({ workers: true });
  let browser: Browser;
  const passwords: Record<string, string> = {};
  const claims: Record<'kept' | 'takenOver' | 'signOut', { claimId: string; requestNumber: string }> = {} as never;

  /** `username`'s tab with the claim open; its context is the browser's session, to end or clear. */
  async function onClaim(username: string, claimId: string): Promise<{ context: BrowserContext; page: Page }> {
    const page = await signedInTab(browser, env().baseUrl, username, passwords[username]!);
    page.setDefaultTimeout(20_000);
    await openClaim(page, env().baseUrl, claimId);
    return { context: page.context(), page };
  }

  /** Ends the browser's session on the server, as a sign-out elsewhere or the session's expiry does. */
  async function endSessionOnServer(context: BrowserContext): Promise<void> {
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const session = await fetch(`${env().baseUrl}/review/api/session`, { headers: { cookie } });
    const { csrfToken } = (await session.json()) as { csrfToken: string };
    const ended = await fetch(`${env().baseUrl}/review/api/session`, { method: 'DELETE', headers: { cookie, 'x-csrf-token': csrfToken } });
    expect(ended.status).toBe(204);
  }

  beforeAll(async () => {
    browser = await launchChromium();
    // One reviewer per case, so no case's sessions or next claim reach into another's; bob takes claims over.
    for (const name of ['alice', 'carol', 'dave', 'bob']) passwords[name] = await createAccount(env(), name, 'reviewer');
    // The same scan three times, with a serial unlike the receipt's: all need review.
    const entries = [
      ['kept', 'E2E-EXPIRY-KEPT', '2025-06-01'],
      ['takenOver', 'E2E-EXPIRY-TAKEN', '2025-06-02'],
      ['signOut', 'E2E-EXPIRY-SIGNOUT', '2025-06-03'],
    ] as const;
    for (const [key, claimId, claimDate] of entries) {
      claims[key] = await processedScanClaim(env(), { claimId, serial: '7XK2LPQA704915X', claimDate });
      expect(claims[key]).toMatchObject({ status: 'needs_review' });
    }
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
  }, 60_000);

  it('leaves no claim reserved after signing out, even when the browser’s own release is lost', async () => {
    const { context, page } = await onClaim('dave', claims.signOut.claimId);
    await page.route('**/review/api/claims/*/lease', (route) =>
      route.request().method() === 'DELETE' ? route.abort('connectionreset') : route.continue(),
    );
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();

    const bob = await signIn(env().baseUrl, 'bob', passwords.bob!);
    expect((await bob.call('POST', `/claims/${claims.signOut.claimId}/lease`)).status).toBe(200);
    await context.close();
  }, 60_000);
  it('says so when another reviewer took the claim meanwhile, and keeps the corrections on screen', async () => {
    const { context, page } = await onClaim('carol', claims.takenOver.claimId);
    const serial = page.getByRole('textbox', { name: 'Serial number' });
    await serial.fill('7XK2LPQA704915B');
    await page.waitForSelector('.decision:has-text("Decision with your corrections")');

    await endSessionOnServer(context);
    const bob = await signIn(env().baseUrl, 'bob', passwords.bob!);
    expect((await bob.call('POST', `/claims/${claims.takenOver.claimId}/lease`)).status).toBe(200);

    await page.keyboard.press('Escape');
    await page.keyboard.press('a');
    await page.keyboard.press('Enter');
    const again = page.getByRole('dialog', { name: 'Your session ended: sign in again' });
    await again.getByLabel('Password').fill(passwords.carol!);
    await again.getByRole('button', { name: 'Sign in' }).click();

    const banner = page.locator('.banner[role="alert"]');
    await banner.filter({ hasText: /bob is reviewing claim/ }).waitFor();
    expect(await banner.textContent()).toContain('Your corrections are kept below');
    expect(await serial.inputValue()).toBe('7XK2LPQA704915B');
    expect(await page.getByRole('button', { name: 'Approve (a)' }).isDisabled()).toBe(true);
    // The refused approval is sent again after the banner is up; the server refuses it for want of the reservation.
    await page
      .getByRole('dialog', { name: 'Approve this claim?' })
      .getByRole('alert')
      .filter({ hasText: /reservation/ })
      .waitFor();
    expect(await env().runtime.claims.get(claims.takenOver.claimId)).toMatchObject({ status: 'needs_review' });
    await context.close();
  }, 120_000);

  it('signs the reviewer in again over the claim, keeps the correction and saves the decision that was refused', async () => {
    const { context, page } = await onClaim('alice', claims.kept.claimId);
    const serial = page.getByRole('textbox', { name: 'Serial number' });
    await serial.fill('7XK2LPQA704915B');
    await page.waitForSelector('.decision:has-text("Decision with your corrections")');

    await context.clearCookies();
    // Esc leaves the serial field, so the shortcut is not typed into it.
    await page.keyboard.press('Escape');
    await approveFromKeyboard(page);

    const again = page.getByRole('dialog', { name: 'Your session ended: sign in again' });
    await again.waitFor();
    expect(await again.getByLabel('User name').inputValue()).toBe('alice');
    // The claim page is still there under the dialog, with what the reviewer typed.
    expect(await serial.inputValue()).toBe('7XK2LPQA704915B');
    await again.getByLabel('Password').fill(passwords.alice!);
    await again.getByRole('button', { name: 'Sign in' }).click();

    // The decision is saved: its toast offers to undo it.
    await page.waitForSelector(`#undo-toast:has-text("Claim ${claims.kept.requestNumber} approved.")`);
    const reviewed = (await env().runtime.claims.history(claims.kept.claimId)).find((e) => e.kind === 'reviewed');
    expect(reviewed?.data).toMatchObject({ reviewer: 'alice', corrections: [{ field: 'serial', after: '7XK2LPQA704915B' }] });
    await context.close();
  }, 120_000);
});
