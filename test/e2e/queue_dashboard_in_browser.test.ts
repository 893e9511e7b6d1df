import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../tools/harness/browser.js';
import { startEmbeddedApi, type EmbeddedApi } from '../support/embedded-api.js';

/**
 * An admin opens the queue dashboard in Chromium with the browser's own login prompt (HTTP Basic,
 * the API key as password), and it works under the API's security headers.
 */
describe('the queue dashboard in a browser', () => {
  let api: EmbeddedApi;
  let browser: Browser;
  let baseUrl: string;
  let adminKey: string;

  beforeAll(async () => {
    api = await startEmbeddedApi();
    adminKey = (await api.runtime.apiKeys.create('operations', 'admin')).key;
    await api.app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('answers the login prompt and shows the queues, with nothing blocked by the content policy', async () => {
    const context = await browser.newContext({ httpCredentials: { username: 'admin', password: adminKey } });
    const page = await context.newPage();
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
    });
    const response = await page.goto(`${baseUrl}/admin/queues`);
    expect(response?.status()).toBe(200);
    await page.getByText('claims-read').first().waitFor();
    expect(blocked).toEqual([]);
    await context.close();
  });

  it('shows no dashboard without the key', async () => {
    const context = await browser.newContext({ httpCredentials: { username: 'admin', password: 'wk_not-a-key' } });
    const page = await context.newPage();
    const response = await page.goto(`${baseUrl}/admin/queues`);
    expect(response?.status()).toBe(401);
    await context.close();
  });
});
