import { describe, expect, it } from 'vitest';
import { useDistributedEnv } from '../../support/distributed-env.js';
import { sample, submitClaim } from '../../support/claims-client.js';

/**
 * Workers finish in any order. A later claim on a copy of the same receipt (other bytes, same
 * content) can be decided before the earlier one has registered what it read; when the earlier one
 * is decided, the later one is decided again and flagged.
 */
describe('a duplicate decided before the claim it duplicates', () => {
  const env = useDistributedEnv();

  it('is re-checked once the earlier claim is decided, and flagged naming it', async () => {
    const original = await sample('invoice-text.pdf');
    // A re-saved copy: different bytes, same document.
    const copy = { name: 'copy.pdf', bytes: Buffer.concat([original.bytes, Buffer.from('\n% re-saved\n')]) };
    expect(
      (await submitClaim(env().baseUrl, env().keys.submitter, { claimId: 'EARLY', country: 'DE', claimDate: '2025-06-01' }, copy)).status,
    ).toBe(202);
    expect(
      (await submitClaim(env().baseUrl, env().keys.submitter, { claimId: 'LATE', country: 'DE', claimDate: '2025-06-02' }, original))
        .status,
    ).toBe(202);

    await env().withProcessingService(async (service) => {
      for (const id of ['EARLY', 'LATE']) {
        await service.read(id);
        await service.extract(id);
      }
      await service.decide('LATE');
      expect((await env().runtime.claims.get('LATE'))!.result.flags.map((f) => f.code)).not.toContain('DUPLICATE_RECEIPT');
      await service.decide('EARLY');

      // The re-check was written with EARLY's decision (the outbox) and relayed to the queue.
      const rechecks = (await env().runtime.queues.queues.decide.getWaiting()).filter((job) => job.name === 'recheck');
      expect(rechecks.map((job) => job.data.claimId)).toEqual(['LATE']);
      expect(await service.recheck('LATE', rechecks[0]!.data.outboxId)).toBe('needs_review');
      expect(await env().runtime.db.query('SELECT id FROM job_outbox')).toEqual([]);
      const late = (await env().runtime.claims.get('LATE'))!.result;
      const duplicate = late.flags.find((f) => f.code === 'DUPLICATE_RECEIPT');
      expect(duplicate?.evidence).toMatchObject({ earlierClaimId: 'EARLY', match: 'receipt_fingerprint' });
      // Nothing new the second time: no further event.
      expect(await service.recheck('LATE')).toBe('unchanged');
      expect((await env().runtime.claims.history('LATE')).filter((e) => e.kind === 'decided')).toHaveLength(2);
      expect((await env().runtime.claims.history('EARLY')).filter((e) => e.kind === 'decided')).toHaveLength(1);
    });
  }, 120_000);
});
