import { beforeAll, describe, expect, it } from 'vitest';
import type { FlagCode } from '../../../../src/domain/flags.js';
import { storedResult } from '../../../support/claim-results.js';
import { useDistributedEnv } from '../../../support/distributed-env.js';
import { createAccount, signIn, type ReviewerSession } from '../../../support/review-client.js';

describe('what an open workbench page asks to keep up: the queue after a claim, its news, a claim’s state', () => {
  const env = useDistributedEnv();
  let alice: ReviewerSession;
  let bob: ReviewerSession;

  const seed = async (claimId: string, flags: FlagCode[]) => {
    await env().runtime.claims.reserve(claimId, null);
    await env().runtime.claims.saveResult({ ...storedResult(claimId, 'needs_review', flags), file: null, documentHash: null }, [], []);
  };
  const ids = (body: { items: Array<{ claimId: string }> }) => body.items.map((i) => i.claimId);

  beforeAll(async () => {
    alice = await signIn(env().baseUrl, 'alice', await createAccount(env(), 'alice', 'reviewer'));
    bob = await signIn(env().baseUrl, 'bob', await createAccount(env(), 'bob', 'reviewer'));
    await seed('N-1', ['SERIAL_MISMATCH']);
    await seed('N-2', ['DUPLICATE_RECEIPT']);
    await seed('N-3', ['SERIAL_MISMATCH']);
    await seed('N-4', ['SERIAL_MISMATCH']);
  }, 60_000);

  it('lists the claims after a given claim in queue order, with or without a flag, and refuses `after` with `cursor`', async () => {
    expect(ids((await alice.call('GET', '/queue?after=N-1')).body)).toEqual(['N-2', 'N-3', 'N-4']);
    expect(ids((await alice.call('GET', '/queue?flag=SERIAL_MISMATCH&after=N-1')).body)).toEqual(['N-3', 'N-4']);
    // A claim that left the queue still has its place in it.
    await alice.call('POST', '/claims/N-2/lease');
    expect((await alice.call('POST', '/claims/N-2/decision', { action: 'approve' })).status).toBe(200);
    expect(ids((await alice.call('GET', '/queue?flag=SERIAL_MISMATCH&after=N-2')).body)).toEqual(['N-3', 'N-4']);
    expect((await alice.call('GET', '/queue?after=NOPE')).status).toBe(404);
    const first = await alice.call('GET', '/queue?limit=1');
    expect((await alice.call('GET', `/queue?after=N-1&cursor=${first.body.next}`)).status).toBe(400);
  });

  it('counts the claims that joined the queue since a page was read, within its filters', async () => {
    const page = await alice.call('GET', '/queue?flag=LOW_CONFIDENCE');
    expect(page.body.asOf).toEqual(expect.any(String));
    const news = (since: string, filter = 'flag=LOW_CONFIDENCE&') =>
      alice.call('GET', `/queue/news?${filter}since=${encodeURIComponent(since)}`).then((r) => r.body);
    expect(await news(page.body.asOf)).toMatchObject({ newClaims: 0 });

    await seed('N-NEW-1', ['LOW_CONFIDENCE']);
    await seed('N-NEW-2', ['LOW_CONFIDENCE', 'SERIAL_MISMATCH']);
    await seed('N-NEW-OTHER', ['MISSING_MODEL']);
    const after = await news(page.body.asOf);
    expect(after.newClaims).toBe(2);
    expect(await news(page.body.asOf, '')).toMatchObject({ newClaims: 3 });
    // The answer's asOf is the next since: nothing new after it.
    expect(await news(after.asOf)).toMatchObject({ newClaims: 0 });
    expect((await alice.call('GET', '/queue/news?flag=LOW_CONFIDENCE')).status).toBe(400);
  });

  it("tells a claim's status, who decided it and who holds it", async () => {
    await seed('N-HELD', ['UNKNOWN_PRODUCT']);
    expect((await alice.call('GET', '/claims/N-HELD/state')).body).toEqual({ status: 'needs_review', decidedBy: null, lease: null });
    await bob.call('POST', '/claims/N-HELD/lease');
    expect((await alice.call('GET', '/claims/N-HELD/state')).body).toMatchObject({ lease: { username: 'bob', mine: false } });
    expect((await bob.call('GET', '/claims/N-HELD/state')).body).toMatchObject({ lease: { username: 'bob', mine: true } });
    await bob.call('POST', '/claims/N-HELD/decision', { action: 'reject', reason: 'NOT_COVERED' });
    expect((await alice.call('GET', '/claims/N-HELD/state')).body).toEqual({ status: 'not_eligible', decidedBy: 'bob', lease: null });
    expect((await alice.call('GET', '/claims/NOPE/state')).status).toBe(404);
  });
});
