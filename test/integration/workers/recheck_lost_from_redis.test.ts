import { describe, expect, it } from 'vitest';
import { eventually, useDistributedEnv } from '../../support/distributed-env.js';
import { sample, submitClaim } from '../../support/claims-client.js';

/**
 * Redis is a schedule that may be lost. A re-check a decision asked for is kept in PostgreSQL (the
 * outbox) until it has run, so one that disappears from Redis before running is queued again.
 */
describe('a re-check for duplicates lost from Redis before it ran', () => {
  const env = useDistributedEnv();

  it('is queued again by the recovery sweep, and the later claim is flagged once', async () => {
    const original = await sample('invoice-text.pdf');
    const copy = { name: 'copy.pdf', bytes: Buffer.concat([original.bytes, Buffer.from('\n% re-saved\n')]) };
    await submitClaim(env().baseUrl, env().keys.submitter, { claimId: 'LOST-EARLY', country: 'DE', claimDate: '2025-06-01' }, copy);
    await submitClaim(env().baseUrl, env().keys.submitter, { claimId: 'LOST-LATE', country: 'DE', claimDate: '2025-06-02' }, original);
    const { decide } = env().runtime.queues.queues;
    await env().withProcessingService(async (service) => {
      for (const id of ['LOST-EARLY', 'LOST-LATE']) {
        await service.read(id);
        await service.extract(id);
      }
      await service.decide('LOST-LATE');
      await service.decide('LOST-EARLY');
    });
    const recheck = (await decide.getWaiting()).find((job) => job.name === 'recheck');
    expect(recheck?.data.claimId).toBe('LOST-LATE');
    await recheck!.remove();

    await env().startWorkers();
    const late = await eventually(
      async () => {
        const claim = await env().runtime.claims.get('LOST-LATE');
        return claim?.result.flags.some((f) => f.code === 'DUPLICATE_RECEIPT') ? claim : undefined;
      },
      90_000,
      'LOST-LATE checked again',
    );
    expect(late.result.flags.find((f) => f.code === 'DUPLICATE_RECEIPT')?.evidence).toMatchObject({ earlierClaimId: 'LOST-EARLY' });
    await eventually(
      async () => ((await env().runtime.db.query('SELECT id FROM job_outbox')).length === 0 ? true : undefined),
      30_000,
      'the outbox emptied',
    );
    const decisions = async (id: string) => (await env().runtime.claims.history(id)).filter((e) => e.kind === 'decided').length;
    expect(await decisions('LOST-EARLY')).toBe(1);
    expect(await decisions('LOST-LATE')).toBe(2);
  }, 180_000);
});
