import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedApi, type EmbeddedApi } from '../../support/embedded-api.js';

/** Every answer carries the browser security headers; the workbench keeps its own strict policy. */
describe('security headers', () => {
  let api: EmbeddedApi;

  beforeAll(async () => {
    api = await startEmbeddedApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  it.each(['/health', '/claims/ANY', '/openapi.json', '/review/api/session', '/no-such-route'])('sets them on %s', async (url) => {
    const { headers } = await api.app.inject({ method: 'GET', url });
    expect(headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'strict-transport-security': expect.stringMatching(/max-age=\d+/),
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'content-security-policy': expect.stringContaining("frame-ancestors 'none'"),
    });
  });

  it('keeps the workbench page on its own strict policy: scripts and styles from this origin only, no framing', async () => {
    const page = await api.app.inject({ method: 'GET', url: '/review' });
    const policy = String(page.headers['content-security-policy']);
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("style-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).toContain("frame-ancestors 'none'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['strict-transport-security']).toMatch(/max-age=\d+/);
  });

  it('still serves the API documentation page', async () => {
    const docs = await api.app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-security-policy']).toEqual(expect.any(String));
  });
});
