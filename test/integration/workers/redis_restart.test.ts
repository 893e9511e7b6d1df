import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, freePort, useDistributedEnv } from '../../support/distributed-env.js';
import { sample, submitClaim } from '../../support/claims-client.js';

const DECIDED = ['eligible', 'not_eligible', 'needs_review', 'rejected_input'];

/** A private Redis (like the machine's: nothing kept on disk), so restarting it disturbs no one else. */
async function startRedis(port: number): Promise<ChildProcess> {
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  await new Promise<void>((resolve, reject) => {
    redis.stdout.on('data', (d) => String(d).includes('Ready to accept connections') && resolve());
    redis.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
  });
  return redis;
}

describe('Redis restarted mid-run, losing every job', () => {
  let redis: ChildProcess;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
  });
  afterAll(() => {
    redis?.kill('SIGKILL');
  });
  const env = useDistributedEnv({ env: () => ({ REDIS_URL: `redis://127.0.0.1:${port}` }) });

  it('completes every claim exactly once: workers reconnect and the recovery sweep re-queues from Postgres', async () => {
    await env().startWorkers();
    const receipts = ['scan-receipt.png', 'invoice-text.pdf', 'expired-receipt.png', 'invoice-scan.pdf'];
    for (const [i, name] of receipts.entries()) {
      const accepted = await submitClaim(env().baseUrl, env().keys.submitter, { claimId: `REDIS-${i}`, country: 'DE' }, await sample(name));
      expect(accepted.status).toBe(202);
    }
    await eventually(
      async () => ((await env().runtime.queues.queues.read.getActiveCount()) > 0 ? true : undefined),
      30_000,
      'work under way',
    );
    // Redis comes back only once a client has seen it gone and is trying to reconnect.
    const observer = new Redis(`redis://127.0.0.1:${port}`, { maxRetriesPerRequest: null });
    observer.on('error', () => {});
    const outageSeen = new Promise((resolve) => observer.once('reconnecting', resolve));
    redis.kill('SIGKILL');
    await new Promise((resolve) => redis.once('exit', resolve));
    await outageSeen;
    redis = await startRedis(port);
    observer.disconnect();

    const ids = receipts.map((_, i) => `REDIS-${i}`);
    await eventually(
      async () => {
        const statuses = await Promise.all(ids.map(async (id) => (await env().runtime.claims.submitted(id))?.status));
        return statuses.every((s) => s && DECIDED.includes(s)) ? statuses : undefined;
      },
      120_000,
      'all claims decided after the restart',
    );
    for (const id of ids) {
      const history = await env().runtime.claims.history(id);
      expect(
        history.filter((e) => e.kind === 'decided'),
        id,
      ).toHaveLength(1);
    }
  }, 180_000);
});
