import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../tools/harness/browser.js';
import { useDistributedEnv } from '../../support/distributed-env.js';
import { createAccount, processedClaim } from '../../support/review-client.js';
import { openClaim, signedInTab } from '../../support/workbench-browser.js';

const ARTIFACTS = path.resolve(import.meta.dirname, '../../../test-artifacts');

type Box = [number, number, number, number];

describe('the evidence beside each reading, at a size a reviewer can read', () => {
  const env = useDistributedEnv({ workers: true });
  let browser: Browser;
  let password: string;
  let scan: { claimId: string };
  let invoice: { claimId: string };

  beforeAll(async () => {
    browser = await launchChromium();
    password = await createAccount(env(), 'erin', 'reviewer');
    // The shipped scanned slip, its serial typed with a different last character (R on the slip).
    scan = await processedClaim(
      env(),
      { claimId: 'EVIDENCE-SCAN', serial: '7XK2LPQA704915B', model: 'NP750XGK-KG3DE', country: 'NO', claimDate: '2025-06-01' },
      'scan-receipt.png',
    );
    // The shipped invoice with a text layer, its serial typed with a different last character (W on it).
    invoice = await processedClaim(
      env(),
      { claimId: 'EVIDENCE-TEXT-PDF', serial: '0TQ43HCT900517X', model: 'UE55CU8079UXZG', country: 'DE', claimDate: '2025-06-01' },
      'invoice-text.pdf',
    );
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
  }, 60_000);

  /** Where the API says field `name` was read, on the page as shown. */
  async function fieldBox(page: Page, claimId: string, name: string): Promise<Box> {
    const detail = await (await page.request.get(`${env().baseUrl}/review/api/claims/${claimId}`)).json();
    const field = detail.fields.find((f: { name: string }) => f.name === name);
    expect(field.highlight).not.toBeNull();
    return field.highlight.box;
  }

  /**
   * The crop of `label`'s spot, once drawn: the height its text is shown at (the box's height times
   * the crop's enlargement of the page region it draws) and how much of it is ink.
   */
  async function crop(page: Page, label: RegExp, box: Box): Promise<{ textHeight: number; inkShare: number }> {
    const canvas = page.getByRole('img', { name: label });
    await page.locator('.evidence-crop[data-drawn]', { has: canvas }).waitFor();
    const { region, shownHeight, inkShare } = await canvas.evaluate((el: HTMLCanvasElement) => {
      const pixels = el.getContext('2d')!.getImageData(0, 0, el.width, el.height).data;
      let dark = 0;
      for (let i = 0; i < pixels.length; i += 4) if (pixels[i]! + pixels[i + 1]! + pixels[i + 2]! < 3 * 110) dark++;
      return {
        region: el.dataset.region!.split(' ').map(Number),
        shownHeight: el.getBoundingClientRect().height,
        inkShare: dark / (pixels.length / 4),
      };
    });
    // The region drawn holds the whole box the value was read from.
    expect(region[0]).toBeLessThanOrEqual(box[0]);
    expect(region[1]).toBeLessThanOrEqual(box[1]);
    expect(region[2]).toBeGreaterThanOrEqual(box[2]);
    expect(region[3]).toBeGreaterThanOrEqual(box[3]);
    return { textHeight: ((box[3] - box[1]) * shownHeight) / (region[3]! - region[1]!), inkShare };
  }

  it('shows the serial read from a scan enlarged beside it, outlined outside its glyphs on the receipt, its label on demand', async () => {
    const page = await signedInTab(browser, env().baseUrl, 'erin', password);
    await openClaim(page, env().baseUrl, scan.claimId);
    const box = await fieldBox(page, scan.claimId, 'serial');
    const shown = await crop(page, /^Serial number as printed on the receipt, enlarged/, box);
    expect(shown.textHeight).toBeGreaterThanOrEqual(20);
    // It is the receipt's print, drawn: dark glyphs on light paper.
    expect(shown.inkShare).toBeGreaterThan(0.03);
    expect(shown.inkShare).toBeLessThan(0.6);

    // On the receipt the serial's box is the text's own box, outlined a few pixels outside it, unfilled.
    const mark = page.locator('.mark.field[data-id="field-serial"]');
    const image = (await page.locator('.sheet img').boundingBox())!;
    const coordinateWidth = await page.locator('.sheet img').evaluate((img: HTMLImageElement) => img.naturalWidth);
    const scale = image.width / coordinateWidth;
    const rect = (await mark.boundingBox())!;
    expect(rect.x).toBeCloseTo(image.x + box[0] * scale, 0);
    expect(rect.width).toBeCloseTo((box[2] - box[0]) * scale, 0);
    const style = await mark.evaluate((el) => {
      const s = getComputedStyle(el);
      return { background: s.backgroundColor, border: s.borderTopWidth, outline: s.outlineStyle, offset: parseFloat(s.outlineOffset) };
    });
    expect(style).toMatchObject({ background: 'rgba(0, 0, 0, 0)', border: '0px', outline: 'solid' });
    expect(style.offset).toBeGreaterThanOrEqual(2);

    // Its label covers nothing until the serial is pointed at, here or in the fields, or focused.
    const label = mark.locator('.mark-label');
    expect(await label.isVisible()).toBe(false);
    await page.locator('tr', { has: page.getByRole('textbox', { name: 'Serial number' }) }).hover();
    expect(await label.isVisible()).toBe(true);
    await page.getByRole('heading', { level: 1 }).hover();
    expect(await label.isVisible()).toBe(false);
    await mark.focus();
    expect(await label.isVisible()).toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, 'review-evidence-crops.png') });
  }, 120_000);

  it('highlights the fields of a PDF with a text layer and shows them enlarged, from the text layer’s positions', async () => {
    const page = await signedInTab(browser, env().baseUrl, 'erin', password);
    await openClaim(page, env().baseUrl, invoice.claimId);
    expect(await page.locator('.mark.field').count()).toBeGreaterThanOrEqual(3);
    expect(await page.getByRole('button', { name: 'Show where Serial number was read' }).count()).toBe(1);
    const box = await fieldBox(page, invoice.claimId, 'serial');
    const shown = await crop(page, /^Serial number as printed on the receipt, enlarged/, box);
    expect(shown.textHeight).toBeGreaterThanOrEqual(20);
    expect(shown.inkShare).toBeGreaterThan(0.01);
    // The serial's box sits where the drawn page prints it: over ink, with blank paper just outside it.
    const inkAround = await page.locator('.sheet img').evaluate((img: HTMLImageElement, [x0, y0, x1, y1]) => {
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const context = canvas.getContext('2d')!;
      context.drawImage(img, 0, 0);
      const ink = (left: number, right: number) => {
        const { data } = context.getImageData(Math.round(left), Math.round(y0), Math.round(right - left), Math.round(y1 - y0));
        let dark = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i]! < 128) dark++;
        return dark;
      };
      return { inside: ink(x0, x1), before: ink(x0 - 6, x0 - 3), after: ink(x1 + 3, x1 + 6) };
    }, box);
    expect(inkAround.inside).toBeGreaterThan(100);
    expect(inkAround).toMatchObject({ before: 0, after: 0 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'review-evidence-text-pdf.png') });
  }, 120_000);

  it('spells out a serial mismatch character by character, the differing one underlined and said in words', async () => {
    const page = await signedInTab(browser, env().baseUrl, 'erin', password);
    await openClaim(page, env().baseUrl, scan.claimId);
    const diff = page.getByRole('group', { name: 'Serial number, form against receipt, character by character' });
    await diff.waitFor();
    expect(await diff.getByLabel('Form: 7XK2LPQA704915B').count()).toBe(1);
    expect(await diff.getByLabel('Receipt: 7XK2LPQA704915R').count()).toBe(1);
    expect(await diff.locator('.diff-summary').textContent()).toBe('Serial number differs at position 15: form B, receipt R.');
    const differing = diff.locator('.char.differs');
    expect(await differing.allTextContents()).toEqual(['B', 'R']);
    // Not by colour alone: underlined and bold.
    const look = await differing.first().evaluate((el) => {
      const s = getComputedStyle(el);
      return { line: s.textDecorationLine, weight: s.fontWeight };
    });
    expect(look).toEqual({ line: 'underline', weight: '700' });
    expect(await diff.locator('.char:not(.differs)').count()).toBe(28);

    // The flag points at the receipt's serial: enlarged beside it, and its mark labelled while it is pointed at.
    const flagItem = page.locator('.flag', { has: diff });
    const flagCrop = page.getByRole('img', {
      name: /^Where “Serial\/IMEI differs between form and receipt” points on the receipt, enlarged/,
    });
    await flagItem.locator('.evidence-crop[data-drawn]', { has: flagCrop }).waitFor();
    const mark = page.locator('.mark.evidence');
    expect(await mark.locator('.mark-label').isVisible()).toBe(false);
    await flagItem.hover();
    expect(await mark.locator('.mark-label').textContent()).toBe('Serial/IMEI differs between form and receipt');
    expect(await mark.locator('.mark-label').isVisible()).toBe(true);
  }, 120_000);
});
