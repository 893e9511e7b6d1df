import { beforeAll, describe, expect, it, vi } from 'vitest';
import { useDistributedEnv } from '../../support/distributed-env.js';
import { sample, submitClaim } from '../../support/claims-client.js';
import { storedObjects, storedRows } from '../../support/stored-state.js';

/**
 * A claim id names one submission: the very same bytes and form again find it (idempotent), anything
 * else under that id is refused with 409, and a refusal leaves no object and no row behind.
 */
describe('a claim id used again', () => {
  const env = useDistributedEnv();
  let otherSubmitter: string;
  const form = { claimId: 'REUSE-1', country: 'DE', serial: 'R5CX12ABCDE', purchaseDate: '2024-03-12' };

  beforeAll(async () => {
    otherSubmitter = (await env().runtime.apiKeys.create('globex', 'submitter')).key;
  }, 60_000);

  it('answers the very same submission again with the same claim and request number', async () => {
    const receipt = await sample('invoice-text.pdf');
    const first = await submitClaim(env().baseUrl, env().keys.submitter, form, receipt);
    const again = await submitClaim(env().baseUrl, env().keys.submitter, form, receipt);
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body.requestNumber).toBe(first.body.requestNumber);
    expect((await storedRows(env())).claims).toBe(1);
    expect(await storedObjects(env())).toHaveLength(1);
  });

  it('refuses another receipt under the same claim id with 409, keeping the first claim as it was and storing nothing', async () => {
    const before = {
      rows: await storedRows(env()),
      objects: await storedObjects(env()),
      claim: await env().runtime.claims.submitted('REUSE-1'),
    };
    const refused = await submitClaim(env().baseUrl, env().keys.submitter, form, await sample('scan-receipt.png'));
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('CLAIM_ID_TAKEN');
    expect(refused.body.message).toMatch(/REUSE-1/);
    expect(await storedRows(env())).toEqual(before.rows);
    expect(await storedObjects(env())).toEqual(before.objects);
    expect(await env().runtime.claims.submitted('REUSE-1')).toEqual(before.claim);
  });

  it('refuses the same receipt with another form under the same claim id', async () => {
    const before = await storedRows(env());
    const refused = await submitClaim(
      env().baseUrl,
      env().keys.submitter,
      { ...form, serial: 'R5CX99ZZZZZ' },
      await sample('invoice-text.pdf'),
    );
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('CLAIM_ID_TAKEN');
    expect(await storedRows(env())).toEqual(before);
  });

  it('refuses the very same submission from another submitter without telling it the claim’s request number', async () => {
    const first = await env().runtime.claims.submitted('REUSE-1');
    const refused = await submitClaim(env().baseUrl, otherSubmitter, form, await sample('invoice-text.pdf'));
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('CLAIM_ID_TAKEN');
    expect(JSON.stringify(refused.body)).not.toContain(first!.requestNumber);
  });

  it('accepts one of two different submissions racing for a new claim id, and keeps only its receipt', async () => {
    const before = await storedObjects(env());
    const race = { ...form, claimId: 'RACE-1' };
    const answers = await Promise.all([
      submitClaim(env().baseUrl, env().keys.submitter, race, await sample('photo-receipt.jpg')),
      submitClaim(env().baseUrl, env().keys.submitter, race, await sample('expired-receipt.png')),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409]);
    const claim = await env().runtime.claims.submitted('RACE-1');
    expect(await storedObjects(env())).toEqual([...before, claim!.receiptKey].sort());
  });

  it('removes the receipt of a submission refused after its receipt was stored, unless another claim keeps that receipt', async () => {
    const before = await storedObjects(env());
    // Each submission looks the id up as free, as when the other one is recorded just after the look-up.
    const lookUp = vi.spyOn(env().runtime.claims, 'submitted');
    try {
      lookUp.mockResolvedValueOnce(null);
      const lost = await submitClaim(env().baseUrl, env().keys.submitter, form, await sample('invoice-scan.pdf'));
      expect(lost.status).toBe(409);
      expect(await storedObjects(env())).toEqual(before);

      // The same receipt as REUSE-1's: refused as well, and REUSE-1 keeps its receipt.
      lookUp.mockResolvedValueOnce(null);
      const shared = await submitClaim(
        env().baseUrl,
        env().keys.submitter,
        { ...form, serial: 'R5CX00SHARE' },
        await sample('invoice-text.pdf'),
      );
      expect(shared.status).toBe(409);
      expect(await storedObjects(env())).toEqual(before);
    } finally {
      lookUp.mockRestore();
    }
  });
});
