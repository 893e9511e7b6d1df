import { describe, expect, it } from 'vitest';
import { eventually, useDistributedEnv } from '../../support/distributed-env.js';
import { sample, submitClaim } from '../../support/claims-client.js';

describe('object storage unavailable for a while', () => {
  const env = useDistributedEnv();

  it('retries the stage with backoff and completes the claim once storage is back', async () => {
    const accepted = await submitClaim(
      env().baseUrl,
      env().keys.submitter,
      { claimId: 'OUTAGE-1', country: 'DE' },
      await sample('invoice-text.pdf'),
    );
    expect(accepted.status).toBe(202);
    await env().s3.stop();
    await env().startWorkers();
    const job = await eventually(
      async () => {
        const j = await env().runtime.queues.queues.read.getJob('read-OUTAGE-1');
        return j && j.attemptsMade >= 2 ? j : undefined;
      },
      30_000,
      'two failed attempts',
    );
    expect(await job.getState()).toMatch(/delayed|waiting|active/);
    await env().s3.start();
    const claim = await eventually(
      async () => {
        const c = await env().runtime.claims.get('OUTAGE-1');
        return c && c.status !== 'received' && c.status !== 'read' && c.status !== 'extracted' ? c : undefined;
      },
      60_000,
      'claim decided',
    );
    expect(claim.status).toBe('eligible');
  }, 120_000);
});
