import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedClaimNeedingReview } from '../../../support/claim-results.js';
import { startEmbeddedApi, type EmbeddedApi } from '../../../support/embedded-api.js';
import { createInjectedReviewers, injectedCall, injectedSignIn, type InjectedSession } from '../../../support/review-client.js';

/** Giving a claim back to the queue: only the reviewer holding it can, anyone else is told who does. */
describe('releasing a claim’s lease', () => {
  let api: EmbeddedApi;
  const sessions: Record<string, InjectedSession> = {};

  const call = (who: string, method: 'POST' | 'DELETE', url: string) => injectedCall(api, sessions[who]!, method, url);

  beforeAll(async () => {
    api = await startEmbeddedApi();
    await createInjectedReviewers(api, ['alice', 'bob']);
    for (const username of ['alice', 'bob']) sessions[username] = await injectedSignIn(api, username);
    for (const claimId of ['HELD-1', 'FREE-1']) await seedClaimNeedingReview(api.runtime.claims, claimId);
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
