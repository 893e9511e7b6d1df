import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../tools/harness/browser.js';
import { useDistributedEnv } from '../../support/distributed-env.js';
import { createAccount, processedClaim, processedScanClaim, signIn } from '../../support/review-client.js';
import { DESK_VIEWPORT, openClaim, signedInTab, submitSignIn } from '../../support/workbench-browser.js';

const SAMPLES = path.resolve(import.meta.dirname, '../../../samples');
const ARTIFACTS = path.resolve(import.meta.dirname, '../../../test-artifacts');

/** WCAG relative luminance contrast of two `rgb(r, g, b)` colours. */
function contrast(a: string, b: string): number {
  const luminance = (colour: string) => {
    const [r, g, bl] = colour
      .match(/\d+(\.\d+)?/g)!
      .slice(0, 3)
      .map((c) => {
        const s = Number(c) / 255;
        return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe('the workbench in the details a reviewer clearing 200 claims a day meets', () => {
  const env = useDistributedEnv({ workers: true });
  let browser: Browser;
  let password: string;
  let mismatch: { claimId: string; requestNumber: string };
  let earlier: { claimId: string; requestNumber: string };
  let duplicate: { claimId: string; requestNumber: string };
  let dark: { claimId: string; requestNumber: string };

  const signedIn = (viewport = DESK_VIEWPORT) => signedInTab(browser, env().baseUrl, 'alice', password, viewport);

  beforeAll(async () => {
    browser = await launchChromium();
    password = await createAccount(env(), 'alice', 'reviewer');
    await createAccount(env(), 'bob', 'reviewer', 'bob-long-password');
    // The customer typed the serial with a different last character than the scan's.
    mismatch = await processedScanClaim(env(), { claimId: 'DETAILS-MISMATCH', serial: '7XK2LPQA704915B', claimDate: '2025-06-01' });
    expect(mismatch).toMatchObject({ status: 'needs_review' });
    // A two-page invoice, claimed twice: the later claim is a duplicate with both pages on each side.
    const invoice = await PDFDocument.load(await readFile(path.join(SAMPLES, 'invoice-text.pdf')));
    const twoPages = await PDFDocument.create();
    for (const page of await twoPages.copyPages(invoice, [0, 0])) twoPages.addPage(page);
    const pdf = { name: 'two-pages.pdf', bytes: await twoPages.save() };
    earlier = await processedClaim(env(), { claimId: 'DETAILS-INVOICE', country: 'DE', claimDate: '2025-01-10' }, pdf);
    duplicate = await processedClaim(env(), { claimId: 'DETAILS-INVOICE-AGAIN', country: 'DE', claimDate: '2025-01-11' }, pdf);
    expect(duplicate).toMatchObject({ status: 'needs_review' });
    // The shipped photo as if taken in a dark room: the door takes it, normalising refuses it.
    const photo = await sharp(await readFile(path.join(SAMPLES, 'photo-receipt.jpg')))
      .linear(0.12, 0)
      .jpeg()
      .toBuffer();
    dark = await processedClaim(
      env(),
      { claimId: 'DETAILS-DARK', country: 'NO', claimDate: '2025-06-01' },
      { name: 'dark.jpg', bytes: photo },
    );
    expect(dark).toMatchObject({ status: 'rejected_input' });
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
  }, 60_000);

  it('lays the claim page and the queue out in one column on a 400 px screen, the fields and the decision at hand', async () => {
    const page = await signedIn({ width: 400, height: 800 });
    const pageWidth = () => page.evaluate(() => document.documentElement.scrollWidth);
    // The queue table scrolls sideways inside its own region; the page itself does not.
    expect(await pageWidth()).toBeLessThanOrEqual(400);
    expect(await page.getByRole('region', { name: 'Claims needing review' }).isVisible()).toBe(true);
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'review-queue-narrow.png') });

    await openClaim(page, env().baseUrl, mismatch.claimId);
    expect(await pageWidth()).toBeLessThanOrEqual(400);
    const approve = page.getByRole('button', { name: 'Approve (a)' });
    const inViewport = async (box: { x: number; y: number; width: number; height: number } | null) =>
      !!box && box.x >= 0 && box.x + box.width <= 400 && box.y >= 0 && box.y + box.height <= 800;
    // The decision stays at the bottom of the screen while the reviewer scrolls through the receipt and fields.
    expect(await inViewport(await approve.boundingBox())).toBe(true);
    const serial = page.getByRole('textbox', { name: 'Serial number' });
    await serial.scrollIntoViewIfNeeded();
    expect(await inViewport(await serial.boundingBox())).toBe(true);
    expect(await inViewport(await approve.boundingBox())).toBe(true);
    const [viewer, panel] = await Promise.all(['.viewer', '.panel'].map((s) => page.locator(s).boundingBox()));
    expect(panel!.y).toBeGreaterThanOrEqual(viewer!.y + viewer!.height);
    // e brings the first field to the reviewer, below the receipt in one column.
    await page.getByRole('heading', { level: 1 }).focus();
    await page.keyboard.press('e');
    const date = page.getByRole('textbox', { name: 'Purchase date' });
    expect(await date.evaluate((input) => input === document.activeElement)).toBe(true);
    expect(await inViewport(await date.boundingBox())).toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, 'review-claim-page-narrow.png') });
  }, 60_000);

  it('lists the queue shortcuts on ?, and Esc with the list open closes only the list', async () => {
    const page = await signedIn();
    const help = page.getByRole('complementary', { name: 'Keyboard shortcuts' });
    await page.keyboard.press('?');
    expect(await help.isVisible()).toBe(true);
    expect(await help.textContent()).toContain('open the next free claim');
    await page.keyboard.press('Escape');
    expect(await help.isVisible()).toBe(false);

    await openClaim(page, env().baseUrl, mismatch.claimId);
    await page.keyboard.press('?');
    expect(await help.isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    expect(await help.isVisible()).toBe(false);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(`Claim ${mismatch.requestNumber}`);
    await page.keyboard.press('Escape');
    await page.getByRole('heading', { name: 'Claims needing review' }).waitFor();
  }, 60_000);

  it('draws a focus ring with 3:1 contrast against white, the panel grey and the dark header bar', async () => {
    const page = await signedIn();
    await openClaim(page, env().baseUrl, mismatch.claimId);
    // Tab to a control in the page and to one in the header bar, so :focus-visible applies as it does for a reviewer.
    const ringOf = async (selector: string) => {
      for (let i = 0; i < 60 && !(await page.evaluate((s) => document.activeElement?.matches(s), selector)); i++) {
        await page.keyboard.press('Tab');
      }
      return page.evaluate((s) => {
        const el = document.querySelector(s)!;
        const style = getComputedStyle(el);
        return {
          visible: el.matches(':focus-visible'),
          tones: [style.outlineColor, ...(style.boxShadow.match(/rgba?\([^)]+\)/g) ?? [])],
        };
      }, selector);
    };
    const inBar = await ringOf('#nav button');
    const inPage = await ringOf('main button.primary');
    for (const ring of [inPage, inBar]) {
      expect(ring.visible).toBe(true);
      // The outermost tone meets the background; the inner one meets the control and the outer tone.
      for (const background of ['rgb(255, 255, 255)', 'rgb(244, 245, 247)', 'rgb(20, 33, 61)']) {
        expect(Math.max(...ring.tones.map((tone) => contrast(tone, background)))).toBeGreaterThanOrEqual(3);
      }
    }
  }, 60_000);

  it('keeps the claim heading in view when e focuses the first field and the receipt shows where it was read', async () => {
    const page = await signedIn({ width: 1280, height: 560 });
    await openClaim(page, env().baseUrl, mismatch.claimId);
    // Read in larger type (as a reviewer's browser may be set), the page is taller than this screen,
    // so it could scroll; the receipt is scrolled away from the date.
    await page.evaluate(() => (document.body.style.fontSize = '20px'));
    expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeGreaterThan(560);
    const frameScrolled = () =>
      page
        .locator('.viewer-frame')
        .evaluate((frame) => new Promise((resolve) => frame.addEventListener('scrollend', resolve, { once: true })));
    const scrolledAway = frameScrolled();
    await page.locator('.viewer-frame').evaluate((frame) => (frame.scrollTop = frame.scrollHeight));
    await scrolledAway;
    await page.locator('.panel').evaluate((panel) => (panel.scrollTop = panel.scrollHeight));

    const scrolledToDate = frameScrolled();
    await page.keyboard.press('e');
    await scrolledToDate;
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('fix-purchaseDate');
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    const heading = await page.getByRole('heading', { level: 1 }).boundingBox();
    expect(heading!.y).toBeGreaterThanOrEqual(0);
    const field = await page.getByRole('textbox', { name: 'Purchase date' }).boundingBox();
    expect(field!.y + field!.height).toBeLessThanOrEqual(560);
  }, 60_000);

  it('sizes "Your reading" to show a whole 15-character serial', async () => {
    const page = await signedIn();
    await openClaim(page, env().baseUrl, mismatch.claimId);
    const serial = page.getByRole('textbox', { name: 'Serial number' });
    await serial.fill('7XK2LPQA704915W');
    expect(await serial.evaluate((input) => input.scrollWidth <= input.clientWidth)).toBe(true);
    const imei = page.getByRole('textbox', { name: 'IMEI' });
    await imei.fill('356938035643809');
    expect(await imei.evaluate((input) => input.scrollWidth <= input.clientWidth)).toBe(true);
  }, 60_000);

  it('turns the serial from "differs" to "matches the form" when the reviewer reads it as the customer typed it', async () => {
    const page = await signedIn();
    await openClaim(page, env().baseUrl, mismatch.claimId);
    const row = page.locator('.fields tr', { has: page.getByRole('textbox', { name: 'Serial number' }) });
    expect(await row.getAttribute('class')).toContain('disagree');
    // Lower case and the letter O for a zero: the policy's comparison takes them as the form's serial.
    await page.getByRole('textbox', { name: 'Serial number' }).fill('7xk2lpqa7O4915b');
    await row.locator('text=your reading matches the form').waitFor();
    expect(await row.getAttribute('class')).not.toContain('disagree');
    await page.getByRole('textbox', { name: 'Serial number' }).fill('7XK2LPQA704915C');
    await row.locator('text=your reading differs from form').waitFor();
    expect(await row.getAttribute('class')).toContain('disagree');
  }, 60_000);

  it('shows every page of both receipts of a duplicate, each enlargeable with zoom and openable in a new tab', async () => {
    const page = await signedIn();
    await openClaim(page, env().baseUrl, duplicate.claimId);
    const flag = page.locator('.flag', { hasText: 'Receipt already used for another claim' });
    const pair = flag.locator('.side-by-side');
    const enlarge = pair.getByRole('button', { name: /^Enlarge page/ });
    expect(await enlarge.count()).toBe(4);
    expect(await pair.locator('figcaption').allTextContents()).toEqual([
      `this claim (${duplicate.requestNumber})`,
      `earlier claim ${earlier.requestNumber}`,
    ]);
    const opens = pair.getByRole('link', { name: /in a new tab$/ });
    expect(await opens.count()).toBe(4);
    expect(await opens.nth(3).getAttribute('target')).toBe('_blank');
    const secondPage = await page.request.get(`${env().baseUrl}${await opens.nth(3).getAttribute('href')}`);
    expect(secondPage.status()).toBe(200);
    expect(secondPage.headers()['content-type']).toBe('image/png');

    await pair.getByRole('button', { name: `Enlarge page 2 of 2 of earlier claim ${earlier.requestNumber}` }).click();
    const lightbox = page.getByRole('dialog', { name: `Receipt page 2 of 2 of earlier claim ${earlier.requestNumber}` });
    await lightbox.waitFor();
    const image = lightbox.getByRole('img');
    await page.waitForFunction(() => document.querySelector<HTMLImageElement>('dialog[open] img')?.naturalWidth);
    const fitted = (await image.boundingBox())!.width;
    await page.keyboard.press('+');
    expect((await image.boundingBox())!.width).toBeCloseTo(fitted * 1.25, -1);
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'review-duplicate-page-enlarged.png') });
    // Its keys stay in the dialog: "a" does not open the approval behind it; Esc closes it, not the claim.
    await page.keyboard.press('a');
    expect(await page.getByRole('dialog', { name: 'Approve this claim?' }).isVisible()).toBe(false);
    await page.keyboard.press('Escape');
    await lightbox.waitFor({ state: 'hidden' });
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(`Claim ${duplicate.requestNumber}`);
  }, 60_000);

  it('names statuses, reasons and flags in words in the history and the decided banner, and says which reviewer decided', async () => {
    // Bob takes the claim over once Alice's reservation (from the tests above) is given back, and rejects it.
    const alice = await signIn(env().baseUrl, 'alice', password);
    expect((await alice.call('DELETE', `/claims/${duplicate.claimId}/lease`)).status).toBe(204);
    const bob = await signIn(env().baseUrl, 'bob', 'bob-long-password');
    expect((await bob.call('POST', `/claims/${duplicate.claimId}/lease`)).status).toBe(200);
    expect((await bob.call('POST', `/claims/${duplicate.claimId}/decision`, { action: 'reject', reason: 'DUPLICATE_CLAIM' })).status).toBe(
      200,
    );

    const page = await signedIn();
    await openClaim(page, env().baseUrl, duplicate.claimId);
    const banner = await page.locator('.banner').first().textContent();
    expect(banner).toBe('Not eligible: bob rejected: The receipt or the product was already claimed. It no longer needs review.');
    expect(await page.locator('.decision').textContent()).toMatch(/^Decision of bob: Not eligible/);
    const history = await page.getByRole('region', { name: 'History' }).textContent();
    expect(history).toContain('Machine decision: Needs review · Receipt already used for another claim');
    expect(history).toContain('bob rejected: The receipt or the product was already claimed');
    // No code of a status, reason or flag reaches the screen.
    expect(`${banner} ${history}`).not.toMatch(/[a-z]+_[a-z]+|[A-Z]+_[A-Z]+/);
  }, 60_000);

  it('says a too-dark photo was too dark to read, with the intake reason, and still shows the photo', async () => {
    const page = await signedIn();
    await openClaim(page, env().baseUrl, dark.claimId);
    const column = page.locator('.receipt-column');
    expect(await column.textContent()).toContain(
      'The receipt could not be read: The photo is too dark to read; please take it again in better light.',
    );
    expect(await column.textContent()).not.toContain('This claim has no receipt.');
    expect(await page.locator('.sheet img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    expect(await page.locator('.banner').first().textContent()).toBe(
      'Rejected at intake: decided by the machine. It no longer needs review.',
    );
    const history = await page.getByRole('region', { name: 'History' }).textContent();
    expect(history).toContain('Machine decision: Rejected at intake · Unreadable document');
    expect(history).not.toMatch(/[a-z]+_[a-z]+|[A-Z]+_[A-Z]+/);
  }, 60_000);

  it('names the page in the browser tab: sign-in, the queue with its count, the claim', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${env().baseUrl}/review`);
    await page.getByLabel('User name').waitFor();
    expect(await page.title()).toBe('Sign in · Warranty review');
    await submitSignIn(page, 'alice', password);
    await page.getByRole('heading', { name: 'Claims needing review' }).waitFor();
    const listed = await page.locator('table.queue tbody tr').count();
    expect(await page.title()).toBe(`Queue (${listed}) · Warranty review`);
    await openClaim(page, env().baseUrl, mismatch.claimId);
    expect(await page.title()).toBe(`Claim ${mismatch.requestNumber} · Warranty review`);
  }, 60_000);
});
