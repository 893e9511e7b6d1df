import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { jobIdFor } from '../../../src/queue/claim-queues.js';
import { eventually, freePort, useDistributedEnv } from '../../support/distributed-env.js';
import { getJson, sample, submitClaim } from '../../support/claims-client.js';

/** Every worker started here dies (SIGKILL) as it starts reading a receipt, as one a receipt crashes would. */
const DIES_READING = { WARRANTY_TEST_CRASH_POINT: 'reading-receipt' };

/**
 * A receipt that kills every worker reading it must not be retried forever nor left undecided in
 * silence: once BullMQ gives up on the job (stalled more often than allowed), the claim is recorded
 * as needing a person, with the reason, and the failure shows in the dashboard and the metrics.
 */
describe('a receipt that kills the workers reading it', () => {
  const env = useDistributedEnv();

  it('ends as a visible failure for a person to look at, recorded once', async () => {
    const accepted = await submitClaim(
      env().baseUrl,
      env().keys.submitter,
      { claimId: 'POISON-1', country: 'DE' },
      await sample('invoice-text.pdf'),
    );
    expect(accepted.status).toBe(202);

    // Workers are started one after another: each takes the job over from the dead one, and dies.
    let deaths = 0;
    let survivor: { worker: ChildProcess; metricsPort: number } | null = null;
    while (!survivor) {
      const metricsPort = await freePort();
      const worker = await env()
        .spawnWorker({ ...DIES_READING, WORKER_METRICS_PORT: String(metricsPort) })
        .catch(() => null);
      if (!worker) {
        deaths++; // it died before it had even said it was ready
        continue;
      }
      let dead = false;
      worker.once('exit', () => (dead = true));
      const outcome = await eventually(
        async () => {
          if (dead) return 'died';
          const claim = await env().runtime.claims.submitted('POISON-1');
          return claim?.status === 'needs_review' ? 'decided' : undefined;
        },
        90_000,
        'the worker to die or the claim to be decided',
      );
      if (outcome === 'died') deaths++;
      else survivor = { worker, metricsPort };
    }
    expect(deaths).toBeGreaterThan(1);

    const claim = await env().runtime.claims.get('POISON-1');
    expect(claim?.status).toBe('needs_review');
    expect(claim?.result.flags).toEqual([
      expect.objectContaining({
        code: 'PROCESSING_FAILED',
        evidence: expect.objectContaining({ stage: 'read', cause: 'worker_crashes', reason: 'job stalled more than allowable limit' }),
      }),
    ]);
    const history = await env().runtime.claims.history('POISON-1');
    expect(history.filter((e) => e.kind === 'decided')).toHaveLength(1);
    expect((await getJson(env().baseUrl, '/claims/POISON-1', env().keys.submitter)).body.status).toBe('needs_review');

    // The dashboard lists the job as failed, with BullMQ's reason.
    const job = await env().runtime.queues.queues.read.getJob(jobIdFor('read', 'POISON-1', 0));
    expect(await job?.getState()).toBe('failed');
    expect(job?.failedReason).toBe('job stalled more than allowable limit');
    const metrics = await (await fetch(`http://127.0.0.1:${survivor.metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/warranty_claims_failed_total\{[^}]*stage="read"[^}]*cause="worker_crashes"[^}]*\} 1/);
  }, 300_000);
});
