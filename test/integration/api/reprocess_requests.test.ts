import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedApi, type EmbeddedApi } from '../../support/embedded-api.js';

/** Who may start a reprocessing batch, and with what filter: checked on `app.inject` over the embedded database. */
describe('a reprocessing batch requested through the admin API', () => {
  let api: EmbeddedApi;
  const keys = { reviewer: '', admin: '' };
  const post = async (key: string, body: object) => {
    const response = await api.app.inject({
      method: 'POST',
      url: '/admin/reprocess',
      headers: { authorization: `Bearer ${key}` },
      payload: body,
    });
    return { status: response.statusCode, body: response.json() };
  };

  beforeAll(async () => {
    api = await startEmbeddedApi();
    keys.reviewer = (await api.runtime.apiKeys.create('test reviewer', 'reviewer')).key;
    keys.admin = (await api.runtime.apiKeys.create('test admin', 'admin')).key;
  });
  afterAll(async () => {
    await api?.close();
  });

  it('is refused to non-admins and for a bad filter', async () => {
    expect((await post(keys.reviewer, { fromStage: 'assess', where: 'status=eligible' })).status).toBe(403);
    const bad = await post(keys.admin, { fromStage: 'assess', where: 'colour=red' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('INVALID_BATCH');
  });
});
