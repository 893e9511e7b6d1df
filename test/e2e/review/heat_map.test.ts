import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../tools/harness/browser.js';
import { useDistributedEnv } from '../../support/distributed-env.js';
import { createAccount, processedClaim, signIn } from '../../support/review-client.js';

const ARTIFACTS = path.resolve(import.meta.dirname, '../../../test-artifacts');
const SAMPLES = path.resolve(import.meta.dirname, '../../../samples');

type Box = [number, number, number, number];

/**
 * The photo's printed date covered in its paper's shade and typed again a year later in another
 * font, saved as the phone saved it (JPEG at quality 85): the edit that revives an expired claim.
 */
async function retypedDate(photo: Buffer, date: Box): Promise<{ bytes: Buffer; patch: Box }> {
  const [x0, y0, x1, y1] = date;
  const patch: Box = [x0 - 3, y0 - 3, x1 + 3, y1 + 3];
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${x1 + 10}" height="${y1 + 10}">
<rect x="${patch[0]}" y="${patch[1]}" width="${patch[2] - patch[0]}" height="${patch[3] - patch[1]}" fill="rgb(214,214,210)"/>
<text x="${x0}" y="${y1 - 2}" font-family="DejaVu Sans" font-size="${Math.round((y1 - y0) * 0.9)}" fill="rgb(40,40,40)">22.02.2026</text></svg>`;
  const bytes = await sharp(photo)
    .composite([{ input: Buffer.from(svg), left: 0, top: 0 }])
    .jpeg({ quality: 85 })
    .toBuffer();
  return { bytes, patch };
}

describe('the heat map in the workbench', () => {
  const env = useDistributedEnv({ workers: true });
  let browser: Browser;
  let password: string;
  let edited: { claimId: string; requestNumber: string; result: { flags: Array<{ code: string; message: string }> } };
  let patch: Box;
  let clean: { claimId: string; requestNumber: string; result: { flags: Array<{ code: string }> } };

  async function claimPage(claimId: string): Promise<Page> {
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    await page.goto(`${env().baseUrl}/review`);
    await page.getByLabel('User name').fill('hana');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForSelector('h1:text("Claims needing review")');
    await page.goto(`${env().baseUrl}/review#/claims/${claimId}`);
    await page.waitForSelector(`body[data-claim-ready="${claimId}"]`);
    return page;
  }

  beforeAll(async () => {
    browser = await launchChromium();
    password = await createAccount(env(), 'hana', 'reviewer');
    // Where the photo prints its date, as the workbench places it on the photo.
    const original = await processedClaim(
      env(),
      {
        claimId: 'E2E-HEAT-PHOTO',
        imei: '350917642084132',
        model: 'SM-S921B/DS',
        purchaseDate: '2025-02-22',
        country: 'DE',
        claimDate: '2025-06-01',
      },
      'photo-receipt.jpg',
    );
    const reviewer = await signIn(env().baseUrl, 'hana', password);
    const shown = await reviewer.call('GET', `/claims/${original.claimId}`);
    const date = shown.body.fields.find((f: { name: string }) => f.name === 'purchaseDate').highlight.box as Box;
    const retyped = await retypedDate(await readFile(path.join(SAMPLES, 'photo-receipt.jpg')), date);
    patch = retyped.patch;
    edited = await processedClaim(
      env(),
      {
        claimId: 'E2E-HEAT-EDITED',
        imei: '350917642084132',
        model: 'SM-S921B/DS',
        purchaseDate: '2026-02-22',
        country: 'DE',
        claimDate: '2026-06-01',
      },
      { name: 'retyped.jpg', bytes: retyped.bytes },
    );
    expect(edited.result.flags.map((f: { code: string }) => f.code)).toContain('POSSIBLE_TAMPERING');
    // An untouched scan sent to review for a serial typed with a different last character.
    clean = await processedClaim(
      env(),
      {
        claimId: 'E2E-HEAT-CLEAN',
        serial: '7XK2LPQA704915B',
        model: 'NP750XGK-KG3DE',
        purchaseDate: '2025-04-11',
        country: 'NO',
        claimDate: '2025-06-01',
      },
      'scan-receipt.png',
    );
    expect(clean.result.flags.map((f: { code: string }) => f.code)).not.toContain('POSSIBLE_TAMPERING');
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
  }, 60_000);

  it('outlines a few regions of an edited receipt, one on the patch, toggled by key and toolbar button, with a legend', async () => {
    const page = await claimPage(edited.claimId);
    const toggle = page
      .getByRole('toolbar', { name: 'Receipt view' })
      .getByRole('button', { name: 'Show where the image may have been edited (h)' });
    const regions = page.locator('.heat-region');
    const legend = page.getByRole('note', { name: 'Edit traces legend' });
    const count = await regions.count();
    expect(count).toBeGreaterThanOrEqual(1);
    expect(count).toBeLessThanOrEqual(5);
    expect(await regions.first().isVisible()).toBe(false);
    expect(await legend.isVisible()).toBe(false);
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');

    await page.keyboard.press('h');
    await regions.first().waitFor({ state: 'visible' });
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    expect(await legend.isVisible()).toBe(true);
    expect(await legend.locator('li').count()).toBe(count);
    expect(await legend.textContent()).toMatch(/Outlined: where the image may have been edited.*\d× the paper's typical level/);
    // Outlined, never filled: the print inside stays as legible as around it.
    const style = await regions.first().evaluate((el) => {
      const s = getComputedStyle(el);
      return { fill: s.backgroundColor, outline: s.outlineStyle, width: parseFloat(s.outlineWidth) };
    });
    expect(style).toEqual({ fill: 'rgba(0, 0, 0, 0)', outline: 'dashed', width: 3 });

    // One region lies on the retyped date: the boxes are placed on the photo as the browser shows it.
    const { width, height } = await sharp(await readFile(path.join(SAMPLES, 'photo-receipt.jpg'))).metadata();
    const shown = (await page.locator('.sheet img').boundingBox())!;
    const onPatch = await regions.evaluateAll(
      (marks, [p, size, img]) =>
        marks.filter((m) => {
          const r = m.getBoundingClientRect();
          const x0 = ((r.left - img.x) / img.width) * size.width;
          const x1 = ((r.right - img.x) / img.width) * size.width;
          const y0 = ((r.top - img.y) / img.height) * size.height;
          const y1 = ((r.bottom - img.y) / img.height) * size.height;
          return x0 < p[2] && x1 > p[0] && y0 < p[3] && y1 > p[1];
        }).length,
      [patch, { width, height }, shown] as const,
    );
    expect(onPatch).toBeGreaterThanOrEqual(1);
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'review-heat-map.png'), fullPage: true });

    await toggle.click();
    await regions.first().waitFor({ state: 'hidden' });
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    expect(await legend.isVisible()).toBe(false);
    await page.close();
  }, 120_000);

  it('offers no heat map on a receipt no tampering signal was raised on', async () => {
    const page = await claimPage(clean.claimId);
    expect(await page.getByRole('button', { name: /Show where the image may have been edited/ }).count()).toBe(0);
    await page.keyboard.press('h');
    expect(await page.locator('.heat-region').count()).toBe(0);
    expect(await page.locator('.heat-legend').count()).toBe(0);
    expect(await page.getByLabel(/where the image may have been edited/).count()).toBe(0);
    const reviewer = await signIn(env().baseUrl, 'hana', password);
    expect((await reviewer.call('GET', `/claims/${clean.claimId}`)).body.heat).toEqual([]);
    await page.close();
  }, 120_000);
});
