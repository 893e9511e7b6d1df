import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../tools/harness/browser.js';
import { useDistributedEnv } from '../../support/distributed-env.js';
import { createAccount, processedClaim, processedScanClaim } from '../../support/review-client.js';
import { approveFromKeyboard, openClaim, signedInTab, submitSignIn } from '../../support/workbench-browser.js';

const ARTIFACTS = path.resolve(import.meta.dirname, '../../../test-artifacts');

describe('the reviewer workbench in a browser', () => {
  const env = useDistributedEnv({ workers: true });
  let browser: Browser;
  let claim: { claimId: string; requestNumber: string };
  let duplicate: { claimId: string; requestNumber: string; result: { flags: Array<{ code: string }> } };
  const passwords: Record<string, string> = {};

  const signedIn = (username: string) => signedInTab(browser, env().baseUrl, username, passwords[username]!);

  beforeAll(async () => {
    browser = await launchChromium();
    for (const [name, role] of [
      ['alice', 'reviewer'],
      ['bob', 'reviewer'],
      ['sam', 'submitter'],
    ] as const)
      passwords[name] = await createAccount(env(), name, role);
    // A scanned receipt whose serial the customer typed with a different last character.
    claim = await processedScanClaim(env(), { claimId: 'E2E-SCAN', serial: '7XK2LPQA704915B', claimDate: '2025-06-01' });
    expect(claim).toMatchObject({ status: 'needs_review' });
    // The same receipt again for another claim: the next in the queue, flagged as a duplicate.
    duplicate = await processedClaim(
      env(),
      { claimId: 'E2E-SCAN-AGAIN', serial: '7XK2LPQA704915R', country: 'NO', claimDate: '2025-06-02' },
      'scan-receipt.png',
    );
    expect(duplicate.result.flags.map((f: { code: string }) => f.code)).toContain('DUPLICATE_RECEIPT');
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
  }, 60_000);

  it('signs a reviewer in, opens the flagged claim with its highlights, corrects the serial, sees the new decision and approves it', async () => {
    const page = await signedIn('alice');
    await expect(page.getByRole('heading', { name: 'Claims needing review' }).waitFor()).resolves.toBeUndefined();
    await page.getByRole('link', { name: duplicate.requestNumber }).waitFor();
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'review-queue.png') });
    // Flags are named in words in the queue, their codes on hover.
    const chip = page.locator('tr', { hasText: claim.requestNumber }).locator('.chip');
    expect(await chip.textContent()).toBe('Serial/IMEI differs between form and receipt');
    expect(await chip.getAttribute('title')).toBe('SERIAL_MISMATCH');
    await page.getByRole('link', { name: claim.requestNumber }).click();
    await page.waitForSelector(`body[data-claim-ready="${claim.claimId}"]`);

    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(`Claim ${claim.requestNumber}`);
    const serialRow = page.locator('tr.disagree', { has: page.getByRole('textbox', { name: 'Serial number' }) });
    expect(await serialRow.textContent()).toContain('differs from form');
    expect(await page.locator('.mark.field').count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('.flag h3').allTextContents()).toContain('Serial/IMEI differs between form and receipt SERIAL_MISMATCH');
    // Zoom, rotate and fit from the keyboard; the highlights stay on the page as it turns.
    const sheetSize = () => page.locator('.sheet-wrapper').evaluate((el) => [el.clientWidth, el.clientHeight]);
    const fitted = await sheetSize();
    await page.keyboard.press('+');
    expect((await sheetSize())[0]).toBeCloseTo(fitted[0]! * 1.25, -1);
    await page.keyboard.press('o');
    expect(await page.locator('.sheet').evaluate((el) => el.style.transform)).toContain('rotate(90deg)');
    await page.keyboard.press('0');
    await page.keyboard.press('o');
    await page.keyboard.press('o');
    await page.keyboard.press('o');
    expect(await sheetSize()).toEqual(fitted);

    // Every control has an accessible name (label, aria-label or text), so it can be found and operated without sight.
    const unnamed = await page.$$eval('main input, main select, main textarea, main button', (controls) =>
      controls
        .filter((c) => !(c as HTMLInputElement).labels?.length && !c.getAttribute('aria-label') && !c.textContent?.trim())
        .map((c) => c.outerHTML),
    );
    expect(unnamed).toEqual([]);
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'review-claim-page.png'), fullPage: true });

    // Bob opens the same claim meanwhile: he may look, not decide.
    const other = await signedIn('bob');
    expect(await other.locator('tr', { hasText: claim.requestNumber }).textContent()).toContain('In review by alice');
    await openClaim(other, env().baseUrl, claim.claimId);
    expect(await other.getByRole('alert').first().textContent()).toMatch(/alice is reviewing claim .*You can look, but not decide\./);
    expect(await other.getByRole('button', { name: 'Approve (a)' }).isDisabled()).toBe(true);
    expect(await other.getByRole('textbox', { name: 'Serial number' }).isDisabled()).toBe(true);

    await page.getByRole('textbox', { name: 'Serial number' }).fill('7XK2LPQA704915B');
    await page.waitForSelector('.decision:has-text("Decision with your corrections: Eligible")');
    // Esc leaves the serial field, so the shortcut is not typed into it.
    await page.keyboard.press('Escape');
    await approveFromKeyboard(page);

    // Approving opens the next free claim: the same receipt again, shown beside the earlier claim's.
    await page.waitForSelector(`body[data-claim-ready="${duplicate.claimId}"]`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(`Claim ${duplicate.requestNumber}`);
    const sideBySide = page.locator('.flag', { hasText: 'Receipt already used for another claim' }).locator('.side-by-side figcaption');
    expect(await sideBySide.allTextContents()).toEqual([`this claim (${duplicate.requestNumber})`, `earlier claim ${claim.requestNumber}`]);
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('.side-by-side img')].every((img) => img.complete && img.naturalWidth > 0),
    );
    await page.screenshot({ path: path.join(ARTIFACTS, 'review-duplicate-claim.png'), fullPage: true });

    const stored = await env().runtime.claims.get(claim.claimId);
    expect(stored).toMatchObject({ status: 'eligible', result: { fields: { serial: { value: '7XK2LPQA704915B', source: 'reviewer' } } } });
    const reviewed = (await env().runtime.claims.history(claim.claimId)).find((e) => e.kind === 'reviewed');
    expect(reviewed?.data).toMatchObject({
      reviewer: 'alice',
      status: 'eligible',
      corrections: [{ field: 'serial', after: '7XK2LPQA704915B' }],
    });
  }, 120_000);

  it('refuses the workbench to a signed-in account without the reviewer role', async () => {
    // Signed in by hand: this account never gets the queue that signedIn waits for.
    const page = await browser.newPage();
    await page.goto(`${env().baseUrl}/review`);
    await submitSignIn(page, 'sam', passwords.sam!);
    await page.waitForSelector('h1:text("Not allowed")');
    expect(await page.getByRole('alert').textContent()).toMatch(/role submitter.*needs the role reviewer or admin/);
  }, 60_000);
});
