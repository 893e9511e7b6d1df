import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../tools/harness/browser.js';
import { eventually, useDistributedEnv } from '../../support/distributed-env.js';
import { addDocument, getJson, submitClaim } from '../../support/claims-client.js';
import { createAccount, signIn } from '../../support/review-client.js';
import { textReceipt } from '../../support/text-documents.js';
import { openClaim, signedInTab } from '../../support/workbench-browser.js';

describe('a claim with several documents in the workbench', () => {
  const env = useDistributedEnv({ workers: true });
  let browser: Browser;
  let password: string;

  beforeAll(async () => {
    browser = await launchChromium();
    password = await createAccount(env(), 'alice', 'reviewer');
    const form = {
      claimId: 'WB-DOCS',
      imei: '350917642084132',
      model: 'SM-S921B/DS',
      purchaseDate: '2025-02-22',
      country: 'DE',
      claimDate: '2025-06-01',
    };
    const receipt = await textReceipt({ purchaseDate: '2025-02-22', model: 'SM-S921B/DS' });
    expect((await submitClaim(env().baseUrl, env().keys.submitter, form, { name: 'receipt.pdf', bytes: receipt })).status).toBe(202);
    const inReview = (documents: number) =>
      eventually(
        async () => {
          const { body } = await getJson(env().baseUrl, '/claims/WB-DOCS', env().keys.submitter);
          return body?.status === 'needs_review' && body.documents.length === documents && body.result ? body : undefined;
        },
        120_000,
        `WB-DOCS in review with ${documents} document(s)`,
      );
    await inReview(1);
    // The reviewer asks for the page with the IMEI; the customer answers with the retailer's copy.
    const alice = await signIn(env().baseUrl, 'alice', password);
    expect((await alice.call('POST', '/claims/WB-DOCS/lease')).status).toBe(200);
    const asked = await alice.call('POST', '/claims/WB-DOCS/decision', {
      action: 'request_info',
      items: ['SERIAL_LABEL_PHOTO'],
      note: 'The IMEI, please.',
    });
    expect(asked.status).toBe(200);
    // The customer's second receipt prints the IMEI, and another purchase date: back to review, with both.
    const copy = await textReceipt({ purchaseDate: '2025-03-14', model: 'SM-S921B/DS', imei: '350917642084132', receiptNumber: '2' });
    const added = await addDocument(env().baseUrl, env().keys.submitter, 'WB-DOCS', {
      name: 'copy.pdf',
      bytes: copy,
      type: 'application/pdf',
    });
    expect(added.status).toBe(202);
    await eventually(async () => ((await inReview(2)).result.fields.imei.value ? true : undefined), 120_000, 'WB-DOCS assessed with both');
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
  }, 60_000);

  it('shows every document, labelled with when it came, the history saying so, and the disagreement between them', async () => {
    const page = await signedInTab(browser, env().baseUrl, 'alice', password);
    await openClaim(page, env().baseUrl, 'WB-DOCS');
    const label = page.locator('.page-label');
    expect(await label.textContent()).toMatch(/^Document 1 of 2, sent with the claim .* · Page 1 of 2$/);
    await page.keyboard.press(']');
    expect(await label.textContent()).toMatch(/^Document 2 of 2, added .* by the customer · Page 2 of 2$/);
    const history = await page.getByRole('region', { name: 'History' }).textContent();
    expect(history).toContain('Document 2 added (copy.pdf) by the customer: read and assessed again');
    expect(await page.textContent('body')).toContain("The claim's documents disagree");
  });

  it('shows what the customer was asked for and the document that answered it, once the claim is back in review', async () => {
    const page = await signedInTab(browser, env().baseUrl, 'alice', password);
    await openClaim(page, env().baseUrl, 'WB-DOCS');
    const request = page.getByRole('region', { name: 'Asked of the customer' });
    expect(await request.getByRole('heading').textContent()).toBe('Asked of the customer: answered');
    expect(await request.locator('li').getAttribute('data-code')).toBe('SERIAL_LABEL_PHOTO');
    expect(await request.locator('.note').textContent()).toBe('“The IMEI, please.”');
    expect(await request.locator('.answered').textContent()).toMatch(
      /^Answered by document 2 \(copy\.pdf\), received \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC: the claim was read and assessed again with it\.$/,
    );
    expect(await request.textContent()).not.toContain('closes unanswered');
  });
});
