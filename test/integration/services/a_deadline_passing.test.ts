import { beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/config/logger.js';
import type { FlagCode } from '../../../src/domain/flags.js';
import { CustomerDeadlineService, type DeadlineRun } from '../../../src/services/customer-deadline-service.js';
import { storedResult } from '../../support/claim-results.js';
import { getJson } from '../../support/claims-client.js';
import { eventually, useDistributedEnv } from '../../support/distributed-env.js';
import { newReviewer, type ReviewerSession } from '../../support/review-client.js';

const DAY_MS = 24 * 3600 * 1000;

describe('a customer’s deadline passing, on a controllable clock (real PostgreSQL)', () => {
  const env = useDistributedEnv();
  let alice: ReviewerSession;
  let deadlines: CustomerDeadlineService;

  /** A submitted claim the machine sent to review, as the workers leave it. */
  const seed = async (claimId: string, flags: FlagCode[]) => {
    await env().runtime.claims.submit({
      claimId,
      file: `${claimId}.jpg`,
      form: { serial: 'R5CT6073PQV' },
      receiptKey: `receipts/aa/${'a'.repeat(64)}`,
      documentHash: 'a'.repeat(64),
      tenant: 'test submitter',
      identifiers: [],
    });
    await env().runtime.claims.saveResult({ ...storedResult(claimId, 'needs_review', flags), file: `${claimId}.jpg` }, [], []);
  };

  /** Asks the customer for a serial label photo, through the workbench API; returns when it was asked. */
  const ask = async (claimId: string): Promise<Date> => {
    expect((await alice.call('POST', `/claims/${claimId}/lease`)).status).toBe(200);
    const decided = await alice.call('POST', `/claims/${claimId}/decision`, {
      action: 'request_info',
      items: ['SERIAL_LABEL_PHOTO'],
      note: 'The label is under the battery cover.',
    });
    expect(decided).toMatchObject({ status: 200, body: { status: 'awaiting_customer' } });
    const view = await getJson(env().baseUrl, `/claims/${claimId}`, env().keys.submitter);
    return new Date(view.body.customerRequest.askedAt);
  };

  const status = async (claimId: string) => (await env().runtime.claims.get(claimId))!.status;
  const kinds = async (claimId: string) => (await env().runtime.claims.history(claimId)).map((e) => e.kind);
  const at = (asked: Date, days: number, ms = 0) => new Date(asked.getTime() + days * DAY_MS + ms);

  beforeAll(async () => {
    alice = await newReviewer(env(), 'alice');
    deadlines = new CustomerDeadlineService({ requests: env().runtime.customerRequests, logger: createLogger({ logLevel: 'silent' }) });
    await seed('DL-SILENT', ['MISSING_SERIAL']);
    await seed('DL-ANSWERS', ['SERIAL_MISMATCH']);
  }, 60_000);

  it('reminds once at day 7, closes at day 14 with CUSTOMER_NO_RESPONSE, and a second run changes nothing; a claim that got its document in time stays open', async () => {
    const asked = await ask('DL-SILENT');
    const askedOther = await ask('DL-ANSWERS');
    const silentView = await getJson(env().baseUrl, '/claims/DL-SILENT', env().keys.submitter);
    expect(silentView.body).toMatchObject({
      status: 'awaiting_customer',
      statusText: expect.stringMatching(/send what we asked for/),
      customerRequest: {
        items: [
          {
            code: 'SERIAL_LABEL_PHOTO',
            label: expect.stringMatching(/serial number label/),
            clears: expect.arrayContaining(['MISSING_SERIAL']),
          },
        ],
        note: 'The label is under the battery cover.',
        deadline: at(asked, 14).toISOString(),
        remindedAt: null,
      },
    });

    // Just before day 7: nothing is due.
    const last = askedOther > asked ? askedOther : asked;
    expect(await deadlines.closeOverdue(at(asked, 7, -1))).toEqual({ reminded: [], closed: [] });
    // Day 7: the one reminder each, and only once however often the job runs.
    const day7 = at(last, 7);
    expect((await deadlines.closeOverdue(day7)).reminded.sort()).toEqual(['DL-ANSWERS', 'DL-SILENT']);
    expect(await deadlines.closeOverdue(at(last, 8))).toEqual({ reminded: [], closed: [] });
    const reminded = (await env().runtime.claims.history('DL-SILENT')).filter((e) => e.kind === 'reminded');
    expect(reminded.map((e) => e.data)).toEqual([
      {
        deadline: at(asked, 14).toISOString(),
        request: { items: [expect.objectContaining({ code: 'SERIAL_LABEL_PHOTO' })], note: 'The label is under the battery cover.' },
      },
    ]);
    expect((await getJson(env().baseUrl, '/claims/DL-SILENT', env().keys.submitter)).body.customerRequest.remindedAt).toBe(
      day7.toISOString(),
    );

    // The customer of DL-ANSWERS sends the label photo on day 10: the claim leaves awaiting_customer
    // (lane A's document_added path does this through ClaimStateWriter; here the status change alone stands in for it).
    await env().runtime.db.query(`UPDATE claims SET status = 'needs_review' WHERE id = 'DL-ANSWERS'`);

    // Day 14: the silent claim is closed, and only it; both runs at once close it once.
    const day14 = at(last, 14);
    const [first, second] = await Promise.all([deadlines.closeOverdue(day14), deadlines.closeOverdue(day14)]);
    expect([...first.closed, ...second.closed]).toEqual(['DL-SILENT']);
    expect(await deadlines.closeOverdue(at(last, 30))).toEqual({ reminded: [], closed: [] });
    expect(await status('DL-SILENT')).toBe('closed');
    expect(await status('DL-ANSWERS')).toBe('needs_review');
    expect(await kinds('DL-SILENT')).toEqual(['received', 'decided', 'reviewed', 'reminded', 'closed']);
    expect(await kinds('DL-ANSWERS')).toEqual(['received', 'decided', 'reviewed', 'reminded']);

    const closedEvent = (await env().runtime.claims.history('DL-SILENT')).at(-1)!;
    expect(closedEvent.data).toEqual({
      from: 'awaiting_customer',
      reason: 'CUSTOMER_NO_RESPONSE',
      policyVersion: '2026.7',
      deadline: at(asked, 14).toISOString(),
    });
    // The result explains it: the rule, the policy in force when asked, the dates and what was asked for.
    const result = (await env().runtime.claims.get('DL-SILENT'))!.result;
    expect(result.status).toBe('not_eligible');
    expect(result.flags.at(-1)).toEqual({
      code: 'CUSTOMER_NO_RESPONSE',
      message: expect.stringMatching(/did not send what was asked for/),
      evidence: {
        rule: 'customer.response',
        clause: expect.stringMatching(/14 days/),
        policyVersion: '2026.7',
        askedAt: asked.toISOString(),
        remindedAt: day7.toISOString(),
        deadline: at(asked, 14).toISOString(),
        items: ['SERIAL_LABEL_PHOTO'],
      },
    });
    // The replaced result is kept, and the submitter reads the closing in words, without a request still open.
    const kept = await env().runtime.db.query<{ replaced_by: string }>(
      `SELECT replaced_by FROM claim_result_versions WHERE claim_id = 'DL-SILENT'`,
    );
    expect(kept.map((k) => k.replaced_by)).toEqual([expect.stringMatching(/^reviewed:/), expect.stringMatching(/^closed:/)]);
    const closedView = await getJson(env().baseUrl, '/claims/DL-SILENT', env().keys.submitter);
    expect(closedView.body).toMatchObject({
      status: 'closed',
      statusText: expect.stringMatching(/closed because we did not receive/),
      customerRequest: null,
      result: { status: 'not_eligible', flags: expect.arrayContaining([expect.objectContaining({ code: 'CUSTOMER_NO_RESPONSE' })]) },
    });
    // A re-run never writes over it: the reviewer who asked still stands as the one who decided.
    expect(await env().runtime.claims.saveResult({ ...result, status: 'eligible', flags: [] }, [], [])).toBe(false);
    expect(await status('DL-SILENT')).toBe('closed');
  }, 60_000);
  it('lets a document arriving as the deadline passes win: the closing waits for the claim, then finds it moved on', async () => {
    await seed('DL-RACE', ['MISSING_SERIAL']);
    const asked = await ask('DL-RACE');
    let closing: Promise<DeadlineRun> | undefined;
    // A transaction holding the claim's row, as the one adding a document does, while the deadline passes.
    await env().runtime.db.transaction(async (tx) => {
      const holder = (await tx.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid FROM claims WHERE id = 'DL-RACE' FOR UPDATE`))[0]!;
      closing = deadlines.closeOverdue(at(asked, 14));
      // The closing's transaction is blocked by this one.
      await eventually(
        async () =>
          (await env().runtime.db.query('SELECT 1 FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [holder.pid])).length > 0 ||
          undefined,
        30_000,
        'the closing to wait for the claim',
      );
      await tx.query(`UPDATE claims SET status = 'needs_review' WHERE id = 'DL-RACE'`);
    });
    expect(await closing).toEqual({ reminded: [], closed: [] });
    expect(await status('DL-RACE')).toBe('needs_review');
    expect(await kinds('DL-RACE')).not.toContain('closed');
  }, 60_000);
});
