import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_FIELD } from '../../../src/domain/extraction.js';
import type { ClaimResult, ClaimStatus } from '../../../src/domain/result.js';
import { eventually, useDistributedEnv } from '../../support/distributed-env.js';
import { WebhookReceiver } from '../../support/webhook-receiver.js';

const ATTEMPTS = 3;
const CLAIMS = ['DOWN-A', 'DOWN-B', 'DOWN-C'];
/** Each claim is decided three times over (as re-checks and re-runs do), each change an event. */
const DECISIONS: ClaimStatus[] = ['needs_review', 'eligible', 'not_eligible'];

function result(claimId: string, status: ClaimStatus): ClaimResult {
  return {
    file: null,
    claimId,
    status,
    fields: { purchaseDate: EMPTY_FIELD, retailer: EMPTY_FIELD, model: EMPTY_FIELD, serial: EMPTY_FIELD, imei: EMPTY_FIELD },
    warranty: null,
    flags: [],
    policyVersion: '2026.5',
    documentHash: null,
  };
}

describe('a receiver that is down for longer than the retries, then up', () => {
  const env = useDistributedEnv({
    workers: true,
    // Small backoff and a short wait before failed deliveries go out again: the outage outlasts the retries within seconds.
    env: () => ({
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_ATTEMPTS: String(ATTEMPTS),
      WEBHOOK_BACKOFF_MS: '50',
      WEBHOOK_RETRY_FAILED_MS: '300',
      WEBHOOK_RELAY_MS: '100',
    }),
  });
  let receiver: WebhookReceiver;
  let subscriptionId: string;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    const created = await fetch(`${env().baseUrl}/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env().keys.submitter}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: receiver.url, events: ['claim.decided', 'claim.needs_review'] }),
    });
    subscriptionId = ((await created.json()) as { id: string }).id;
  }, 60_000);

  afterAll(() => receiver.close());

  it('gets every event afterwards, each once, in order per claim, none sent before the earlier ones of its claim arrived', async () => {
    let down = true;
    receiver.status = () => (down ? 503 : 200);
    const { claims } = env().runtime;
    for (const claimId of CLAIMS)
      await claims.submit({
        claimId,
        file: null,
        form: {},
        receiptKey: `receipts/00/${claimId}`,
        documentHash: claimId,
        tenant: 'test submitter',
        identifiers: [],
      });
    // Interleaved across claims, as changes arrive.
    for (const status of DECISIONS) for (const claimId of CLAIMS) await claims.saveResult(result(claimId, status), [], []);

    // Down until some event has been refused more often than the queue tries one round: it was
    // marked failed, and the relay handed it over again with a fresh budget.
    await receiver.until((r) => {
      const refusals = new Map<string, number>();
      for (const q of r.requests) refusals.set(q.event.id, (refusals.get(q.event.id) ?? 0) + 1);
      return [...refusals.values()].some((n) => n > ATTEMPTS);
    });
    down = false;
    const expected = await env().runtime.db.query<{ event_id: string; claim_id: string }>(
      'SELECT event_id, claim_id FROM webhook_deliveries WHERE subscription_id = $1 ORDER BY id',
      [subscriptionId],
    );
    expect(expected).toHaveLength(CLAIMS.length * DECISIONS.length);
    await receiver.until((r) => new Set(r.accepted.map((q) => q.event.id)).size === expected.length);

    // Each event once (by id), and per claim in the order of its changes.
    expect(receiver.accepted).toHaveLength(expected.length);
    for (const claimId of CLAIMS) {
      const order = expected.filter((e) => e.claim_id === claimId).map((e) => e.event_id);
      expect(receiver.accepted.filter((q) => q.event.claimId === claimId).map((q) => q.event.id)).toEqual(order);
      expect(receiver.accepted.filter((q) => q.event.claimId === claimId).map((q) => q.event.data.status)).toEqual(DECISIONS);
    }
    // Not even a refused attempt went out for an event while an earlier one of its claim was undelivered.
    const delivered = new Set<string>();
    for (const request of receiver.requests) {
      const order = expected.filter((e) => e.claim_id === request.event.claimId).map((e) => e.event_id);
      expect(order.slice(0, order.indexOf(request.event.id)).every((id) => delivered.has(id))).toBe(true);
      if (request.answered === 200) delivered.add(request.event.id);
    }
    const refused = receiver.requests.filter((q) => q.answered === 503).length;
    expect(refused).toBeGreaterThan(ATTEMPTS);

    // The attempts are on record once each 200 is (the receiver answers before the worker writes it down).
    type Page = { deliveries: Array<{ state: string; attempts: Array<{ statusCode: number }> }> };
    const page = await eventually(async () => {
      const response = await fetch(`${env().baseUrl}/webhooks/${subscriptionId}/deliveries?limit=100`, {
        headers: { authorization: `Bearer ${env().keys.submitter}` },
      });
      const body = (await response.json()) as Page;
      return body.deliveries.every((d) => d.state === 'delivered') ? body : undefined;
    });
    expect(page.deliveries.flatMap((d) => d.attempts).length).toBe(receiver.requests.length);
    expect(page.deliveries.every((d) => d.attempts.at(-1)!.statusCode === 200)).toBe(true);
  }, 120_000);
});
