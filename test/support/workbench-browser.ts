import type { Browser, Locator, Page } from 'playwright-core';

/** A desk screen: the receipt and the fields side by side. */
export const DESK_VIEWPORT = { width: 1400, height: 900 };

/** Fills in and sends the workbench's sign-in form, on a page that shows it. */
export async function submitSignIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * A new tab signed in to the workbench as `username`, showing the queue. Each tab has a context of
 * its own, so its own session cookie, as another browser would.
 */
export async function signedInTab(
  browser: Browser,
  baseUrl: string,
  username: string,
  password: string,
  viewport = DESK_VIEWPORT,
): Promise<Page> {
  const page = await (await browser.newContext({ viewport })).newPage();
  await signInAndShowQueue(page, baseUrl, username, password);
  return page;
}

/** Signs in on `page` from the workbench's address and waits for the queue. */
export async function signInAndShowQueue(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/review`);
  await submitSignIn(page, username, password);
  await page.getByRole('heading', { name: 'Claims needing review' }).waitFor();
}

/** Goes to the claim's page by its address and waits until the claim is on screen, its shortcuts live. */
export async function openClaim(page: Page, baseUrl: string, claimId: string): Promise<void> {
  await page.goto(`${baseUrl}/review#/claims/${encodeURIComponent(claimId)}`);
  await page.waitForSelector(`body[data-claim-ready="${claimId}"]`);
}

/** Approves the open claim from the keyboard: `a` opens the dialog, Enter confirms. Returns the dialog. */
export async function approveFromKeyboard(page: Page): Promise<Locator> {
  await page.keyboard.press('a');
  const dialog = page.getByRole('dialog', { name: 'Approve this claim?' });
  await dialog.waitFor();
  await page.keyboard.press('Enter');
  return dialog;
}
