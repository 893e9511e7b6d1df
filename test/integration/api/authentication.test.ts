import { describe, expect, it } from 'vitest';
import { useDistributedEnv } from '../../support/distributed-env.js';
import { getJson, sample, submitClaim } from '../../support/claims-client.js';

describe('API keys and roles', () => {
  const env = useDistributedEnv();

  it('refuses a submission without a key, with a made-up key, and from a reviewer', async () => {
    const receipt = await sample('invoice-text.pdf');
    const anonymous = await submitClaim(env().baseUrl, null, { country: 'DE' }, receipt);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="warranty"');
    expect((await submitClaim(env().baseUrl, 'wk_not-a-key', { country: 'DE' }, receipt)).status).toBe(401);
    const reviewer = await submitClaim(env().baseUrl, env().keys.reviewer, { country: 'DE' }, receipt);
    expect(reviewer.status).toBe(403);
    expect(reviewer.body.message).toMatch(/submitter or admin/);
    expect(await env().runtime.claims.countByStatus()).toEqual([]);
  });

  it('keeps receipts from submitters and the dashboard and metrics from everyone but admins', async () => {
    expect((await getJson(env().baseUrl, '/claims/x/receipt', env().keys.submitter)).status).toBe(403);
    for (const route of ['/metrics', '/admin/queues']) {
      expect((await fetch(`${env().baseUrl}${route}`)).status).toBe(401);
      expect((await fetch(`${env().baseUrl}${route}`, { headers: { authorization: `Bearer ${env().keys.reviewer}` } })).status).toBe(403);
    }
  });

  it('serves admins the metrics and the queue dashboard, also through a browser login (Basic)', async () => {
    const metrics = await fetch(`${env().baseUrl}/metrics`, { headers: { authorization: `Bearer ${env().keys.admin}` } });
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toMatch(/warranty_queue_jobs\{queue="read",state="waiting",process="api"\} 0/);
    expect(text).toContain('warranty_http_request_seconds');
    const basic = Buffer.from(`admin:${env().keys.admin}`).toString('base64');
    const board = await fetch(`${env().baseUrl}/admin/queues`, { headers: { authorization: `Basic ${basic}` } });
    expect(board.status).toBe(200);
    expect(await board.text()).toMatch(/<html/i);
    const queues = await fetch(`${env().baseUrl}/admin/queues/api/queues`, { headers: { authorization: `Basic ${basic}` } });
    expect(((await queues.json()) as { queues: Array<{ name: string }> }).queues.map((q) => q.name).sort()).toEqual([
      'claims-decide',
      'claims-extract',
      'claims-read',
      'claims-reprocess',
    ]);
  });

  it('stops honouring a revoked key', async () => {
    const { key, owner } = await env().runtime.apiKeys.create('temporary', 'submitter');
    expect((await getJson(env().baseUrl, '/claims/none', key)).status).toBe(404);
    await env().runtime.apiKeys.revoke(owner.id);
    expect((await getJson(env().baseUrl, '/claims/none', key)).status).toBe(401);
  });

  it('publishes an OpenAPI document generated from the request schemas', async () => {
    const doc = (await getJson(env().baseUrl, '/openapi.json', null)).body;
    const post = doc.paths['/claims'].post;
    expect(Object.keys(post.requestBody.content)).toEqual(['multipart/form-data']);
    const schema = post.requestBody.content['multipart/form-data'].schema;
    expect(schema.properties.receipt.format).toBe('binary');
    expect(schema.properties.purchaseDate.pattern).toBeDefined();
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['202', '400', '413', '415', '422']));
    expect(doc.paths['/claims/{id}'].get).toBeDefined();
  });

  it('reports readiness per dependency (to admins) and turns unready when storage is away', async () => {
    expect(await getJson(env().baseUrl, '/ready', null)).toEqual({ status: 200, body: { ready: true } });
    const ready = await getJson(env().baseUrl, '/ready', env().keys.admin);
    expect(ready).toEqual({
      status: 200,
      body: { ready: true, checks: { redis: { ok: true }, storage: { ok: true }, database: { ok: true } } },
    });
    await env().s3.stop();
    try {
      expect(await getJson(env().baseUrl, '/ready', null)).toEqual({ status: 503, body: { ready: false } });
      const down = await getJson(env().baseUrl, '/ready', env().keys.admin);
      expect(down.status).toBe(503);
      expect(down.body.checks.storage.ok).toBe(false);
      expect(down.body.checks.database.ok).toBe(true);
    } finally {
      await env().s3.start();
    }
    expect((await getJson(env().baseUrl, '/health', null)).body).toEqual({ ok: true });
  });
});
