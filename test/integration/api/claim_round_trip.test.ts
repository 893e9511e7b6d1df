import sharp from 'sharp';
import { CURRENT_POLICY_VERSION } from '../../../src/policy/policy-table.js';
import { describe, expect, it } from 'vitest';
import { eventually, useDistributedEnv } from '../../support/distributed-env.js';
import { getJson, sample, submitClaim } from '../../support/claims-client.js';

const DECIDED = ['eligible', 'not_eligible', 'needs_review', 'rejected_input'];

describe('a claim through the API and the stage workers', () => {
  const env = useDistributedEnv({ workers: true });

  const decided = (claimId: string) =>
    eventually(
      async () => {
        const { body } = await getJson(env().baseUrl, `/claims/${encodeURIComponent(claimId)}`, env().keys.submitter);
        return DECIDED.includes(body?.status) ? body : undefined;
      },
      90_000,
      `claim ${claimId} decided`,
    );

  const queuesIdle = () =>
    eventually(
      async () => {
        const counts = await Promise.all(
          Object.values(env().runtime.queues.queues).map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized')),
        );
        return counts.every((c) => Object.values(c).every((n) => n === 0)) ? true : undefined;
      },
      90_000,
      'every queue idle',
    );

  it('answers 202 with a quotable request number at once and decides the claim as the CLI does', async () => {
    const fields = {
      claimId: 'API-PHOTO-1',
      imei: '350917642084132',
      model: 'SM-S921B/DS',
      purchaseDate: '2025-02-22',
      country: 'DE',
      claimDate: '2025-06-01',
    };
    const accepted = await submitClaim(env().baseUrl, env().keys.submitter, fields, await sample('photo-receipt.jpg'));
    // Answered before any stage ran: the claim is only received. (How fast is for `npm run bench:load`.)
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ claimId: 'API-PHOTO-1', status: 'received' });
    expect(accepted.body.requestNumber).toMatch(/^WR-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    expect(accepted.headers.get('location')).toBe('/claims/API-PHOTO-1');

    const view = await decided('API-PHOTO-1');
    expect(view.status).toBe('eligible');
    expect(view.result.fields.imei.value).toBe('350917642084132');
    expect(view.result.policyVersion).toBe(CURRENT_POLICY_VERSION);
    expect(view.requestNumber).toBe(accepted.body.requestNumber);

    const history = await env().runtime.claims.history('API-PHOTO-1');
    expect(history.map((e) => e.kind)).toEqual(['received', 'stage', 'stage', 'decided']);
    expect(history.map((e) => (e.data as { to?: string }).to)).toEqual([undefined, 'read', 'extracted', 'eligible']);
  }, 120_000);

  it('treats the very same upload twice as one claim, processed once', async () => {
    const fields = {
      serial: '0TQ43HCT900517W',
      model: 'UE55CU8079UXZG',
      purchaseDate: '2023-02-21',
      country: 'DE',
      claimDate: '2025-06-01',
    };
    const receipt = await sample('invoice-text.pdf');
    const first = await submitClaim(env().baseUrl, env().keys.submitter, fields, receipt);
    const second = await submitClaim(env().baseUrl, env().keys.submitter, fields, receipt);
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body.claimId).toBe(first.body.claimId);
    expect(second.body.requestNumber).toBe(first.body.requestNumber);
    await decided(first.body.claimId);
    const third = await submitClaim(env().baseUrl, env().keys.submitter, fields, receipt);
    expect(third.body.status).not.toBe('received');
    // A submission queues its job before it answers: once every queue is idle, any job the repeat
    // had queued has run, however slowly.
    await queuesIdle();
    const history = await env().runtime.claims.history(first.body.claimId);
    expect(history.filter((e) => e.kind === 'decided')).toHaveLength(1);
    expect(history.filter((e) => e.kind === 'received')).toHaveLength(1);
  }, 120_000);

  it('flags a second claim on the same receipt with a different form as a duplicate of the first', async () => {
    const receipt = await sample('invoice-text.pdf');
    const first = await submitClaim(
      env().baseUrl,
      env().keys.submitter,
      { claimId: 'DUP-FIRST', serial: '0TQ43HCT900517W', country: 'DE', claimDate: '2025-06-01' },
      receipt,
    );
    await decided(first.body.claimId);
    const other = await submitClaim(
      env().baseUrl,
      env().keys.submitter,
      { serial: '0TQ43HCT900517W', country: 'DE', claimDate: '2025-07-01' },
      receipt,
    );
    expect(other.status).toBe(202);
    const view = await decided(other.body.claimId);
    expect(view.result.flags.map((f: { code: string }) => f.code)).toContain('DUPLICATE_RECEIPT');
  }, 120_000);

  it('gives reviewers a short-lived link that serves the receipt', async () => {
    const receipt = await sample('scan-receipt.png');
    const accepted = await submitClaim(env().baseUrl, env().keys.submitter, { claimId: 'LINK-1', country: 'NO' }, receipt);
    const link = await getJson(env().baseUrl, '/claims/LINK-1/receipt', env().keys.reviewer);
    expect(link.status).toBe(200);
    expect(link.body.expiresInSeconds).toBe(300);
    const file = await fetch(link.body.url);
    expect(Buffer.from(await file.arrayBuffer()).equals(Buffer.from(receipt.bytes))).toBe(true);
    expect(accepted.status).toBe(202);
    await decided('LINK-1');
  }, 120_000);

  it('records a receipt that cannot be read as rejected_input and fails its job visibly without retries', async () => {
    // A sound, blank page: it passes the door, and the quality gate before OCR refuses it.
    const blank = await sharp({ create: { width: 900, height: 1200, channels: 3, background: '#ffffff' } })
      .png()
      .toBuffer();
    const accepted = await submitClaim(
      env().baseUrl,
      env().keys.submitter,
      { claimId: 'BLANK', country: 'DE' },
      { name: 'blank.png', bytes: blank },
    );
    expect(accepted.status).toBe(202);
    const view = await decided('BLANK');
    expect(view.status).toBe('rejected_input');
    expect(view.result.flags[0].code).toBe('UNREADABLE_DOCUMENT');
    const failed = await env().runtime.queues.queues.read.getFailed();
    const job = failed.find((j) => j.data.claimId === 'BLANK');
    expect(job?.attemptsMade).toBe(1);
    expect(job?.failedReason).toMatch(/UNREADABLE_DOCUMENT/);
  }, 120_000);
});
