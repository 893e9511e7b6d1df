import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerRequest, responseDeadlines } from '../../src/domain/customer-requests.js';
import { loadPolicy } from '../../src/policy/policy-table.js';
import { ClaimsRepository } from '../../src/store/claims-repository.js';
import { openDatabase } from '../../src/store/database.js';
import { ReviewRepository } from '../../src/store/review-repository.js';
import { UsersRepository } from '../../src/store/users-repository.js';
import { seedClaimNeedingReview } from '../support/claim-results.js';

const run = promisify(execFile);
const CLI = path.resolve('dist/src/cli/main.js');

async function warranty(args: string[], dataDir: string) {
  try {
    const { stdout, stderr } = await run('node', [CLI, ...args, '--data-dir', dataDir]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Embedded mode: `warranty close-overdue --now <iso>` applies the customer's deadlines to the embedded database as of that moment. */
describe('warranty close-overdue (CLI, embedded database)', () => {
  let dataDir: string;
  const asked = new Date('2026-03-01T09:00:00.000Z');

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'warranty-deadlines-'));
    const db = await openDatabase({ dataDir: path.join(dataDir, 'db') });
    try {
      const claims = new ClaimsRepository(db);
      const reviews = new ReviewRepository(db);
      await seedClaimNeedingReview(claims, 'CLI-WAITING', ['MISSING_SERIAL']);
      const rita = (await new UsersRepository(db).create('rita', 'not-a-hash', 'reviewer'))!;
      await reviews.takeLease('CLI-WAITING', rita.id, rita.username, 60);
      const policy = loadPolicy('2026.6');
      const rule = policy.customerResponse!;
      const { remindAt, deadline } = responseDeadlines(asked, rule);
      const waiting = (await claims.get('CLI-WAITING'))!;
      expect(
        await reviews.recordReview({
          claimId: 'CLI-WAITING',
          userId: rita.id,
          reviewer: rita.username,
          status: 'awaiting_customer',
          action: 'request_info',
          reason: null,
          note: null,
          corrections: [],
          result: waiting.result,
          extractVersion: null,
          request: {
            request: customerRequest(['SERIAL_LABEL_PHOTO'], null),
            askedAt: asked,
            remindAt,
            deadline,
            policyVersion: '2026.6',
            rule,
          },
        }),
      ).toBe('recorded');
    } finally {
      await db.close();
    }
  }, 120_000);
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('reminds at day 7, closes at day 14, then has nothing left to do; a malformed --now is a usage error', async () => {
    const at = async (now: string) => {
      const answer = await warranty(['close-overdue', '--now', now], dataDir);
      expect(answer.code).toBe(0);
      return JSON.parse(answer.stdout);
    };
    expect(await at('2026-03-08T08:59:59Z')).toEqual({ now: '2026-03-08T08:59:59.000Z', reminded: [], closed: [] });
    expect(await at('2026-03-08T09:00:00Z')).toEqual({ now: '2026-03-08T09:00:00.000Z', reminded: ['CLI-WAITING'], closed: [] });
    expect(await at('2026-03-15')).toEqual({ now: '2026-03-15T00:00:00.000Z', reminded: [], closed: [] });
    expect(await at('2026-03-15T10:00:00+01:00')).toEqual({ now: '2026-03-15T09:00:00.000Z', reminded: [], closed: ['CLI-WAITING'] });
    expect(await at('2026-03-16')).toEqual({ now: '2026-03-16T00:00:00.000Z', reminded: [], closed: [] });

    const db = await openDatabase({ dataDir: path.join(dataDir, 'db') });
    try {
      const claims = new ClaimsRepository(db);
      expect((await claims.get('CLI-WAITING'))!.status).toBe('closed');
      expect((await claims.history('CLI-WAITING')).map((e) => e.kind)).toEqual(['received', 'decided', 'reviewed', 'reminded', 'closed']);
    } finally {
      await db.close();
    }

    const wrong = await warranty(['close-overdue', '--now', 'next tuesday'], dataDir);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--now must be an ISO date or date-time with its offset/);
  }, 120_000);
});
