import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedApi, type EmbeddedApi } from '../../../support/embedded-api.js';

/** Who may make accounts and use the workbench: checked on `app.inject` over the embedded database. */
describe('access to the reviewer workbench', () => {
  let api: EmbeddedApi;
  const keys = { reviewer: '', admin: '' };

  const createAccount = (key: string, username: string, role: string, password = `${username}-long-password`) =>
    api.app.inject({
      method: 'POST',
      url: '/admin/users',
      headers: { authorization: `Bearer ${key}` },
      payload: { username, password, role },
    });

  /** Signs in and keeps the session cookie and CSRF token, as the browser does. */
  const signIn = async (username: string) => {
    const signedIn = await api.app.inject({
      method: 'POST',
      url: '/review/api/session',
      payload: { username, password: `${username}-long-password` },
    });
    expect(signedIn.statusCode).toBe(200);
    return { cookie: String(signedIn.headers['set-cookie']).split(';')[0]!, csrf: signedIn.json<{ csrfToken: string }>().csrfToken };
  };

  beforeAll(async () => {
    api = await startEmbeddedApi();
    keys.reviewer = (await api.runtime.apiKeys.create('test reviewer', 'reviewer')).key;
    keys.admin = (await api.runtime.apiKeys.create('test admin', 'admin')).key;
    expect((await createAccount(keys.admin, 'alice', 'reviewer')).statusCode).toBe(201);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('lets only admin keys create accounts, and refuses short passwords and taken names', async () => {
    expect((await createAccount(keys.reviewer, 'mallory', 'admin')).statusCode).toBe(403);
    const short = await createAccount(keys.admin, 'dave', 'reviewer', 'short');
    expect([short.statusCode, short.body]).toEqual([400, expect.stringMatching(/at least 12/)]);
    const taken = await createAccount(keys.admin, 'alice', 'reviewer');
    expect([taken.statusCode, taken.body]).toEqual([409, expect.stringMatching(/taken/)]);
  });

  it('refuses the workbench to an account without the reviewer role', async () => {
    expect((await createAccount(keys.admin, 'sam', 'submitter')).statusCode).toBe(201);
    const sam = await signIn('sam');
    const refused = await api.app.inject({ method: 'GET', url: '/review/api/queue', headers: { cookie: sam.cookie } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toMatch(/role submitter.*reviewer or admin/);
  });

  it('documents the workbench API in the OpenAPI document, with the session cookie as its security', async () => {
    const doc = (await api.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.components.securitySchemes.session).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'warranty_session' });
    expect(doc.paths['/review/api/queue'].get.security).toEqual([{ session: [] }]);
    expect(
      doc.paths['/review/api/claims/{id}/decision'].post.requestBody.content['application/json'].schema.oneOf ??
        doc.paths['/review/api/claims/{id}/decision'].post.requestBody.content['application/json'].schema.anyOf,
    ).toHaveLength(3);
  });

  it('refuses changes without the session’s CSRF token', async () => {
    const alice = await signIn('alice');
    for (const [method, url] of [
      ['POST', '/review/api/claims/Q-OLD/lease'],
      ['DELETE', '/review/api/session'],
    ] as const) {
      expect((await api.app.inject({ method, url, headers: { cookie: alice.cookie } })).statusCode).toBe(403);
    }
  });
});
