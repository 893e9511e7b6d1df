import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_ITEMS } from '../../../src/domain/customer-requests.js';
import { launchChromium } from '../../../tools/harness/browser.js';
import { seedClaimNeedingReview } from '../../support/claim-results.js';
import { useDistributedEnv } from '../../support/distributed-env.js';
import { createAccount } from '../../support/review-client.js';
import { openClaim, signedInTab } from '../../support/workbench-browser.js';

/** "Ask customer" in the workbench (real Chromium): what to ask for, ticked from the claim's flags, at least one, with a note. */
describe('asking the customer from the workbench', () => {
  const env = useDistributedEnv();
  let browser: Browser;
  let password: string;

  beforeAll(async () => {
    browser = await launchChromium();
    password = await createAccount(env(), 'alice', 'reviewer');
    await seedClaimNeedingReview(env().runtime.claims, 'ASK-LABEL', ['SERIAL_MISMATCH']);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  }, 60_000);

  it('ticks the item the flags point at, refuses none at the list, and records the items and the note for the customer', async () => {
    const page = await signedInTab(browser, env().baseUrl, 'alice', password);
    await openClaim(page, env().baseUrl, 'ASK-LABEL');
    await page.keyboard.press('i');
    const dialog = page.getByRole('dialog', { name: 'Ask the customer for more' });
    await dialog.waitFor();
    // Every item of the catalogue, in the customer's words; the serial mismatch ticks the label photo only.
    const label = dialog.getByRole('checkbox', { name: REQUEST_ITEMS.SERIAL_LABEL_PHOTO.label });
    const sharper = dialog.getByRole('checkbox', { name: REQUEST_ITEMS.SHARPER_PHOTO.label });
    expect(await dialog.getByRole('checkbox').count()).toBe(Object.keys(REQUEST_ITEMS).length);
    expect(await label.isChecked()).toBe(true);
    expect(await sharper.isChecked()).toBe(false);
    expect(await dialog.getByRole('group', { name: 'What to ask the customer for' }).isVisible()).toBe(true);
    expect(await dialog.getByLabel('Reason').isVisible()).toBe(false);
    expect(
      await dialog
        .getByRole('checkbox')
        .first()
        .evaluate((el) => el === document.activeElement),
    ).toBe(true);

    // Nothing ticked: said at the list, nothing sent.
    await label.uncheck();
    await page.keyboard.press('Enter');
    expect(await dialog.locator('#decide-items-error').textContent()).toBe('Tick at least one thing to ask for.');
    expect(await dialog.isVisible()).toBe(true);
    expect((await env().runtime.claims.get('ASK-LABEL'))!.status).toBe('needs_review');

    await label.check();
    expect(await dialog.locator('#decide-items-error').textContent()).toBe('');
    await sharper.check();
    await dialog.getByLabel('Note to the customer (optional)').fill('The sticker is under the battery cover.');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#undo-toast');
    const reviewed = (await env().runtime.claims.history('ASK-LABEL')).filter((e) => e.kind === 'reviewed').map((e) => e.data);
    expect(reviewed).toEqual([
      expect.objectContaining({
        action: 'request_info',
        status: 'awaiting_customer',
        request: {
          items: [
            expect.objectContaining({ code: 'SHARPER_PHOTO', label: REQUEST_ITEMS.SHARPER_PHOTO.label }),
            expect.objectContaining({ code: 'SERIAL_LABEL_PHOTO', label: REQUEST_ITEMS.SERIAL_LABEL_PHOTO.label }),
          ],
          note: 'The sticker is under the battery cover.',
        },
      }),
    ]);

    // The claim, opened again, says what was asked, in the customer's words, and by when they must answer.
    await openClaim(page, env().baseUrl, 'ASK-LABEL');
    expect(await page.locator('.banner').first().textContent()).toMatch(
      /^Waiting for the customer: alice asked the customer for more: A sharper photo.*; A photo of the serial number label/,
    );
    const asked = page.getByRole('region', { name: 'Asked of the customer' });
    expect(await asked.locator('li').allTextContents()).toEqual([
      REQUEST_ITEMS.SHARPER_PHOTO.label,
      REQUEST_ITEMS.SERIAL_LABEL_PHOTO.label,
    ]);
    expect(await asked.locator('.note').textContent()).toBe('“The sticker is under the battery cover.”');
    expect(await asked.locator('.hint').textContent()).toMatch(
      /^Asked \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC; not reminded yet; closes unanswered at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\.$/,
    );
    expect(await page.locator('.history li').last().textContent()).toContain(REQUEST_ITEMS.SERIAL_LABEL_PHOTO.label);
  }, 120_000);

  it('still reads a request stored before requests named items, by its former reason in words', async () => {
    // As a request was recorded before the catalogue: a reason code, no items.
    await seedClaimNeedingReview(env().runtime.claims, 'ASK-BEFORE', ['LOW_CONFIDENCE']);
    const bob = (await env().runtime.users.create('bob', 'not-a-hash', 'reviewer'))!;
    await env().runtime.reviews.takeLease('ASK-BEFORE', bob.id, bob.username, 60);
    const stored = (await env().runtime.claims.get('ASK-BEFORE'))!;
    const recorded = await env().runtime.reviews.recordReview({
      claimId: 'ASK-BEFORE',
      userId: bob.id,
      reviewer: bob.username,
      status: 'awaiting_customer',
      action: 'request_info',
      reason: 'RECEIPT_ILLEGIBLE',
      note: null,
      corrections: [],
      result: stored.result,
      extractVersion: null,
      request: null,
    });
    expect(recorded).toBe('recorded');
    const page = await signedInTab(browser, env().baseUrl, 'alice', password);
    await openClaim(page, env().baseUrl, 'ASK-BEFORE');
    expect(await page.locator('.banner').first().textContent()).toBe(
      'Waiting for the customer: bob asked the customer for more: The receipt is not legible: send a clearer copy. It no longer needs review.',
    );
  }, 120_000);
});
