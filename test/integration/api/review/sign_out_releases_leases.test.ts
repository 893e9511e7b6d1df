import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_FIELD } from '../../../../src/domain/extraction.js';
import type { ClaimResult } from '../../../../src/domain/result.js';
import { startEmbeddedApi, type EmbeddedApi } from '../../../support/embedded-api.js';

interface Session {
  cookie: string;
  csrf: string;
}

/**
 * Signing out gives the reviewer's claims back to the queue on the server, so no order of the
 * browser's clean-up requests (lease release, session end) can leave a claim reserved.
 */
describe('signing out of the workbench', () => {
  let api: EmbeddedApi;

  const signIn = async (username: string): Promise<Session> => {
    const signedIn = await api.app.inject({
      method: 'POST',
      url: '/review/api/session',
      payload: { username, password: `${username}-long-password` },
    });
    return { cookie: String(signedIn.headers['set-cookie']).split(';')[0]!, csrf: signedIn.json().csrfToken };
  };
  const call = async (session: Session, method: 'POST' | 'DELETE', url: string) =>
    (
      await api.app.inject({
        method,
        url: `/review/api${url}`,
        headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
      })
    ).statusCode;

  beforeAll(async () => {
    api = await startEmbeddedApi();
    const adminKey = (await api.runtime.apiKeys.create('operations', 'admin')).key;
    for (const username of ['alice', 'bob']) {
      await api.app.inject({
        method: 'POST',
        url: '/admin/users',
        headers: { authorization: `Bearer ${adminKey}` },
        payload: { username, password: `${username}-long-password`, role: 'reviewer' },
      });
    }
    for (const claimId of ['SIGN-OUT-1', 'SIGN-OUT-2']) {
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

  it('gives back the claims of a reviewer whose session ends before the browser released them', async () => {
    const alice = await signIn('alice');
    const bob = await signIn('bob');
    expect(await call(alice, 'POST', '/claims/SIGN-OUT-1/lease')).toBe(200);
    expect(await call(bob, 'POST', '/claims/SIGN-OUT-1/lease')).toBe(409);

    expect(await call(alice, 'DELETE', '/session')).toBe(204);
    // The browser's own release arrives after the session's end: refused, and not needed.
    expect(await call(alice, 'DELETE', '/claims/SIGN-OUT-1/lease')).toBe(401);
    expect(await call(bob, 'POST', '/claims/SIGN-OUT-1/lease')).toBe(200);
    expect(await call(bob, 'DELETE', '/claims/SIGN-OUT-1/lease')).toBe(204);
  });

  it('keeps the claims of a reviewer still signed in elsewhere until their last session ends', async () => {
    const aliceAtDesk = await signIn('alice');
    const aliceOnLaptop = await signIn('alice');
    const bob = await signIn('bob');
    expect(await call(aliceAtDesk, 'POST', '/claims/SIGN-OUT-2/lease')).toBe(200);

    expect(await call(aliceOnLaptop, 'DELETE', '/session')).toBe(204);
    expect(await call(bob, 'POST', '/claims/SIGN-OUT-2/lease')).toBe(409);

    expect(await call(aliceAtDesk, 'DELETE', '/session')).toBe(204);
    expect(await call(bob, 'POST', '/claims/SIGN-OUT-2/lease')).toBe(200);
  });
});
