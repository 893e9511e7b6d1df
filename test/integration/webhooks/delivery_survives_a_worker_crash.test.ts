import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sample, submitClaim } from '../../support/claims-client.js';
import { eventually, useDistributedEnv } from '../../support/distributed-env.js';
import { verifyWarrantySignature } from '../../support/verify-webhook-signature.js';
import { WebhookReceiver } from '../../support/webhook-receiver.js';

/** A worker that dies (SIGKILL) the moment a decision has committed, before anything after it runs. */
const CRASH_AFTER_COMMIT = { WARRANTY_TEST_CRASH_POINT: 'after-decision-commit' };

const exitSignal = (worker: ChildProcess) =>
  new Promise<NodeJS.Signals | null>((resolve) => worker.once('exit', (_code, signal) => resolve(signal)));

describe('a worker killed right after a decision committed', () => {
  const env = useDistributedEnv({ env: () => ({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_RELAY_MS: '100' }) });
  let receiver: WebhookReceiver;
  let subscription: { id: string; secret: string };

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    const created = await fetch(`${env().baseUrl}/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env().keys.submitter}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: receiver.url, events: ['claim.decided', 'claim.needs_review'] }),
    });
    subscription = (await created.json()) as { id: string; secret: string };
  }, 60_000);

  afterAll(() => receiver.close());

  const deliveries = async () => {
    const response = await fetch(`${env().baseUrl}/webhooks/${subscription.id}/deliveries`, {
      headers: { authorization: `Bearer ${env().keys.submitter}` },
    });
    return ((await response.json()) as { deliveries: Array<{ eventId: string; state: string; attempts: unknown[] }> }).deliveries;
  };

  it('leaves the webhook event in the outbox, and the next worker delivers it, once', async () => {
    const crashing = await env().spawnWorker(CRASH_AFTER_COMMIT);
    const died = exitSignal(crashing);
    const accepted = await submitClaim(
      env().baseUrl,
      env().keys.submitter,
      { claimId: 'CRASH-HOOK', country: 'DE', claimDate: '2025-06-01' },
      await sample('invoice-text.pdf'),
    );
    expect(accepted.status).toBe(202);
    expect(await died).toBe('SIGKILL');

    // Decided and committed with its outbox row; nothing sent.
    expect((await env().runtime.claims.get('CRASH-HOOK'))?.status).toBe('eligible');
    const [waiting] = await deliveries();
    expect(waiting).toMatchObject({ state: 'pending', attempts: [] });
    expect(receiver.requests).toEqual([]);

    await env().spawnWorker();
    await receiver.until((r) => r.accepted.length === 1);
    const [delivered] = receiver.accepted;
    expect(delivered!.event).toMatchObject({ id: waiting!.eventId, type: 'claim.decided', claimId: 'CRASH-HOOK' });
    expect(verifyWarrantySignature(delivered!.body, String(delivered!.headers['warranty-signature']), subscription.secret)).toBe(true);
    await eventually(async () => ((await deliveries())[0]?.state === 'delivered' ? true : undefined));
    expect(receiver.requests).toHaveLength(1);
  }, 180_000);
});
