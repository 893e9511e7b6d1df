import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_FIELD } from '../../../src/domain/extraction.js';
import { ClaimResult } from '../../../src/domain/result.js';
import { WebhookEvent } from '../../../src/domain/webhooks.js';
import { sample, sendJson, submitClaim } from '../../support/claims-client.js';
import { eventually, useDistributedEnv, type DistributedEnv } from '../../support/distributed-env.js';
import { newReviewer } from '../../support/review-client.js';
import { verifyWarrantySignature } from '../../support/verify-webhook-signature.js';
import { WebhookReceiver, type ReceivedRequest } from '../../support/webhook-receiver.js';

const call = (env: DistributedEnv, key: string, method: string, route: string, body?: unknown) =>
  sendJson(env.baseUrl, key, method, route, body);

/** The subscription's deliveries once all are delivered with `attempts` attempts on record in all. */
function deliveriesOnceSettled(env: DistributedEnv, subscriptionId: string, attempts: number): Promise<any[]> {
  return eventually(async () => {
    const { body } = await call(env, env.keys.submitter, 'GET', `/webhooks/${subscriptionId}/deliveries`);
    const settled = body.deliveries.every((d: { state: string }) => d.state === 'delivered');
    const recorded = body.deliveries.reduce((n: number, d: { attempts: unknown[] }) => n + d.attempts.length, 0);
    return settled && recorded === attempts ? body.deliveries : undefined;
  });
}

const verified = (request: ReceivedRequest, secret: string) =>
  verifyWarrantySignature(request.body, String(request.headers['warranty-signature']), secret);

/** A machine decision sending a claim to review, as the workers store it. */
function needsReview(claimId: string): ClaimResult {
  return {
    file: null,
    claimId,
    status: 'needs_review',
    fields: { purchaseDate: EMPTY_FIELD, retailer: EMPTY_FIELD, model: EMPTY_FIELD, serial: EMPTY_FIELD, imei: EMPTY_FIELD },
    warranty: null,
    flags: [
      { code: 'LOW_CONFIDENCE', message: 'The serial could not be read with certainty.', evidence: { field: 'serial', confidence: 0.41 } },
    ],
    policyVersion: '2026.5',
    documentHash: null,
  };
}

