import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedClaimNeedingReview } from '../../../support/claim-results.js';
import { startEmbeddedApi, type EmbeddedApi } from '../../../support/embedded-api.js';
import { createInjectedReviewers, injectedCall, injectedSignIn, type InjectedSession } from '../../../support/review-client.js';

/**
 * Signing out gives the reviewer's claims back to the queue on the server, so no order of the
 * browser's clean-up requests (lease release, session end) can leave a claim reserved.
 */
describe('signing out of the workbench', () => {
  let api: EmbeddedApi;

  const signIn = (username: string) => injectedSignIn(api, username);
  const call = async (session: InjectedSession, method: 'POST' | 'DELETE', url: string) =>
    (await injectedCall(api, session, method, url)).status;

  beforeAll(async () => {
    api = await startEmbeddedApi();
    await createInjectedReviewers(api, ['alice', 'bob']);
    for (const claimId of ['SIGN-OUT-1', 'SIGN-OUT-2']) await seedClaimNeedingReview(api.runtime.claims, claimId);
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
