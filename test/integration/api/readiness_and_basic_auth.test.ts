import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedApi, type EmbeddedApi } from '../../support/embedded-api.js';

/**
 * Readiness tells anyone whether the service is up, and only admins why not; HTTP Basic (a browser's
 * own login prompt) opens the queue dashboard only, and is offered in a challenge browsers can read.
 */
describe('readiness and HTTP Basic', () => {
  let api: EmbeddedApi;
  const keys = { submitter: '', admin: '' };
  const basic = (key: string) => `Basic ${Buffer.from(`someone:${key}`).toString('base64')}`;
  const get = (url: string, authorization?: string) =>
    api.app.inject({ method: 'GET', url, headers: authorization ? { authorization } : {} });

  beforeAll(async () => {
    // Object storage is down here: nothing answers at its address.
    api = await startEmbeddedApi();
    keys.submitter = (await api.runtime.apiKeys.create('acme', 'submitter')).key;
    keys.admin = (await api.runtime.apiKeys.create('operations', 'admin')).key;
  });
  afterAll(async () => {
    await api?.close();
  });

  it('tells an anonymous caller only that the service is not ready', async () => {
    const anonymous = await get('/ready');
    expect(anonymous.statusCode).toBe(503);
    expect(anonymous.json()).toEqual({ ready: false });
    const port = new URL(api.storageEndpoint).port;
    expect(anonymous.body).not.toContain(port);
    const submitter = await get('/ready', `Bearer ${keys.submitter}`);
    expect([submitter.statusCode, submitter.json()]).toEqual([503, { ready: false }]);
  });

  it('tells an admin which dependency is down and why', async () => {
    const admin = await get('/ready', `Bearer ${keys.admin}`);
    expect(admin.statusCode).toBe(503);
    const body = admin.json();
    expect(body.ready).toBe(false);
    expect(body.checks.database).toEqual({ ok: true });
    expect(body.checks.storage.ok).toBe(false);
    expect(body.checks.storage.error).toEqual(expect.any(String));
  });

  it('refuses HTTP Basic on the API, offering only Bearer', async () => {
    for (const [url, key] of [
      ['/claims/ANY', keys.submitter],
      ['/metrics', keys.admin],
    ] as const) {
      const answer = await get(url, basic(key));
      expect(answer.statusCode).toBe(401);
      expect(answer.headers['www-authenticate']).toBe('Bearer realm="warranty"');
    }
    expect((await get('/claims/ANY', `Bearer ${keys.submitter}`)).statusCode).toBe(404);
  });

  it('opens the queue dashboard with HTTP Basic, challenging with Basic and Bearer in separate headers', async () => {
    const challenge = await get('/admin/queues');
    expect(challenge.statusCode).toBe(401);
    expect(challenge.headers['www-authenticate']).toEqual(['Basic realm="warranty", charset="UTF-8"', 'Bearer realm="warranty"']);
    expect((await get('/admin/queues', basic(keys.submitter))).statusCode).toBe(403);
    const board = await get('/admin/queues', basic(keys.admin));
    expect(board.statusCode).toBe(200);
    expect(board.body).toMatch(/<html/i);
  });
});
