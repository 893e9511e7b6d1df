import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../tools/harness/browser.js';
import { useDistributedEnv } from '../../support/distributed-env.js';
import { createAccount, processedScanClaim } from '../../support/review-client.js';
import { approveFromKeyboard, openClaim, signedInTab } from '../../support/workbench-browser.js';

/**
 * Bad input is named where it was typed: a date as printed on the receipt is understood, a wrong
 * correction is marked beside its field, and a wrong filter in the address beside that filter.
 */
describe('the workbench with bad input', () => {
  const env = useDistributedEnv({ workers: true });
  let browser: Browser;
  let password: string;
  let claim: { claimId: string; requestNumber: string; status: string };

  async function signedIn(): Promise<Page> {
    const page = await signedInTab(browser, env().baseUrl, 'alice', password);
    page.setDefaultTimeout(20_000);
    return page;
  }

  beforeAll(async () => {
    browser = await launchChromium();
    password = await createAccount(env(), 'alice', 'reviewer');
    claim = await processedScanClaim(env(), { claimId: 'E2E-INPUT', serial: '7XK2LPQA704915X', claimDate: '2025-06-01' });
    expect(claim).toMatchObject({ status: 'needs_review' });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
  }, 60_000);

  it('reads a purchase date typed as printed, and marks a wrong one beside its field', async () => {
    const page = await signedIn();
    await openClaim(page, env().baseUrl, claim.claimId);
    const date = page.getByRole('textbox', { name: 'Purchase date' });
    const decision = page.locator('.decision');

    await date.fill('19.04.2025');
    await page.locator('#parsed-purchaseDate:text("Read as 2025-04-19")').waitFor();
    await page.waitForSelector('.decision:has-text("Decision with your corrections")');
    expect(await date.getAttribute('aria-invalid')).toBeNull();

    // Not a calendar day: the API's message beside the field, the field marked and described by it.
    await date.fill('31.02.2025');
    const error = page.locator('#error-purchaseDate');
    await error.filter({ hasText: 'not a calendar date' }).waitFor();
    expect(await error.textContent()).toBe('Purchase date: not a calendar date YYYY-MM-DD');
    expect(await date.getAttribute('aria-invalid')).toBe('true');
    expect((await date.getAttribute('aria-describedby'))?.split(' ')).toContain('error-purchaseDate');
    expect(await decision.textContent()).toBe('Not re-assessed: correct the marked field.');

    // Deciding with it is refused the same way, and the field is still marked.
    await page.keyboard.press('Escape');
    const dialog = await approveFromKeyboard(page);
    await dialog.getByRole('alert').filter({ hasText: 'Not saved: correct the marked field.' }).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await date.fill('2025-04-11');
    await error.waitFor({ state: 'hidden' });
    expect(await date.getAttribute('aria-invalid')).toBeNull();
    expect(await env().runtime.claims.get(claim.claimId)).toMatchObject({ status: 'needs_review' });
  }, 120_000);

  it('shows the queue’s filters with the wrong value named, for a date that is no day and for an unknown flag', async () => {
    const page = await signedIn();
    await page.goto(`${env().baseUrl}/review#/queue?from=2024-13-45&to=2025-06-30`);
    const from = page.getByLabel('Received from');
    await page.locator('#f-from-error').waitFor();
    expect(await page.locator('#f-from-error').textContent()).toBe('“2024-13-45” is not valid: not a calendar date YYYY-MM-DD');
    expect(await from.getAttribute('aria-invalid')).toBe('true');
    expect(await from.getAttribute('aria-describedby')).toBe('f-from-error');
    expect(await page.getByLabel('Received to').inputValue()).toBe('2025-06-30');
    expect(await page.getByRole('alert').filter({ hasText: 'The queue is not shown' }).isVisible()).toBe(true);

    await page.goto(`${env().baseUrl}/review#/queue?flag=NO_SUCH_FLAG`);
    await page.locator('#f-flag-error').waitFor();
    expect(await page.locator('#f-flag-error').textContent()).toMatch(/^“NO_SUCH_FLAG” is not valid: /);
    expect(await page.getByLabel('Flag').getAttribute('aria-invalid')).toBe('true');

    // Fixing the filter from the form shows the queue again.
    await page.getByLabel('Flag').selectOption('');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('link', { name: claim.requestNumber }).waitFor();
  }, 60_000);
});
