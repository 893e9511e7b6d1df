import { describe, expect, it } from 'vitest';
import { eventually, useDistributedEnv, type DistributedEnv } from '../../support/distributed-env.js';
import { sample, submitClaim } from '../../support/claims-client.js';

const DECIDED = ['eligible', 'not_eligible', 'needs_review', 'rejected_input'];

async function post(env: DistributedEnv, route: string, key: string, body: unknown) {
  const response = await fetch(`${env.baseUrl}${route}`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
  });
  return { status: response.status, body: await response.json() };
}

describe('a reprocessing batch started through the admin API', () => {
  const env = useDistributedEnv();

  it('waits while live claims are queued for OCR, then runs on the workers to the end', async () => {
    // Decided claims to re-run: text PDFs, no OCR needed.
    for (const id of ['RE-1', 'RE-2', 'RE-3']) {
      expect(
        (
          await submitClaim(
            env().baseUrl,
            env().keys.submitter,
            { claimId: id, country: 'DE', claimDate: '2025-06-01' },
            await sample('invoice-text.pdf'),
          )
        ).status,
      ).toBe(202);
    }
    await env().startWorkers();
    await eventually(
      async () => {
        const statuses = await Promise.all(['RE-1', 'RE-2', 'RE-3'].map(async (id) => (await env().runtime.claims.submitted(id))?.status));
        return statuses.every((s) => s && DECIDED.includes(s)) ? true : undefined;
      },
      60_000,
      'claims decided',
    );
    await env().stopWorkers();

    // A live claim waits for OCR while the batch is started: the batch must put itself off.
    await submitClaim(env().baseUrl, env().keys.submitter, { claimId: 'LIVE', country: 'NO' }, await sample('scan-receipt.png'));
    const started = await post(env(), '/admin/reprocess', env().keys.admin, {
      fromStage: 'extract',
      where: 'id=RE-1,RE-2,RE-3',
      force: true,
    });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ total: 3, done: 0, finished: false, fromStage: 'extract' });
    const service = env().runtime.reprocessService(null);
    expect(await service.step(started.body.id, 0)).toBe('yielded to live intake');

    await env().startWorkers();
    const finished = await eventually(
      async () => {
        const progress = await fetch(`${env().baseUrl}/admin/reprocess/${started.body.id}`, {
          headers: { authorization: `Bearer ${env().keys.admin}` },
        });
        const body = await progress.json();
        return body.finished ? body : undefined;
      },
      90_000,
      'batch finished',
    );
    expect(finished.done).toBe(3);
    expect(Object.values(finished.outcomes as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(3);
    expect(finished.outcomes.failed ?? 0).toBe(0);
    // The live claim is decided too: the batch ran beside it, not instead of it.
    await eventually(
      async () => (DECIDED.includes((await env().runtime.claims.submitted('LIVE'))?.status ?? '') ? true : undefined),
      90_000,
      'live claim decided',
    );
  }, 180_000);
});
