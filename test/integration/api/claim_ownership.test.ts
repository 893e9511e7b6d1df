import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_FIELD } from '../../../src/domain/extraction.js';
import { flag } from '../../../src/domain/flags.js';
import type { ClaimResult } from '../../../src/domain/result.js';
import { duplicateFlags } from '../../../src/fraud/duplicates.js';
import { sample } from '../../support/claims-client.js';
import { injectClaim, startEmbeddedApi, type EmbeddedApi } from '../../support/embedded-api.js';

/** Each submitter sees its own claims only; reviewers and admins see every claim. */
describe('claims are read by the submitter that sent them', () => {
  let api: EmbeddedApi;
  const keys = { acme: '', globex: '', reviewer: '', admin: '' };
  let acmeClaim: { claimId: string; requestNumber: string };
  let globexClaim: { claimId: string; requestNumber: string };

  const get = async (route: string, key: string) => {
    const response = await api.app.inject({ method: 'GET', url: route, headers: { authorization: `Bearer ${key}` } });
    return { status: response.statusCode, body: response.json() };
  };

  /** The decision the workers make on Globex's claim: Acme's receipt, reused. */
  const reusedReceiptResult = (): ClaimResult => ({
    file: 'globex-upload.pdf',
    claimId: globexClaim.claimId,
    status: 'needs_review',
    fields: { purchaseDate: EMPTY_FIELD, retailer: EMPTY_FIELD, model: EMPTY_FIELD, serial: EMPTY_FIELD, imei: EMPTY_FIELD },
    warranty: null,
    flags: [
      ...duplicateFlags([
        { kind: 'receipt_hash', value: 'h', claimId: acmeClaim.claimId, requestNumber: acmeClaim.requestNumber, file: 'acme-secret.pdf' },
        { kind: 'serial', value: 'R5CX12ABCDE', claimId: 'ACME-OTHER', requestNumber: 'WR-2222-3333', file: 'acme-other.jpg' },
      ]),
      flag(
        'POSSIBLE_TAMPERING',
        "The receipt's purchaseDate was compressed differently (error level 3.1× the other words, threshold 2.5).",
        {
          signal: 'error_level',
          rule: 'fraud.errorLevel',
          clause: 'Fraud §2',
          policyVersion: '2026.3',
          score: 3.1,
          threshold: 2.5,
        },
      ),
    ],
    policyVersion: '2026.3',
    documentHash: null,
  });

  beforeAll(async () => {
    api = await startEmbeddedApi({ storage: true });
    keys.acme = (await api.runtime.apiKeys.create('acme', 'submitter')).key;
    keys.globex = (await api.runtime.apiKeys.create('globex', 'submitter')).key;
    keys.reviewer = (await api.runtime.apiKeys.create('review desk', 'reviewer')).key;
    keys.admin = (await api.runtime.apiKeys.create('operations', 'admin')).key;
    const receipt = await sample('invoice-text.pdf');
    const acme = await injectClaim(api.app, keys.acme, { claimId: 'ACME-1', country: 'DE' }, { ...receipt, name: 'acme-secret.pdf' });
    const globex = await injectClaim(
      api.app,
      keys.globex,
      { claimId: 'GLOBEX-1', country: 'DE' },
      { ...receipt, name: 'globex-upload.pdf' },
    );
    expect([acme.status, globex.status]).toEqual([202, 202]);
    acmeClaim = acme.body;
    globexClaim = globex.body;
  });
  afterAll(async () => {
    await api?.close();
  });

  it('shows a submitter its own claim and answers 404 for another submitter’s, as if it did not exist', async () => {
    expect(await get('/claims/ACME-1', keys.acme)).toMatchObject({ status: 200, body: { claimId: 'ACME-1' } });
    const foreign = await get('/claims/ACME-1', keys.globex);
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual({ error: 'NOT_FOUND', message: 'No claim ACME-1.' });
    expect(JSON.stringify(foreign.body)).not.toContain(acmeClaim.requestNumber);
  });

  it('finds a claim by its request number for the submitter that sent it, as GET /claims/:id shows it, and 404 for anyone else’s', async () => {
    const byNumber = await get(`/claims/by-request/${acmeClaim.requestNumber}`, keys.acme);
    expect(byNumber.status).toBe(200);
    expect(byNumber.body).toEqual((await get('/claims/ACME-1', keys.acme)).body);
    expect(byNumber.body).toMatchObject({
      claimId: 'ACME-1',
      requestNumber: acmeClaim.requestNumber,
      status: expect.any(String),
      statusText: expect.stringMatching(/\w+/),
      customerRequest: null,
    });
    // Another submitter's number is answered as a number that does not exist: nothing tells the two apart.
    const foreign = await get(`/claims/by-request/${acmeClaim.requestNumber}`, keys.globex);
    const unknown = await get('/claims/by-request/WR-ZZZZ-ZZZZ', keys.globex);
    expect(foreign).toEqual({
      status: 404,
      body: { error: 'NOT_FOUND', message: `No claim with request number ${acmeClaim.requestNumber}.` },
    });
    expect(unknown).toEqual({ status: 404, body: { error: 'NOT_FOUND', message: 'No claim with request number WR-ZZZZ-ZZZZ.' } });
    expect(JSON.stringify(foreign.body)).not.toContain('ACME-1');
    for (const key of [keys.reviewer, keys.admin]) {
      expect(await get(`/claims/by-request/${globexClaim.requestNumber}`, key)).toMatchObject({
        status: 200,
        body: { claimId: 'GLOBEX-1' },
      });
    }
  });

  it('shows reviewers and admins every claim', async () => {
    for (const key of [keys.reviewer, keys.admin]) {
      expect((await get('/claims/ACME-1', key)).status).toBe(200);
      expect((await get('/claims/GLOBEX-1', key)).status).toBe(200);
    }
  });

  it('gives receipt links to reviewers and admins only', async () => {
    expect((await get('/claims/ACME-1/receipt', keys.acme)).status).toBe(403);
    expect((await get('/claims/ACME-1/receipt', keys.globex)).status).toBe(403);
    const link = await get('/claims/ACME-1/receipt', keys.reviewer);
    expect(link.status).toBe(200);
    expect(link.body.url).toMatch(/^http/);
  });

  it('keeps another claim’s id, request number, file name and the scoring thresholds out of a submitter’s view of its result', async () => {
    await api.runtime.claims.saveResult(reusedReceiptResult(), [], []);
    const own = await get('/claims/GLOBEX-1', keys.globex);
    expect(own.status).toBe(200);
    expect(own.body.result.flags.map((f: { code: string }) => f.code)).toEqual([
      'DUPLICATE_RECEIPT',
      'DUPLICATE_SERIAL',
      'POSSIBLE_TAMPERING',
    ]);
    const shown = JSON.stringify(own.body.result);
    for (const secret of [
      'ACME-1',
      acmeClaim.requestNumber,
      'acme-secret.pdf',
      'ACME-OTHER',
      'WR-2222-3333',
      'acme-other.jpg',
      '2.5',
      '3.1',
    ]) {
      expect(shown).not.toContain(secret);
    }
    for (const f of own.body.result.flags) {
      expect(Object.keys(f.evidence)).not.toEqual(expect.arrayContaining(['threshold']));
      expect(f.message.length).toBeGreaterThan(0);
    }

    const reviewed = await get('/claims/GLOBEX-1', keys.reviewer);
    expect(reviewed.body.result.flags[0].evidence).toMatchObject({
      earlierClaimId: 'ACME-1',
      earlierRequestNumber: acmeClaim.requestNumber,
    });
    expect(reviewed.body.result.flags[2].evidence.threshold).toBe(2.5);
  });
});
