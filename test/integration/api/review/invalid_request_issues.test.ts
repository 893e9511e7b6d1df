import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedApi, type EmbeddedApi } from '../../../support/embedded-api.js';

/** A wrong value in a workbench request is answered with where it is, so the page can show it beside its field. */
describe('invalid workbench requests', () => {
  let api: EmbeddedApi;
  let session: { cookie: string; csrf: string };

  beforeAll(async () => {
    api = await startEmbeddedApi();
    const adminKey = (await api.runtime.apiKeys.create('operations', 'admin')).key;
    const password = 'rita-long-password';
    await api.app.inject({
      method: 'POST',
      url: '/admin/users',
      headers: { authorization: `Bearer ${adminKey}` },
      payload: { username: 'rita', password, role: 'reviewer' },
    });
    const signedIn = await api.app.inject({ method: 'POST', url: '/review/api/session', payload: { username: 'rita', password } });
    session = { cookie: String(signedIn.headers['set-cookie']).split(';')[0]!, csrf: signedIn.json().csrfToken };
  });
  afterAll(async () => {
    await api?.close();
  });

  const request = async (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) => {
    const response = await api.app.inject({
      method,
      url: `/review/api${url}`,
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
      ...(payload === undefined ? {} : { payload }),
    });
    return { status: response.statusCode, body: response.json() };
  };

  it('names the queue filter that is not a calendar day or not a known flag', async () => {
    const badDate = await request('GET', '/queue?from=2024-13-45&to=2024-02-29');
    expect(badDate.status).toBe(400);
    expect(badDate.body.issues).toEqual([{ in: 'querystring', path: 'from', message: expect.stringMatching(/calendar date/) }]);

    const badFlag = await request('GET', '/queue?flag=NO_SUCH_FLAG');
    expect(badFlag.status).toBe(400);
    expect(badFlag.body.issues).toEqual([{ in: 'querystring', path: 'flag', message: expect.any(String) }]);
  });

  it('names the corrected field whose value is wrong', async () => {
    const answer = await request('POST', '/claims/ANY/assess', { corrections: { purchaseDate: '2024-02-30', serial: 'x'.repeat(65) } });
    expect(answer.status).toBe(400);
    expect(answer.body.issues).toEqual([
      { in: 'body', path: 'corrections.purchaseDate', message: expect.stringMatching(/calendar date/) },
      { in: 'body', path: 'corrections.serial', message: expect.any(String) },
    ]);
  });
});
