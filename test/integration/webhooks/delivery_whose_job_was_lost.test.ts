import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/config/logger.js';
import { WebhookRelay } from '../../../src/services/webhook-relay.js';
import { storedResult } from '../../support/claim-results.js';
import { useDistributedEnv } from '../../support/distributed-env.js';
import { WebhookReceiver } from '../../support/webhook-receiver.js';

describe('a webhook delivery whose job Redis lost', () => {
  const env = useDistributedEnv({ env: () => ({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_RELAY_MS: '100' }) });
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    const created = await fetch(`${env().baseUrl}/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env().keys.submitter}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: receiver.url, events: ['claim.decided'] }),
    });
    expect(created.status).toBe(201);
  }, 60_000);

  afterAll(() => receiver.close());

  it('is handed to the queue again by the workers and sent, once', async () => {
    const { runtime } = env();
    await runtime.claims.submit({
      claimId: 'LOST-1',
      file: null,
      form: {},
      receiptKey: 'receipts/00/lost',
      documentHash: 'lost',
      tenant: 'test submitter',
      identifiers: [],
    });
    await runtime.claims.saveResult(storedResult('LOST-1'), [], []);
    // Handed over while no worker runs, then Redis forgets it (a flush, a failover without persistence).
    const relay = new WebhookRelay(
      { webhooks: runtime.webhooks, queue: runtime.webhookQueue, logger: createLogger({ logLevel: 'silent' }) },
      { relayMs: 100, retryFailedMs: 60_000, lostAfterMs: 60_000, retentionDays: 30 },
    );
    await relay.relay();
    expect(await runtime.webhookQueue.queue.getWaitingCount()).toBe(1);
    await runtime.webhookQueue.queue.obliterate({ force: true });

    await env().startWorkers();
    await receiver.until((r) => r.accepted.length === 1);
    expect(receiver.accepted[0]!.event).toMatchObject({ type: 'claim.decided', claimId: 'LOST-1' });
    expect(receiver.requests).toHaveLength(1);
  }, 60_000);
});
