import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../tools/harness/browser.js';
import { useDistributedEnv } from '../../support/distributed-env.js';
import { createAccount, processedScanClaim } from '../../support/review-client.js';
import { approveFromKeyboard, openClaim, signedInTab } from '../../support/workbench-browser.js';

describe('undoing a decision in the browser', () => {
  const env = useDistributedEnv({ workers: true });
  let browser: Browser;
  let password: string;
  let claim: { claimId: string; requestNumber: string };

  beforeAll(async () => {
    browser = await launchChromium();
    password = await createAccount(env(), 'alice', 'reviewer');
    claim = await processedScanClaim(env(), { claimId: 'UNDO-SCAN', serial: '7XK2LPQA704915B', claimDate: '2025-06-01' });
    expect(claim).toMatchObject({ status: 'needs_review' });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
  }, 60_000);

  it('offers Undo after a decision, and `u` takes it back and reopens the claim, reserved for the reviewer', async () => {
    const page = await signedInTab(browser, env().baseUrl, 'alice', password);
    await openClaim(page, env().baseUrl, claim.claimId);
    await approveFromKeyboard(page);

    // The reviewer has moved on (nothing else to review: the queue), the toast still offers the way back.
    await page.waitForSelector('h1:text("Claims needing review")');
    const toast = page.locator('#undo-toast');
    expect(await toast.textContent()).toContain(`Claim ${claim.requestNumber} approved.`);
    expect(await toast.getByRole('button', { name: 'Undo (u)' }).isEnabled()).toBe(true);
    expect((await env().runtime.claims.get(claim.claimId))!.status).toBe('eligible');

    await page.keyboard.press('u');
    await page.waitForSelector(`body[data-claim-ready="${claim.claimId}"]`);
    await page.getByRole('heading', { level: 1, name: `Claim ${claim.requestNumber}` }).waitFor();
    expect(await page.getByRole('button', { name: 'Approve (a)' }).isEnabled()).toBe(true);
    expect(await toast.count()).toBe(0);

    const stored = await env().runtime.claims.get(claim.claimId);
    expect(stored).toMatchObject({ status: 'needs_review', result: { status: 'needs_review' } });
    expect((await env().runtime.claims.history(claim.claimId)).map((e) => e.kind).slice(-2)).toEqual(['reviewed', 'undone']);
    expect(await page.locator('.history li').last().textContent()).toContain('alice took the decision back: Eligible → Needs review');
    const [lease] = await env().runtime.db.query<{ username: string }>(
      'SELECT username FROM review_leases WHERE claim_id = $1 AND expires_at > now()',
      [claim.claimId],
    );
    expect(lease?.username).toBe('alice');
  }, 120_000);
});
