import { describe, expect, it } from 'vitest';
import { useDistributedEnv } from '../../support/distributed-env.js';
import { getJson } from '../../support/claims-client.js';

/** The listening API's readiness follows its real dependencies: every one up, then object storage stopped and started again. */
describe('readiness as object storage goes away', () => {
  const env = useDistributedEnv();

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
