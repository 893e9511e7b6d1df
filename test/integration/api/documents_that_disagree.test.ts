import { describe, expect, it } from 'vitest';
import { eventually, useDistributedEnv } from '../../support/distributed-env.js';
import { getJson, submitClaim } from '../../support/claims-client.js';
import { textReceipt } from '../../support/text-documents.js';
import { newReviewer } from '../../support/review-client.js';

describe('documents that disagree', () => {
  const env = useDistributedEnv({ workers: true });

  const claimIn = (claimId: string, statuses: string[]) =>
    eventually(
      async () => {
        const { body } = await getJson(env().baseUrl, `/claims/${claimId}`, env().keys.reviewer);
        return statuses.includes(body?.status) ? body : undefined;
      },
      120_000,
      `claim ${claimId} in ${statuses.join(' or ')}`,
    );

  it('sends a claim whose two receipts show two purchase dates to review, with both dates, their documents and sources', async () => {
    const form = {
      claimId: 'DIS-1',
      imei: '350917642084132',
      model: 'SM-S921B/DS',
      purchaseDate: '2025-02-22',
      country: 'DE',
      claimDate: '2025-06-01',
    };
    // The receipt prints no IMEI: the claim waits for a reviewer, and takes more documents meanwhile.
    const first = await textReceipt({ purchaseDate: '2025-02-22', model: 'SM-S921B/DS' });
    expect((await submitClaim(env().baseUrl, env().keys.submitter, form, { name: 'receipt.pdf', bytes: first })).status).toBe(202);
    await claimIn('DIS-1', ['needs_review']);
    // Another receipt for the same phone, with the IMEI, but bought on another day.
    const second = await textReceipt({ purchaseDate: '2025-03-14', model: 'SM-S921B/DS', imei: '350917642084132', receiptNumber: '9' });
    expect((await postDocument('DIS-1', second)).status).toBe(202);

    const decided = await eventually(
      async () => {
        const { body } = await getJson(env().baseUrl, '/claims/DIS-1', env().keys.reviewer);
        return body?.status === 'needs_review' && body.documents.length === 2 && body.result.fields.imei.value ? body : undefined;
      },
      120_000,
      'claim DIS-1 assessed again with both receipts',
    );
    expect(decided.status).toBe('needs_review');
    const disagreement = decided.result.flags.find((f: { code: string }) => f.code === 'DOCUMENTS_DISAGREE');
    expect(disagreement).toMatchObject({
      evidence: {
        rule: 'consistency.documents_disagree',
        field: 'purchaseDate',
        values: [
          { document: 0, value: '2025-02-22', source: expect.stringContaining('22.02.2025') },
          { document: 1, value: '2025-03-14', source: expect.stringContaining('14.03.2025') },
        ],
      },
    });
    expect(disagreement.message).toMatch(/document 1 shows 2025-02-22 .* document 2 shows 2025-03-14/);

    // The reviewer sees both documents' pages, labelled, and each field's evidence on its own document's page.
    const alice = await newReviewer(env(), 'alice');
    const { status, body } = await alice.call('GET', '/claims/DIS-1');
    expect(status).toBe(200);
    expect(body.pages).toEqual([
      expect.objectContaining({ number: 1, document: 0, label: expect.stringMatching(/^Document 1 of 2, sent with the claim /) }),
      expect.objectContaining({ number: 2, document: 1, label: expect.stringMatching(/^Document 2 of 2, added .* by the customer$/) }),
    ]);
    const field = (name: string) => body.fields.find((f: { name: string }) => f.name === name);
    expect(field('imei').highlight.page).toBe(2);
    expect(field('retailer').highlight.page).toBe(1);
    const secondPage = await fetch(`${env().baseUrl}${body.pages[1].url}`, { headers: { cookie: alice.cookie } });
    expect(secondPage.status).toBe(200);
    expect(secondPage.headers.get('content-type')).toBe('image/png');
    expect(body.history.map((h: { kind: string }) => h.kind)).toContain('document_added');
  }, 200_000);

  async function postDocument(claimId: string, bytes: Uint8Array): Promise<{ status: number; body: any }> {
    const form = new FormData();
    form.append('document', new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }), 'second.pdf');
    const response = await fetch(`${env().baseUrl}/claims/${claimId}/documents`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${env().keys.submitter}` },
    });
    return { status: response.status, body: await response.json().catch(() => null) };
  }
});