describe('webhook deliveries', () => {
  const env = useDistributedEnv({ workers: true, env: () => ({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_RELAY_MS: '100' }) });
  let ours: WebhookReceiver;
  let theirs: WebhookReceiver;
  let otherKey: string;
  let subscription: { id: string; secret: string };
  let otherSubscription: { id: string };

  beforeAll(async () => {
    ours = await WebhookReceiver.start();
    theirs = await WebhookReceiver.start();
    otherKey = (await env().runtime.apiKeys.create('another intake', 'submitter')).key;
    const created = await call(env(), env().keys.submitter, 'POST', '/webhooks', {
      url: ours.url,
      events: ['claim.decided', 'claim.needs_review', 'claim.customer_asked'],
      description: 'intake service',
    });
    expect(created).toMatchObject({ status: 201, body: { url: ours.url, description: 'intake service' } });
    subscription = created.body;
    const other = await call(env(), otherKey, 'POST', '/webhooks', { url: theirs.url, events: ['claim.decided', 'claim.needs_review'] });
    expect(other.status).toBe(201);
    otherSubscription = other.body;
  }, 60_000);

  afterAll(async () => {
    await Promise.all([ours.close(), theirs.close()]);
  });

  it('signs claim.decided for a submitted claim, with its event id, request number and result contract, for its submitter only', async () => {
    expect(subscription.secret).toMatch(/^whsec_/);
    const accepted = await submitClaim(
      env().baseUrl,
      env().keys.submitter,
      { claimId: 'HOOK-1', country: 'DE', claimDate: '2025-06-01' },
      await sample('invoice-text.pdf'),
    );
    expect(accepted.status).toBe(202);
    await ours.until((r) => r.accepted.some((q) => q.event.claimId === 'HOOK-1'));

    const [delivery] = ours.requests.filter((q) => q.event.claimId === 'HOOK-1');
    expect(verified(delivery!, subscription.secret)).toBe(true);
    expect(verified(delivery!, 'whsec_someone-else')).toBe(false);
    expect(delivery!.headers['content-type']).toBe('application/json');
    expect(delivery!.headers['warranty-event-id']).toBe(delivery!.event.id);
    expect(delivery!.headers['warranty-event-type']).toBe('claim.decided');
    expect(delivery!.event).toMatchObject({
      id: expect.stringMatching(/^evt_[0-9a-f]{32}$/),
      type: 'claim.decided',
      claimId: 'HOOK-1',
      requestNumber: accepted.body.requestNumber,
      data: { status: 'eligible' },
    });
    expect(WebhookEvent.strict().parse(delivery!.event)).toEqual(delivery!.event);
    expect(new Date(delivery!.event.created).toISOString()).toBe(delivery!.event.created);
    expect(ClaimResult.parse(delivery!.event.data.result)).toMatchObject({ claimId: 'HOOK-1', status: 'eligible' });

    // The other key's subscription was never written a delivery for it (the outbox row would be
    // in the same transaction as the decision that was just delivered), and its receiver heard nothing.
    expect((await call(env(), otherKey, 'GET', `/webhooks/${otherSubscription.id}/deliveries`)).body.deliveries).toEqual([]);
    expect(theirs.requests).toEqual([]);
  }, 180_000);

  it('lets a key see and delete only its own subscriptions', async () => {
    expect((await call(env(), otherKey, 'GET', '/webhooks')).body.webhooks.map((w: { id: string }) => w.id)).toEqual([
      otherSubscription.id,
    ]);
    expect((await call(env(), otherKey, 'GET', `/webhooks/${subscription.id}`)).status).toBe(404);
    expect((await call(env(), otherKey, 'GET', `/webhooks/${subscription.id}/deliveries`)).status).toBe(404);
    expect((await call(env(), otherKey, 'DELETE', `/webhooks/${subscription.id}`)).status).toBe(404);
    expect((await call(env(), otherKey, 'POST', `/webhooks/${subscription.id}/rotate-secret`)).status).toBe(404);
    expect((await call(env(), env().keys.reviewer, 'GET', '/webhooks')).status).toBe(403);
    const mine = await call(env(), env().keys.submitter, 'GET', `/webhooks/${subscription.id}`);
    expect(mine).toMatchObject({ status: 200, body: { id: subscription.id, url: ours.url } });
    expect(mine.body).not.toHaveProperty('secret');
  });

  it('lists each event with its attempts, and sends one again under the same event id', async () => {
    const [first] = ours.accepted;
    // The receiver answers before the worker writes the attempt down.
    const listed = await deliveriesOnceSettled(env(), subscription.id, 1);
    expect(listed).toEqual([
      {
        eventId: first!.event.id,
        type: 'claim.decided',
        claimId: 'HOOK-1',
        createdAt: first!.event.created,
        state: 'delivered',
        deliveredAt: expect.any(String),
        attempts: [{ at: expect.any(String), durationMs: expect.any(Number), statusCode: 200, error: null }],
      },
    ]);

    const resend = await call(env(), env().keys.submitter, 'POST', `/webhooks/${subscription.id}/deliveries/${first!.event.id}/redeliver`);
    expect(resend).toMatchObject({ status: 202, body: { eventId: first!.event.id, state: 'pending' } });
    await ours.until((r) => r.accepted.filter((q) => q.event.id === first!.event.id).length === 2);
    const again = ours.accepted.at(-1)!;
    expect(again.body).toBe(first!.body);
    expect(verified(again, subscription.secret)).toBe(true);
    const relisted = await deliveriesOnceSettled(env(), subscription.id, 2);
    expect(relisted[0].attempts.map((a: { statusCode: number }) => a.statusCode)).toEqual([200, 200]);
    expect((await call(env(), otherKey, 'POST', `/webhooks/${subscription.id}/deliveries/${first!.event.id}/redeliver`)).status).toBe(404);
  }, 60_000);

  it('signs with a rotated secret from then on', async () => {
    const rotated = await call(env(), env().keys.submitter, 'POST', `/webhooks/${subscription.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    const [first] = ours.accepted;
    await call(env(), env().keys.submitter, 'POST', `/webhooks/${subscription.id}/deliveries/${first!.event.id}/redeliver`);
    await ours.until((r) => r.accepted.filter((q) => q.event.id === first!.event.id).length === 3);
    const signed = ours.accepted.at(-1)!;
    expect(verified(signed, rotated.body.secret)).toBe(true);
    expect(verified(signed, subscription.secret)).toBe(false);
    await deliveriesOnceSettled(env(), subscription.id, 3);
    subscription.secret = rotated.body.secret;
  }, 60_000);

  it('tells the subscriber a claim needs review, then what the reviewer asks the customer for, in that order', async () => {
    const { runtime } = env();
    await runtime.claims.submit({
      claimId: 'HOOK-ASK',
      file: 'receipt.jpg',
      form: { claimDate: '2025-06-01' },
      receiptKey: 'receipts/00/none',
      documentHash: 'none',
      tenant: 'test submitter',
      identifiers: [],
    });
    await runtime.claims.saveResult(needsReview('HOOK-ASK'), [], []);
    const alice = await newReviewer(env(), 'alice');
    expect((await alice.call('POST', '/claims/HOOK-ASK/lease')).status).toBe(200);
    const asked = await alice.call('POST', '/claims/HOOK-ASK/decision', {
      action: 'request_info',
      items: ['SERIAL_LABEL_PHOTO'],
      note: 'A photo of the label on the back of the device, please.',
      corrections: {},
    });
    expect(asked.status).toBe(200);
    await ours.until((r) => r.accepted.some((q) => q.event.type === 'claim.customer_asked'));

    const told = ours.accepted.filter((q) => q.event.claimId === 'HOOK-ASK');
    expect(told.map((q) => q.event.type)).toEqual(['claim.needs_review', 'claim.customer_asked']);
    expect(told.every((q) => verified(q, subscription.secret))).toBe(true);
    expect(told[0]!.event.data).toMatchObject({ status: 'needs_review', result: { status: 'needs_review' } });
    // A submitter reads the flag in general words: no scores.
    expect(told[0]!.event.data.result.flags[0].evidence).toEqual({});
    expect(told[1]!.event.data).toMatchObject({
      status: 'awaiting_customer',
      request: {
        items: [{ code: 'SERIAL_LABEL_PHOTO', clears: expect.arrayContaining(['MISSING_SERIAL']) }],
        note: 'A photo of the label on the back of the device, please.',
      },
    });
  }, 60_000);

  it("gives an admin key's subscription the result in the machine's own words", async () => {
    const admins = await WebhookReceiver.start();
    try {
      const created = await call(env(), env().keys.admin, 'POST', '/webhooks', { url: admins.url, events: ['claim.needs_review'] });
      expect(created.status).toBe(201);
      await env().runtime.claims.submit({
        claimId: 'HOOK-ADMIN',
        file: null,
        form: {},
        receiptKey: 'receipts/00/admin',
        documentHash: 'admin',
        tenant: 'test admin',
        identifiers: [],
      });
      await env().runtime.claims.saveResult(needsReview('HOOK-ADMIN'), [], []);
      await admins.until((r) => r.accepted.length === 1);
      expect(admins.accepted[0]!.event.data.result.flags[0]).toEqual(needsReview('HOOK-ADMIN').flags[0]);
      expect(verified(admins.accepted[0]!, created.body.secret)).toBe(true);
      // The submitter's subscription was written nothing for the admin's claim (it would have been, with the admin's).
      const theirs = await call(env(), env().keys.submitter, 'GET', `/webhooks/${subscription.id}/deliveries?limit=100`);
      expect(theirs.body.deliveries.map((d: { claimId: string }) => d.claimId)).not.toContain('HOOK-ADMIN');
    } finally {
      await admins.close();
    }
  }, 60_000);

  it('sends nothing more to a deleted subscription', async () => {
    expect((await call(env(), env().keys.submitter, 'DELETE', `/webhooks/${subscription.id}`)).status).toBe(204);
    expect((await call(env(), env().keys.submitter, 'GET', `/webhooks/${subscription.id}`)).status).toBe(404);
    expect((await call(env(), env().keys.submitter, 'GET', '/webhooks')).body.webhooks).toEqual([]);
  });
});
