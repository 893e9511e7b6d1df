import { describe, expect, it } from 'vitest';
import { eventually, freePort, useDistributedEnv } from '../../support/distributed-env.js';
import { sample, submitClaim } from '../../support/claims-client.js';

describe('SIGTERM to a worker process', () => {
  const env = useDistributedEnv();

  it('finishes the job it is running, takes no new one, and exits cleanly', async () => {
    const metricsPort = await freePort();
    // Its log (stderr) says when it has taken the signal (reading a page may hold its event loop a moment).
    const worker = await env().spawnWorker({ WORKER_METRICS_PORT: String(metricsPort), LOG_LEVEL: 'info' });
    const draining = new Promise<void>((resolve) => worker.stderr!.on('data', (d) => String(d).includes('shutting down') && resolve()));
    // The later stages wait: however fast OCR is, the claim stops at 'read' and the worker's only
    // running job at SIGTERM is the OCR job.
    await Promise.all([env().runtime.queues.queues.extract.pause(), env().runtime.queues.queues.decide.pause()]);
    await submitClaim(env().baseUrl, env().keys.submitter, { claimId: 'TERM-1', country: 'NO' }, await sample('scan-receipt.png'));
    await eventually(
      async () => ((await env().runtime.queues.queues.read.getActiveCount()) > 0 ? true : undefined),
      30_000,
      'OCR job active',
    );
    // The worker's own metrics: the stages it has been through so far.
    await eventually(
      async () => {
        const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
        return /warranty_stage_seconds_count\{[^}]*stage="intake"[^}]*\} 1/.test(metrics) ? true : undefined;
      },
      30_000,
      'intake time in the worker metrics',
    );
    const exited = new Promise<number | null>((resolve) => worker.once('exit', resolve));
    worker.kill('SIGTERM');
    await draining;
    // Submitted while the worker drains: it must stay queued for the next worker.
    await submitClaim(env().baseUrl, env().keys.submitter, { claimId: 'TERM-2', country: 'DE' }, await sample('invoice-text.pdf'));
    expect(await exited).toBe(0);
    expect((await env().runtime.claims.submitted('TERM-1'))?.status).toBe('read');
    const ocrJob = (await env().runtime.queues.queues.read.getCompleted()).find((job) => job.data.claimId === 'TERM-1');
    expect(ocrJob?.attemptsMade).toBe(1);
    expect((await env().runtime.claims.submitted('TERM-2'))?.status).toBe('received');
    expect(await env().runtime.queues.queues.read.getActiveCount()).toBe(0);
  }, 120_000);
});
