import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sample } from '../../support/claims-client.js';
import { injectClaim, startEmbeddedApi, type EmbeddedApi } from '../../support/embedded-api.js';

/** Who may call what: checked on the API app itself (`app.inject`), on the embedded database, without object storage. */
describe('API keys and roles', () => {
  let api: EmbeddedApi;
  const keys = { submitter: '', reviewer: '', admin: '' };
  const get = (url: string, authorization?: string) =>
    api.app.inject({ method: 'GET', url, headers: authorization ? { authorization } : {} });

  beforeAll(async () => {
    api = await startEmbeddedApi();
    keys.submitter = (await api.runtime.apiKeys.create('test submitter', 'submitter')).key;
    keys.reviewer = (await api.runtime.apiKeys.create('test reviewer', 'reviewer')).key;
    keys.admin = (await api.runtime.apiKeys.create('test admin', 'admin')).key;
  });
  afterAll(async () => {
    await api?.close();
  });

  it('refuses a submission without a key, with a made-up key, and from a reviewer', async () => {
    const receipt = await sample('invoice-text.pdf');
    const anonymous = await injectClaim(api.app, null, { country: 'DE' }, receipt);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Bearer realm="warranty"');
    expect((await injectClaim(api.app, 'wk_not-a-key', { country: 'DE' }, receipt)).status).toBe(401);
    const reviewer = await injectClaim(api.app, keys.reviewer, { country: 'DE' }, receipt);
    expect(reviewer.status).toBe(403);
    expect(reviewer.body.message).toMatch(/submitter or admin/);
    expect(await api.runtime.claims.countByStatus()).toEqual([]);
  });

  it('keeps receipts from submitters and the dashboard and metrics from everyone but admins', async () => {
    expect((await get('/claims/x/receipt', `Bearer ${keys.submitter}`)).statusCode).toBe(403);
    for (const route of ['/metrics', '/admin/queues']) {
      expect((await get(route)).statusCode).toBe(401);
      expect((await get(route, `Bearer ${keys.reviewer}`)).statusCode).toBe(403);
    }
  });

  it('serves admins the metrics and the queue dashboard, also through a browser login (Basic)', async () => {
    const metrics = await get('/metrics', `Bearer ${keys.admin}`);
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toMatch(/warranty_queue_jobs\{queue="read",state="waiting",process="api"\} 0/);
    expect(metrics.body).toContain('warranty_http_request_seconds');
    const basic = `Basic ${Buffer.from(`admin:${keys.admin}`).toString('base64')}`;
    const board = await get('/admin/queues', basic);
    expect(board.statusCode).toBe(200);
    expect(board.body).toMatch(/<html/i);
    const queues = await get('/admin/queues/api/queues', basic);
    expect(
      queues
        .json<{ queues: Array<{ name: string }> }>()
        .queues.map((q) => q.name)
        .sort(),
    ).toEqual(['claims-decide', 'claims-extract', 'claims-read', 'claims-reprocess', 'webhooks-deliver']);
  });

  it('stops honouring a revoked key', async () => {
    const { key, owner } = await api.runtime.apiKeys.create('temporary', 'submitter');
    expect((await get('/claims/none', `Bearer ${key}`)).statusCode).toBe(404);
    await api.runtime.apiKeys.revoke(owner.id);
    expect((await get('/claims/none', `Bearer ${key}`)).statusCode).toBe(401);
  });

  it('publishes an OpenAPI document generated from the request schemas', async () => {
    const doc = (await get('/openapi.json')).json();
    const post = doc.paths['/claims'].post;
    expect(Object.keys(post.requestBody.content)).toEqual(['multipart/form-data']);
    const schema = post.requestBody.content['multipart/form-data'].schema;
    expect(schema.properties.receipt.format).toBe('binary');
    expect(schema.properties.purchaseDate.pattern).toBeDefined();
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['202', '400', '413', '415', '422']));
    expect(doc.paths['/claims/{id}'].get).toBeDefined();
    // The status the customer is shown, by the number they quote; the stored statuses spelled out.
    const byRequest = doc.paths['/claims/by-request/{requestNumber}'].get;
    expect(Object.keys(byRequest.responses)).toEqual(expect.arrayContaining(['200', '404']));
    const view = byRequest.responses['200'].content['application/json'].schema;
    expect(view.properties.status.enum).toEqual(expect.arrayContaining(['awaiting_customer', 'closed']));
    expect(Object.keys(view.properties)).toEqual(expect.arrayContaining(['statusText', 'customerRequest']));
  });
});
