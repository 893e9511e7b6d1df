import { beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_FIELD } from '../../../../src/domain/extraction.js';
import type { ClaimResult } from '../../../../src/domain/result.js';
import { ClaimStateWriter } from '../../../../src/store/claim-state-writer.js';
import { useDistributedEnv } from '../../../support/distributed-env.js';
import { newReviewer, type ReviewerSession } from '../../../support/review-client.js';

/** A machine decision sending the claim to review, as the workers store it (no receipt needed here). */
function machineResult(claimId: string): ClaimResult {
  return {
    file: null,
    claimId,
    status: 'needs_review',
    fields: {
      purchaseDate: EMPTY_FIELD,
      retailer: { value: 'Elkjøp', confidence: 0.9, source: 'Elkjøp' },
      model: EMPTY_FIELD,
      serial: { value: '7XK2LPQA704915R', confidence: 0.7, source: '7XK2LPQA704915R' },
      imei: EMPTY_FIELD,
    },
    warranty: null,
    flags: [{ code: 'POSSIBLE_TAMPERING', message: 'the date stands out', evidence: {} }],
    policyVersion: '2026.1',
    documentHash: null,
  };
}

describe('taking a review decision back', () => {
  const env = useDistributedEnv();
  let alice: ReviewerSession;
  let bob: ReviewerSession;

  const seed = async (claimId: string) => {
    await env().runtime.claims.reserve(claimId, null);
    await env().runtime.claims.saveResult(machineResult(claimId), [], []);
  };
  const stored = async (claimId: string) => {
    const [row] = await env().runtime.db.query<{ status: string; result: ClaimResult; decided_by: string | null }>(
      'SELECT status, result, decided_by FROM claims WHERE id = $1',
      [claimId],
    );
    return row!;
  };
  const kinds = async (claimId: string) => (await env().runtime.claims.history(claimId)).map((e) => e.kind);
  const rejectAsAltered = async (claimId: string) => {
    expect((await alice.call('POST', `/claims/${claimId}/lease`)).status).toBe(200);
    return alice.call('POST', `/claims/${claimId}/decision`, {
      action: 'reject',
      reason: 'ALTERED_DOCUMENT',
      corrections: { serial: '7XK2LPQA704915B' },
    });
  };

  beforeAll(async () => {
    alice = await newReviewer(env(), 'alice');
    bob = await newReviewer(env(), 'bob');
    for (const id of ['U-UNDO', 'U-LATE', 'U-CHANGED']) await seed(id);
  }, 60_000);

  it('lets only the reviewer who decided take it back: the machine result returns, the claim is theirs again, both events stay', async () => {
    const decided = await rejectAsAltered('U-UNDO');
    expect(decided).toEqual({ status: 200, body: { status: 'not_eligible', undoSeconds: 10 } });
    expect((await stored('U-UNDO')).status).toBe('not_eligible');

    expect(await bob.call('POST', '/claims/U-UNDO/decision/undo')).toMatchObject({ status: 403, body: { error: 'NOT_YOUR_DECISION' } });
    expect((await stored('U-UNDO')).status).toBe('not_eligible');

    const undone = await alice.call('POST', '/claims/U-UNDO/decision/undo');
    expect(undone).toMatchObject({ status: 200, body: { status: 'needs_review', lease: { username: 'alice' } } });
    expect(await stored('U-UNDO')).toEqual({ status: 'needs_review', result: machineResult('U-UNDO'), decided_by: null });
    expect(await kinds('U-UNDO')).toEqual(['received', 'decided', 'reviewed', 'undone']);
    const history = await env().runtime.claims.history('U-UNDO');
    expect(history.at(-1)!.data).toMatchObject({ reviewer: 'alice', from: 'not_eligible', to: 'needs_review' });
    // Back in the queue, under its flag, reserved for alice; the withdrawn correction is no labelled example.
    const queue = await bob.call('GET', '/queue?flag=POSSIBLE_TAMPERING');
    expect(queue.body.items.find((i: { claimId: string }) => i.claimId === 'U-UNDO')).toMatchObject({ lease: { username: 'alice' } });
    expect((await bob.call('POST', '/claims/U-UNDO/lease')).body.error).toBe('LEASE_HELD');
    const examples = [];
    for await (const example of env().runtime.reviews.corrections()) if (example.claimId === 'U-UNDO') examples.push(example);
    expect(examples).toEqual([]);

    expect(await alice.call('POST', '/claims/U-UNDO/decision/undo')).toMatchObject({ status: 409, body: { error: 'NOTHING_TO_UNDO' } });
    // She decides again, with the lease the undo gave her.
    const again = await alice.call('POST', '/claims/U-UNDO/decision', { action: 'approve', corrections: {} });
    expect(again.status).toBe(200);
    expect(await kinds('U-UNDO')).toEqual(['received', 'decided', 'reviewed', 'undone', 'reviewed']);
  });

  it('refuses once the window has passed', async () => {
    expect((await rejectAsAltered('U-LATE')).status).toBe(200);
    await env().runtime.db.query(
      `UPDATE claim_events SET created_at = created_at - interval '11 seconds' WHERE claim_id = $1 AND kind = 'reviewed'`,
      ['U-LATE'],
    );
    expect(await alice.call('POST', '/claims/U-LATE/decision/undo')).toMatchObject({ status: 409, body: { error: 'UNDO_WINDOW_OVER' } });
    expect(await stored('U-LATE')).toMatchObject({ status: 'not_eligible', decided_by: 'alice' });
    expect(await kinds('U-LATE')).toEqual(['received', 'decided', 'reviewed']);
  });

  it('refuses when something happened to the claim after the decision', async () => {
    expect((await rejectAsAltered('U-CHANGED')).status).toBe(200);
    // A re-run batch looked at the decided claim meanwhile (what BatchRunner records for a reviewer-decided claim).
    await env().runtime.db.transaction((tx) =>
      new ClaimStateWriter().secondLooks(tx, 'batch-1', [
        { claimId: 'U-CHANGED', decidedBy: 'alice', humanStatus: 'not_eligible', machineStatus: 'eligible', added: [], dropped: [] },
      ]),
    );
    expect(await alice.call('POST', '/claims/U-CHANGED/decision/undo')).toMatchObject({ status: 409, body: { error: 'CHANGED_SINCE' } });
    expect(await stored('U-CHANGED')).toMatchObject({ status: 'not_eligible', decided_by: 'alice' });
    expect(await kinds('U-CHANGED')).toEqual(['received', 'decided', 'reviewed', 'second_look']);
  });
});
