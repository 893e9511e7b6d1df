import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_FIELD } from '../../../../src/domain/extraction.js';
import type { ClaimResult } from '../../../../src/domain/result.js';
import { startEmbeddedApi, type EmbeddedApi } from '../../../support/embedded-api.js';

/** Giving a claim back to the queue: only the reviewer holding it can, anyone else is told who does. */
describe('releasing a claim’s lease', () => {
  let api: EmbeddedApi;
  const sessions: Record<string, { cookie: string; csrf: string }> = {};

  const call = async (who: string, method: 'POST' | 'DELETE', url: string) => {
    const response = await api.app.inject({
      method,
      url: `/review/api${url}`,
      headers: { cookie: sessions[who]!.cookie, 'x-csrf-token': sessions[who]!.csrf },
    });
    return { status: response.statusCode, body: response.statusCode === 204 ? null : response.json() };
  };

  beforeAll(async () => {
    api = await startEmbeddedApi();
    const adminKey = (await api.runtime.apiKeys.create('operations', 'admin')).key;
    for (const username of ['alice', 'bob']) {
      const password = `${username}-long-password`;
      await api.app.inject({
        method: 'POST',
        url: '/admin/users',
        headers: { authorization: `Bearer ${adminKey}` },
        payload: { username, password, role: 'reviewer' },
      });
      const signedIn = await api.app.inject({ method: 'POST', url: '/review/api/session', payload: { username, password } });
      sessions[username] = { cookie: String(signedIn.headers['set-cookie']).split(';')[0]!, csrf: signedIn.json().csrfToken };
    }
    for (const claimId of ['HELD-1', 'FREE-1']) {
      await api.runtime.claims.reserve(claimId, null);
      const result: ClaimResult = {
        file: null,
        claimId,
        status: 'needs_review',
        fields: { purchaseDate: EMPTY_FIELD, retailer: EMPTY_FIELD, model: EMPTY_FIELD, serial: EMPTY_FIELD, imei: EMPTY_FIELD },
        warranty: null,
        flags: [],
        policyVersion: '2026.3',
        documentHash: null,
      };
      await api.runtime.claims.saveResult(result, [], []);
    }
  });
  afterAll(async () => {
    await api?.close();
  });

  it('refuses with 409 to release a lease another reviewer holds, and the lease stays theirs', async () => {
    expect((await call('alice', 'POST', '/claims/HELD-1/lease')).status).toBe(200);
    const refused = await call('bob', 'DELETE', '/claims/HELD-1/lease');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'LEASE_HELD', message: expect.stringContaining('alice') });
    expect((await call('bob', 'POST', '/claims/HELD-1/lease')).status).toBe(409);
  });

  it('refuses with 409 to release a claim nobody holds, and 404 for no such claim', async () => {
    expect(await call('bob', 'DELETE', '/claims/FREE-1/lease')).toMatchObject({ status: 409, body: { error: 'LEASE_NOT_HELD' } });
    expect((await call('bob', 'DELETE', '/claims/NO-SUCH/lease')).status).toBe(404);
  });

  it('lets the holder release it, after which another reviewer may take it', async () => {
    expect((await call('alice', 'DELETE', '/claims/HELD-1/lease')).status).toBe(204);
    expect((await call('bob', 'POST', '/claims/HELD-1/lease')).status).toBe(200);
  });
});
