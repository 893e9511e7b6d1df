import { QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEADLINES_QUEUE, DEADLINES_SCHEDULER } from '../../../src/queue/claim-queues.js';
import type { DeadlineRun } from '../../../src/services/customer-deadline-service.js';
import { seedClaimNeedingReview } from '../../support/claim-results.js';
import { REDIS_URL, useDistributedEnv } from '../../support/distributed-env.js';
import { newReviewer } from '../../support/review-client.js';

/**
 * Distributed mode: the worker process registers BullMQ's job scheduler for the customer-deadline
 * job, and the scheduled job runs the closer (CustomerDeadlineService) against PostgreSQL.
 */
describe('the customer-deadline job scheduler', () => {
  const env = useDistributedEnv({ env: () => ({ CUSTOMER_DEADLINES_EVERY_MS: '1000' }) });
  let events: QueueEvents;

  beforeAll(async () => {
    events = new QueueEvents(DEADLINES_QUEUE, {
      connection: new Redis(REDIS_URL, { maxRetriesPerRequest: null }),
      prefix: env().config.queuePrefix,
    });
    await events.waitUntilReady();
  }, 60_000);
  afterAll(async () => {
    await events?.close();
  }, 60_000);

  it('is registered once by the worker, and its job closes a claim whose customer let the deadline pass', async () => {
    // A claim whose customer was asked for a serial label photo 15 days ago.
    await seedClaimNeedingReview(env().runtime.claims, 'JOB-OVERDUE', ['MISSING_SERIAL']);
    const alice = await newReviewer(env(), 'alice');
    expect((await alice.call('POST', '/claims/JOB-OVERDUE/lease')).status).toBe(200);
    const asked = await alice.call('POST', '/claims/JOB-OVERDUE/decision', { action: 'request_info', items: ['SERIAL_LABEL_PHOTO'] });
    expect(asked.body.status).toBe('awaiting_customer');
    // Fifteen days pass (the request's dates moved back; the worker's clock is the real one).
    await env().runtime.db.query(
      `UPDATE customer_requests SET asked_at = asked_at - interval '15 days', remind_at = remind_at - interval '15 days',
              deadline = deadline - interval '15 days' WHERE claim_id = 'JOB-OVERDUE'`,
    );

    const closedByJob = new Promise<DeadlineRun>((resolve) => {
      events.on('completed', ({ returnvalue }) => {
        const run = (typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue) as DeadlineRun;
        if (run.closed.includes('JOB-OVERDUE')) resolve(run);
      });
    });
    await env().startWorkers();
    const scheduler = await env().runtime.queues.deadlines.getJobScheduler(DEADLINES_SCHEDULER);
    expect(scheduler).toMatchObject({ key: DEADLINES_SCHEDULER, every: 1000 });
    // Another worker starting upserts the same scheduler: still one schedule.
    await env().runtime.queues.scheduleDeadlines(1000);
    expect(await env().runtime.queues.deadlines.getJobSchedulersCount()).toBe(1);

    expect(await closedByJob).toEqual({ reminded: [], closed: ['JOB-OVERDUE'] });
    const claim = (await env().runtime.claims.get('JOB-OVERDUE'))!;
    expect(claim.status).toBe('closed');
    expect(claim.result.flags.at(-1)!.code).toBe('CUSTOMER_NO_RESPONSE');
    expect((await env().runtime.claims.history('JOB-OVERDUE')).map((e) => e.kind)).toEqual(['received', 'decided', 'reviewed', 'closed']);
  }, 120_000);
});
