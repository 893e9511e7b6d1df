import { describe, expect, it } from 'vitest';
import { eventually, useDistributedEnv } from '../../support/distributed-env.js';
import { sample, submitClaim } from '../../support/claims-client.js';

const DECIDED = ['eligible', 'not_eligible', 'needs_review', 'rejected_input'];

describe('a worker process killed in the middle of OCR', () => {
  const env = useDistributedEnv();

  it('loses no claim: another worker takes the job over and the claim is decided exactly once', async () => {
    const first = await env().spawnWorker();
    const accepted = await submitClaim(
      env().baseUrl,
      env().keys.submitter,
      { claimId: 'KILLED-1', country: 'NO' },
      await sample('scan-receipt.png'),
    );
    expect(accepted.status).toBe(202);
    await eventually(
      async () => ((await env().runtime.queues.queues.read.getActiveCount()) > 0 ? true : undefined),
      30_000,
      'OCR job active',
    );
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    expect((await env().runtime.claims.submitted('KILLED-1'))?.status).toBe('received');

    await env().spawnWorker();
    const claim = await eventually(
      async () => {
        const c = await env().runtime.claims.submitted('KILLED-1');
        return c && DECIDED.includes(c.status) ? c : undefined;
      },
      90_000,
      'claim decided after the takeover',
    );
    expect(claim.status).toBe('eligible');
    const history = await env().runtime.claims.history('KILLED-1');
    expect(history.filter((e) => e.kind === 'decided')).toHaveLength(1);
    expect(history.filter((e) => e.kind === 'stage')).toHaveLength(2);
  }, 180_000);
});
