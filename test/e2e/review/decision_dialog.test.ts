import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_FIELD } from '../../../src/domain/extraction.js';
import type { ClaimResult } from '../../../src/domain/result.js';
import { launchChromium } from '../../../tools/harness/browser.js';
import { useDistributedEnv } from '../../support/distributed-env.js';
import { createAccount, processedClaim, processedScanClaim } from '../../support/review-client.js';
import { openClaim, signedInTab } from '../../support/workbench-browser.js';

describe('deciding from the keyboard, safely', () => {
  const env = useDistributedEnv({ workers: true });
  let browser: Browser;
  let password: string;
  let mismatch: { claimId: string; requestNumber: string };
  let duplicate: { claimId: string; requestNumber: string };

  const reviewed = async (claimId: string) =>
    (await env().runtime.claims.history(claimId)).filter((e) => e.kind === 'reviewed').map((e) => e.data);

  beforeAll(async () => {
    browser = await launchChromium();
    password = await createAccount(env(), 'alice', 'reviewer');
    // A scanned receipt whose serial the customer typed with a different last character: no reason follows from that.
    mismatch = await processedScanClaim(env(), { claimId: 'DLG-SERIAL', serial: '7XK2LPQA704915B', claimDate: '2025-06-01' });
    // The same receipt for another claim: it was already claimed.
    duplicate = await processedClaim(
      env(),
      { claimId: 'DLG-AGAIN', serial: '7XK2LPQA704915B', country: 'NO', claimDate: '2025-06-02' },
      'scan-receipt.png',
    );
    expect((await env().runtime.claims.get(duplicate.claimId))!.result.flags.map((f) => f.code)).toContain('DUPLICATE_RECEIPT');
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
  }, 60_000);

  it('starts Reject at "Choose a reason…", says so at the field when Enter is pressed without one, and lists what the decision rests on', async () => {
    const page = await signedInTab(browser, env().baseUrl, 'alice', password);
    await openClaim(page, env().baseUrl, mismatch.claimId);
    await page.getByRole('textbox', { name: 'Retailer' }).fill('Elkjøp Lørenskog');
    await page.waitForSelector('.decision:has-text("Decision with your corrections")');
    await page.keyboard.press('Escape');
    await page.keyboard.press('r');
    const dialog = page.getByRole('dialog', { name: 'Reject this claim' });
    await dialog.waitFor();
    const reason = dialog.getByLabel('Reason');
    expect(await reason.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await reason.inputValue()).toBe('');
    expect(await reason.locator('option').first().textContent()).toBe('Choose a reason…');
    // Rejecting looks like it: the confirm button is red, not the approving green.
    const confirm = dialog.getByRole('button', { name: 'Reject' });
    expect(await confirm.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(164, 0, 29)');
    // What the decision rests on: the reviewer's correction and the flags the re-assessment still raises.
    const machineRetailer = (await env().runtime.claims.get(mismatch.claimId))!.result.fields.retailer.value;
    expect(await dialog.locator('.corrections li').allTextContents()).toEqual([`Retailer: ${machineRetailer ?? '–'} → Elkjøp Lørenskog`]);
    expect(await dialog.locator('.open-flags li').allTextContents()).toContain('Serial/IMEI differs between form and receipt');

    await page.keyboard.press('Enter');
    expect(await dialog.locator('#decide-reason-error').textContent()).toBe('Choose a reason first.');
    expect(await reason.getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.isVisible()).toBe(true);
    expect((await env().runtime.claims.get(mismatch.claimId))!.status).toBe('needs_review');

    // Choosing a reason from the keyboard and pressing Enter on the select decides.
    await reason.selectOption('PRODUCT_MISMATCH');
    expect(await dialog.locator('#decide-reason-error').textContent()).toBe('');
    await reason.press('Enter');
    await page.waitForSelector('#undo-toast');
    expect(await reviewed(mismatch.claimId)).toEqual([
      expect.objectContaining({
        action: 'reject',
        reason: 'PRODUCT_MISMATCH',
        corrections: [expect.objectContaining({ field: 'retailer' })],
      }),
    ]);
  }, 120_000);

  it('pre-selects the reason the flags point at, and Enter in the note submits it', async () => {
    const page = await signedInTab(browser, env().baseUrl, 'alice', password);
    await openClaim(page, env().baseUrl, duplicate.claimId);
    await page.keyboard.press('r');
    const dialog = page.getByRole('dialog', { name: 'Reject this claim' });
    await dialog.waitFor();
    expect(await dialog.getByLabel('Reason').inputValue()).toBe('DUPLICATE_CLAIM');
    await dialog.getByLabel('Note (optional)').fill('same slip as the earlier claim');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#undo-toast');
    expect(await reviewed(duplicate.claimId)).toEqual([
      expect.objectContaining({ action: 'reject', reason: 'DUPLICATE_CLAIM', note: 'same slip as the earlier claim' }),
    ]);
  }, 120_000);

  it('groups repeated flags into one entry and lists what decides the claim first', async () => {
    // A stored machine result with repeats and mixed weights, as a re-run or corrections leave them.
    const flag = (code: ClaimResult['flags'][number]['code'], message: string) => ({ code, message, evidence: {} });
    await env().runtime.claims.reserve('DLG-MANY', null);
    await env().runtime.claims.saveResult(
      {
        file: null,
        claimId: 'DLG-MANY',
        status: 'needs_review',
        fields: { purchaseDate: EMPTY_FIELD, retailer: EMPTY_FIELD, model: EMPTY_FIELD, serial: EMPTY_FIELD, imei: EMPTY_FIELD },
        warranty: null,
        flags: [
          flag('FORM_NORMALISED', 'O read as 0'),
          flag('POSSIBLE_TAMPERING', 'the date stands out'),
          flag('LOW_CONFIDENCE', 'the serial is faint'),
          flag('POSSIBLE_TAMPERING', 'the serial stands out'),
          flag('WARRANTY_EXPIRED', 'ended 2025-01-01'),
          flag('POSSIBLE_TAMPERING', 'saved by an editor'),
        ],
        policyVersion: '2026.1',
        documentHash: null,
      },
      [],
      [],
    );
    const page = await signedInTab(browser, env().baseUrl, 'alice', password);
    await openClaim(page, env().baseUrl, 'DLG-MANY');
    const groups = page.locator('.flags > ul > li.flag');
    expect(await groups.evaluateAll((items) => items.map((i) => i.getAttribute('data-code')))).toEqual([
      'WARRANTY_EXPIRED',
      'POSSIBLE_TAMPERING',
      'LOW_CONFIDENCE',
      'FORM_NORMALISED',
    ]);
    expect(await page.locator('.flags h2').textContent()).toBe('Flags (4)');
    const tampering = groups.nth(1);
    expect(await tampering.locator('h3').textContent()).toMatch(/ ×3 POSSIBLE_TAMPERING$/);
    expect(await tampering.locator('.finding > p:first-child').allTextContents()).toEqual([
      'the date stands out',
      'the serial stands out',
      'saved by an editor',
    ]);

    // Asking: low confidence and tampering each point at the item that would clear them. Rejecting: tampering and expiry point at two reasons, so none is chosen for the reviewer.
    await page.keyboard.press('i');
    const ask = page.getByRole('dialog', { name: 'Ask the customer for more' });
    await ask.waitFor();
    expect(await ask.locator('input[name=items]:checked').evaluateAll((boxes) => boxes.map((b) => (b as HTMLInputElement).value))).toEqual([
      'SHARPER_PHOTO',
      'UNALTERED_ORIGINAL',
    ]);
    expect(await ask.locator('.open-flags li').allTextContents()).toHaveLength(4);
    await page.keyboard.press('Escape');
    await ask.waitFor({ state: 'hidden' });
    await page.keyboard.press('r');
    const reject = page.getByRole('dialog', { name: 'Reject this claim' });
    await reject.waitFor();
    expect(await reject.getByLabel('Reason').inputValue()).toBe('');
  }, 120_000);
});
