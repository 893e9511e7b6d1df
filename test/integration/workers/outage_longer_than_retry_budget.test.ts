import { QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueName } from '../../../src/queue/claim-queues.js';
import { eventually, freePort, REDIS_URL, useDistributedEnv } from '../../support/distributed-env.js';
import { sample, submitClaim } from '../../support/claims-client.js';

const DECIDED = ['eligible', 'not_eligible', 'needs_review', 'rejected_input'];
const CLAIMS = { 'OUTLASTED-1': 'invoice-text.pdf', 'OUTLASTED-2': 'scan-receipt.png' };

/**
 * Object storage stays away longer than a stage job's whole retry budget (here 2 attempts, 200 ms
 * apart), so every read job ends failed under its deterministic id. Once storage is back, every
 * claim must still be decided, exactly once.
 */
describe('an outage longer than the retry budget', () => {
  const env = useDistributedEnv({ env: () => ({ QUEUE_JOB_ATTEMPTS: '2', QUEUE_BACKOFF_MS: '200' }) });
  let readEvents: QueueEvents;

  beforeAll(async () => {
    readEvents = new QueueEvents(queueName('read'), {
      connection: new Redis(REDIS_URL, { maxRetriesPerRequest: null }),
      prefix: env().config.queuePrefix,
    });
    await readEvents.waitUntilReady();
  }, 60_000);
  afterAll(async () => {
    await readEvents?.close();
  }, 60_000);

  it('brings every claim back once storage returns, and decides each exactly once', async () => {
    const ids = Object.keys(CLAIMS);
    const { read } = env().runtime.queues.queues;
    // Reading waits until storage is down (the worker checks storage once, as it starts).
    await read.pause();
    const metricsPort = await freePort();
    await env().spawnWorker({ WORKER_METRICS_PORT: String(metricsPort) });
    for (const [claimId, file] of Object.entries(CLAIMS)) {
      expect((await submitClaim(env().baseUrl, env().keys.submitter, { claimId, country: 'DE' }, await sample(file))).status).toBe(202);
    }
    const outOfRetries = new Set<string>();
    readEvents.on('failed', ({ jobId }) => outOfRetries.add(jobId));
    await env().s3.stop();
    await read.resume();
    await eventually(
      async () => (ids.every((id) => outOfRetries.has(`read-${id}`)) ? true : undefined),
      60_000,
      'every read job out of retries',
    );
    for (const id of ids) expect((await env().runtime.claims.submitted(id))?.status).toBe('received');

    await env().s3.start();
    await eventually(
      async () => {
        const statuses = await Promise.all(ids.map(async (id) => (await env().runtime.claims.submitted(id))?.status));
        return statuses.every((s) => s && DECIDED.includes(s)) ? statuses : undefined;
      },
      120_000,
      'every claim decided after the outage',
    );
    for (const id of ids) {
      const history = await env().runtime.claims.history(id);
      expect(history.filter((e) => e.kind === 'decided').length, id).toBe(1);
      expect(history.filter((e) => e.kind === 'stage').length, id).toBe(2);
    }
    expect((await env().runtime.claims.get('OUTLASTED-1'))?.status).toBe('eligible');
    // The worker counted what it brought back, so an outage that outlasts the retries shows.
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/warranty_stage_jobs_revived_total\{[^}]*stage="read"[^}]*cause="retries_exhausted"[^}]*\} [1-9]/);
  }, 240_000);
});
