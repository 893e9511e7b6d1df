import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { eventually, useDistributedEnv, type DistributedEnv } from '../../support/distributed-env.js';
import { sample, submitClaim } from '../../support/claims-client.js';

const DECIDED = ['eligible', 'not_eligible', 'needs_review', 'rejected_input'];
/** A worker that dies (SIGKILL) the moment a decision has committed, before anything after it runs. */
const CRASH_AFTER_COMMIT = { WARRANTY_TEST_CRASH_POINT: 'after-decision-commit' };

/** The same receipt saved again: other bytes, the same document (found by its fingerprint only). */
async function receiptAndCopy() {
  const original = await sample('invoice-text.pdf');
  return { original, copy: { name: 'copy.pdf', bytes: Buffer.concat([original.bytes, Buffer.from('\n% re-saved\n')]) } };
}

function exitSignal(worker: ChildProcess): Promise<NodeJS.Signals | null> {
  return new Promise((resolve) => worker.once('exit', (_code, signal) => resolve(signal)));
}

async function decided(env: DistributedEnv, claimId: string) {
  return eventually(
    async () => {
      const claim = await env.runtime.claims.get(claimId);
      return claim && DECIDED.includes(claim.status) ? claim : undefined;
    },
    90_000,
    `${claimId} decided`,
  );
}

const decisionsOf = async (env: DistributedEnv, claimId: string) =>
  (await env.runtime.claims.history(claimId)).filter((e) => e.kind === 'decided').length;

describe('a worker killed right after a decision committed', () => {
  const env = useDistributedEnv();

  it('leaves the receipt registered: a later copy of it is flagged DUPLICATE_RECEIPT, and nothing is decided twice', async () => {
    const { original, copy } = await receiptAndCopy();
    const crashing = await env().spawnWorker(CRASH_AFTER_COMMIT);
    const died = exitSignal(crashing);
    const first = await submitClaim(
      env().baseUrl,
      env().keys.submitter,
      { claimId: 'FIRST-USE', country: 'DE', claimDate: '2025-06-01' },
      original,
    );
    expect(first.status).toBe(202);
    expect(await died).toBe('SIGKILL');
    expect((await env().runtime.claims.get('FIRST-USE'))?.status).toBe('eligible');

    await env().spawnWorker();
    const later = await submitClaim(
      env().baseUrl,
      env().keys.submitter,
      { claimId: 'SECOND-USE', country: 'DE', claimDate: '2025-06-02' },
      copy,
    );
    expect(later.status).toBe(202);
    const second = await decided(env(), 'SECOND-USE');
    expect(second.status).toBe('needs_review');
    expect(second.result.flags.find((f) => f.code === 'DUPLICATE_RECEIPT')?.evidence).toMatchObject({
      earlierClaimId: 'FIRST-USE',
      match: 'receipt_fingerprint',
    });
    // The taken-over decide job found the claim decided and did nothing again.
    await eventually(
      async () => ((await env().runtime.queues.queues.decide.getJobCountByTypes('active', 'waiting', 'delayed')) === 0 ? true : undefined),
      30_000,
      'decide queue idle',
    );
    expect(await decisionsOf(env(), 'FIRST-USE')).toBe(1);
    expect(await decisionsOf(env(), 'SECOND-USE')).toBe(1);
  }, 180_000);
});

describe('a worker killed right after deciding a claim that a later, already decided claim duplicates', () => {
  const env = useDistributedEnv();

  it('still has the later claim checked again and flagged, once', async () => {
    const { original, copy } = await receiptAndCopy();
    const { decide } = env().runtime.queues.queues;
    // Decisions wait until the later claim has been decided first.
    await decide.pause();
    const crashing = await env().spawnWorker(CRASH_AFTER_COMMIT);
    const died = exitSignal(crashing);
    await submitClaim(env().baseUrl, env().keys.submitter, { claimId: 'EARLY', country: 'DE', claimDate: '2025-06-01' }, copy);
    await submitClaim(env().baseUrl, env().keys.submitter, { claimId: 'LATE', country: 'DE', claimDate: '2025-06-02' }, original);
    await eventually(
      async () => {
        const statuses = await Promise.all(['EARLY', 'LATE'].map(async (id) => (await env().runtime.claims.submitted(id))?.status));
        return statuses.every((s) => s === 'extracted') ? true : undefined;
      },
      60_000,
      'both claims extracted',
    );
    await env().withProcessingService(async (service) => {
      expect(await service.decide('LATE')).toBe('eligible');
    });
    await decide.resume();
    expect(await died).toBe('SIGKILL');
    expect((await env().runtime.claims.get('EARLY'))?.status).toBe('eligible');
    expect((await env().runtime.claims.get('LATE'))?.result.flags).toEqual([]);

    await env().spawnWorker();
    const late = await eventually(
      async () => {
        const claim = await env().runtime.claims.get('LATE');
        return claim?.result.flags.some((f) => f.code === 'DUPLICATE_RECEIPT') ? claim : undefined;
      },
      90_000,
      'LATE checked again',
    );
    expect(late.status).toBe('needs_review');
    expect(late.result.flags.find((f) => f.code === 'DUPLICATE_RECEIPT')?.evidence).toMatchObject({ earlierClaimId: 'EARLY' });
    await eventually(
      async () => ((await env().runtime.queues.queues.decide.getJobCountByTypes('active', 'waiting', 'delayed')) === 0 ? true : undefined),
      30_000,
      'decide queue idle',
    );
    expect(await decisionsOf(env(), 'EARLY')).toBe(1);
    expect(await decisionsOf(env(), 'LATE')).toBe(2);
    // The re-check's outbox entry went with the job that did it.
    expect(await env().runtime.db.query('SELECT id FROM job_outbox')).toEqual([]);
  }, 180_000);
});
