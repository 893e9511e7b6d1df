import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../tools/harness/browser.js';
import { useDistributedEnv } from '../../support/distributed-env.js';
import { createAccount, processedClaim } from '../../support/review-client.js';
import { openClaim, signedInTab } from '../../support/workbench-browser.js';

const LABEL = path.resolve(import.meta.dirname, '../../../samples/labels/label-code128.png');

describe('a serial and IMEI read from the barcodes of a device label', () => {
  const env = useDistributedEnv({ workers: true });
  let browser: Browser;
  let password: string;
  let claim: { claimId: string; result: { fields: Record<string, { value: string | null; via?: string; source: string | null }> } };

  beforeAll(async () => {
    browser = await launchChromium();
    password = await createAccount(env(), 'bea', 'reviewer');
    // The label prints its serial and IMEI as text and as Code 128s; it proves no purchase, so it waits for a reviewer.
    claim = await processedClaim(
      env(),
      { claimId: 'BARCODE-LABEL', serial: 'R5JW2GRJ39J', model: 'SM-S908B/DS', country: 'DE', claimDate: '2025-06-01' },
      { name: 'label-code128.png', bytes: new Uint8Array(await readFile(LABEL)) },
    );
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
  }, 60_000);

  it('come back through the API as read from a barcode, and the workbench tells the reviewer so beside each value', async () => {
    expect(claim.result.fields.serial).toMatchObject({ value: 'R5JW2GRJ39J', via: 'barcode', source: 'Code 128 barcode: R5JW2GRJ39J' });
    expect(claim.result.fields.imei).toMatchObject({ value: '352335894231517', via: 'barcode' });

    const page = await signedInTab(browser, env().baseUrl, 'bea', password);
    await openClaim(page, env().baseUrl, claim.claimId);
    await expect.poll(() => page.locator('#via-serial').textContent()).toBe('Code 128 barcode: R5JW2GRJ39J');
    expect(await page.locator('#via-imei').textContent()).toBe('Code 128 barcode: 352335894231517');
    // A value OCR read carries no such note.
    expect(await page.locator('#via-model').count()).toBe(0);
    // The enlarged evidence is the barcode itself, named as such.
    expect(await page.getByRole('img', { name: /^Serial number as encoded in a barcode on the receipt, enlarged/ }).count()).toBe(1);
  }, 120_000);
});
