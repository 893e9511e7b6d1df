import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventually, useDistributedEnv } from '../../support/distributed-env.js';
import { getJson, sample, submitClaim } from '../../support/claims-client.js';
import { newReviewer } from '../../support/review-client.js';
import { jobIdFor } from '../../../src/queue/claim-queues.js';
import { textReceipt } from '../../support/text-documents.js';
import { luhnCheckDigit } from '../../../src/domain/identifiers.js';

const MODEL = 'SM-S921B/DS';

/**
 * One purchase per claim (its own IMEI and day), so no claim here is a duplicate of another: a phone
 * claim whose receipt prints no IMEI, which the machine sends to review (MISSING_SERIAL), and the
 * retailer's copy of the same purchase, which prints it.
 */
function purchase(n: number) {
  const body = `35091764208${String(n).padStart(3, '0')}`;
  const imei = `${body}${luhnCheckDigit(body)}`;
  const bought = `2025-02-${String(10 + n).padStart(2, '0')}`;
  return {
    imei,
    bought,
    form: (claimId: string) => ({ claimId, imei, model: MODEL, purchaseDate: bought, country: 'DE', claimDate: '2025-06-01' }),
    receiptWithoutImei: () => textReceipt({ purchaseDate: bought, model: MODEL, receiptNumber: `4417 0093 ${n}` }),
    copyWithImei: () => textReceipt({ purchaseDate: bought, model: MODEL, imei, receiptNumber: `4417 0093 ${n}` }),
  };
}

async function postDocument(
  baseUrl: string,
  key: string,
  claimId: string,
  document: { name: string; bytes: Uint8Array; type?: string } | null,
  field = 'document',
): Promise<{ status: number; body: any }> {
  const form = new FormData();
  if (document) form.append(field, new Blob([new Uint8Array(document.bytes)], { type: document.type ?? 'application/pdf' }), document.name);
  else form.append('note', 'no file');
  const response = await fetch(`${baseUrl}/claims/${encodeURIComponent(claimId)}/documents`, {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${key}` },
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}

describe('more documents for a claim', () => {
  const env = useDistributedEnv({ workers: true });
  let otherSubmitter: string;

  const claimIn = (claimId: string, statuses: string[]) =>
    eventually(
      async () => {
        const { body } = await getJson(env().baseUrl, `/claims/${encodeURIComponent(claimId)}`, env().keys.submitter);
        return statuses.includes(body?.status) ? body : undefined;
      },
      120_000,
      `claim ${claimId} in ${statuses.join(' or ')}`,
    );

  const submitted = async (claimId: string, bought: ReturnType<typeof purchase>) => {
    const bytes = await bought.receiptWithoutImei();
    const accepted = await submitClaim(env().baseUrl, env().keys.submitter, bought.form(claimId), { name: 'receipt.pdf', bytes });
    expect(accepted.status).toBe(202);
    return { ...accepted.body, bytes };
  };

  const eventKinds = async (claimId: string) => (await env().runtime.claims.history(claimId)).map((e) => e.kind);

  beforeAll(async () => {
    otherSubmitter = (await env().runtime.apiKeys.create('another shop', 'submitter')).key;
  });

  it('refuses at the door what the first upload would be refused for, and answers 404 for a claim the caller may not see', async () => {
    const bought = purchase(1);
    await submitted('MD-DOOR', bought);
    const copyWithImei = bought.copyWithImei;
    const post = (key: string, claimId: string, document: Parameters<typeof postDocument>[3], field?: string) =>
      postDocument(env().baseUrl, key, claimId, document, field);
    const { submitter, reviewer } = env().keys;

    expect(await post(submitter, 'MD-DOOR', await sample('corrupt.jpg'))).toMatchObject({
      status: 422,
      body: { error: 'UNREADABLE_DOCUMENT' },
    });
    expect(
      await post(submitter, 'MD-DOOR', { name: 'notes.txt', bytes: new TextEncoder().encode('just words'), type: 'text/plain' }),
    ).toMatchObject({ status: 415, body: { error: 'UNSUPPORTED_FILE' } });
    expect(await post(submitter, 'MD-DOOR', null)).toMatchObject({ status: 400, body: { error: 'INVALID_FORM_DATA' } });
    expect(await post(submitter, 'MD-DOOR', { name: 'label.pdf', bytes: await copyWithImei() }, 'receipt')).toMatchObject({ status: 400 });
    // Another submitter's claim is not theirs to add to, nor to know of; a reviewer does not submit.
    expect(await post(otherSubmitter, 'MD-DOOR', { name: 'label.pdf', bytes: await copyWithImei() })).toMatchObject({
      status: 404,
      body: { error: 'NOT_FOUND' },
    });
    expect(await post(submitter, 'NO-SUCH-CLAIM', { name: 'label.pdf', bytes: await copyWithImei() })).toMatchObject({ status: 404 });
    expect((await post(reviewer, 'MD-DOOR', { name: 'label.pdf', bytes: await copyWithImei() })).status).toBe(403);

    // Documented as the first upload is, from the same schemas.
    const openapi = (await getJson(env().baseUrl, '/openapi.json', null)).body;
    const documents = openapi.paths['/claims/{id}/documents'].post;
    expect(documents.requestBody.content['multipart/form-data'].schema.properties.document.format).toBe('binary');
    expect(Object.keys(documents.responses)).toEqual(expect.arrayContaining(['202', '404', '409', '413', '415', '422']));
    expect(openapi.paths['/claims/{id}'].get.responses['200'].content['application/json'].schema.properties.documents).toBeDefined();

    const view = await claimIn('MD-DOOR', ['needs_review']);
    expect(view.documents).toHaveLength(1);
    expect(await eventKinds('MD-DOOR')).not.toContain('document_added');
  }, 150_000);

  it('takes the same bytes twice as one document, reads the new one and lets the machine decide again', async () => {
    const bought = purchase(2);
    const receipt = (await submitted('MD-TWICE', bought)).bytes as Uint8Array;
    const review = await claimIn('MD-TWICE', ['needs_review']);
    expect(review.result.flags.map((f: { code: string }) => f.code)).toContain('MISSING_SERIAL');
    const { submitter } = env().keys;

    // The claim's own receipt again is the document it already is.
    const again = await postDocument(env().baseUrl, submitter, 'MD-TWICE', { name: 'same.pdf', bytes: receipt });
    expect(again).toMatchObject({ status: 202, body: { isNew: false, status: 'needs_review', document: { index: 0 } } });

    const copy = await bought.copyWithImei();
    const added = await postDocument(env().baseUrl, submitter, 'MD-TWICE', { name: 'copy.pdf', bytes: copy });
    expect(added).toMatchObject({
      status: 202,
      body: { isNew: true, status: 'received', document: { index: 1, file: 'copy.pdf', addedBy: 'api' } },
    });
    const repeated = await postDocument(env().baseUrl, submitter, 'MD-TWICE', { name: 'copy-again.pdf', bytes: copy });
    expect(repeated).toMatchObject({ status: 202, body: { isNew: false, document: { index: 1, file: 'copy.pdf' } } });

    const decided = await claimIn('MD-TWICE', ['eligible', 'not_eligible', 'needs_review']);
    expect(decided.result.flags).toEqual([]);
    expect(decided.status).toBe('eligible');
    expect(decided.documents.map((d: { index: number; file: string }) => [d.index, d.file])).toEqual([
      [0, 'receipt.pdf'],
      [1, 'copy.pdf'],
    ]);
    // Each field names the document it came from: the IMEI only the copy prints.
    expect(decided.result.fields.imei).toMatchObject({ value: bought.imei, document: 1 });
    expect(decided.result.fields.purchaseDate).toMatchObject({ value: bought.bought, document: 0 });
    const history = await env().runtime.claims.history('MD-TWICE');
    const additions = history.filter((e) => e.kind === 'document_added');
    expect(additions.map((e) => e.data)).toEqual([{ document: 1, sha256: added.body.document.sha256, file: 'copy.pdf', by: 'api' }]);
    expect(history.map((e) => e.kind).slice(-4)).toEqual(['document_added', 'stage', 'stage', 'decided']);

    // Decided for good: no more documents, and nothing is kept of the refused one.
    const late = await postDocument(env().baseUrl, submitter, 'MD-TWICE', {
      name: 'late.pdf',
      bytes: await textReceipt({ purchaseDate: bought.bought, model: MODEL, receiptNumber: 'late' }),
    });
    expect(late).toMatchObject({ status: 409, body: { error: 'CLAIM_CLOSED' } });
    expect(late.body.message).toMatch(/MD-TWICE is eligible/);
    expect((await env().runtime.claims.documents('MD-TWICE')).length).toBe(2);
  }, 200_000);

  it('brings a claim waiting for the customer back into the machine when the asked-for document arrives', async () => {
    const bought = purchase(3);
    await submitted('MD-ASKED', bought);
    await claimIn('MD-ASKED', ['needs_review']);
    const alice = await newReviewer(env(), 'alice');
    expect((await alice.call('POST', '/claims/MD-ASKED/lease')).status).toBe(200);
    const asked = await alice.call('POST', '/claims/MD-ASKED/decision', {
      action: 'request_info',
      items: ['SERIAL_LABEL_PHOTO'],
      corrections: {},
    });
    expect(asked.status).toBe(200);
    await claimIn('MD-ASKED', ['awaiting_customer']);

    const added = await postDocument(env().baseUrl, env().keys.submitter, 'MD-ASKED', {
      name: 'copy.pdf',
      bytes: await bought.copyWithImei(),
    });
    expect(added).toMatchObject({ status: 202, body: { isNew: true, status: 'received' } });
    const decided = await claimIn('MD-ASKED', ['eligible', 'not_eligible', 'needs_review']);
    expect(decided.result.flags).toEqual([]);
    expect(decided.status).toBe('eligible');
    // The reviewer's request is answered: the machine decided, and nobody's decision was written over.
    const kinds = await eventKinds('MD-ASKED');
    expect(kinds.slice(-5)).toEqual(['reviewed', 'document_added', 'stage', 'stage', 'decided']);
  }, 200_000);

  it('never writes over a human decision: a document after it is refused, and one during a review wins over a stale approval', async () => {
    const bob = await newReviewer(env(), 'bob');
    const { submitter } = env().keys;

    const approved = purchase(4);
    await submitted('MD-APPROVED', approved);
    await claimIn('MD-APPROVED', ['needs_review']);
    expect((await bob.call('POST', '/claims/MD-APPROVED/lease')).status).toBe(200);
    expect(
      (await bob.call('POST', '/claims/MD-APPROVED/decision', { action: 'approve', corrections: { imei: approved.imei } })).status,
    ).toBe(200);
    const late = await postDocument(env().baseUrl, submitter, 'MD-APPROVED', { name: 'copy.pdf', bytes: await approved.copyWithImei() });
    expect(late).toMatchObject({ status: 409, body: { error: 'CLAIM_CLOSED' } });
    expect(await claimIn('MD-APPROVED', ['eligible'])).toMatchObject({ status: 'eligible', documents: [{ index: 0 }] });
    const [row] = await env().runtime.db.query<{ decided_by: string }>('SELECT decided_by FROM claims WHERE id = $1', ['MD-APPROVED']);
    expect(row!.decided_by).toBe('bob');
    expect(await eventKinds('MD-APPROVED')).not.toContain('document_added');

    // The document comes while bob has the claim open: his approval, made on what he saw, is refused;
    // the machine decides with the new document, once.
    const racing = purchase(5);
    await submitted('MD-RACE', racing);
    await claimIn('MD-RACE', ['needs_review']);
    expect((await bob.call('POST', '/claims/MD-RACE/lease')).status).toBe(200);
    const added = await postDocument(env().baseUrl, submitter, 'MD-RACE', { name: 'copy.pdf', bytes: await racing.copyWithImei() });
    expect(added.status).toBe(202);
    const stale = await bob.call('POST', '/claims/MD-RACE/decision', { action: 'approve', corrections: {} });
    expect(stale).toMatchObject({ status: 409, body: { error: 'NOT_REVIEWABLE' } });
    expect((await claimIn('MD-RACE', ['eligible', 'not_eligible', 'needs_review'])).status).toBe('eligible');
    const kinds = await eventKinds('MD-RACE');
    expect(kinds).not.toContain('reviewed');
    expect(kinds.filter((k) => k === 'decided')).toHaveLength(2);
  }, 200_000);

  it('brings back a claim whose new document was stored but whose job was lost: the sweep queues its round again', async () => {
    const lost = purchase(6);
    await submitted('MD-LOST', lost);
    await claimIn('MD-LOST', ['needs_review']);
    await env().stopWorkers();
    const added = await postDocument(env().baseUrl, env().keys.submitter, 'MD-LOST', {
      name: 'copy.pdf',
      bytes: await lost.copyWithImei(),
    });
    expect(added).toMatchObject({ status: 202, body: { status: 'received', document: { index: 1 } } });
    // Redis loses the job (a restart without persistence): only Postgres knows the document is there.
    const job = await env().runtime.queues.queues.read.getJob(jobIdFor('read', 'MD-LOST', 1));
    expect(job).toBeDefined();
    await job!.remove();

    await env().startWorkers();
    expect((await claimIn('MD-LOST', ['eligible', 'not_eligible'])).status).toBe('eligible');
    expect(await env().runtime.queues.queues.read.getJob(jobIdFor('read', 'MD-LOST', 1))).toBeDefined();
  }, 200_000);

  it('refers the claim to a person when a later document cannot be read, naming it; the claim is not refused', async () => {
    const darkRoom = purchase(7);
    await submitted('MD-DARK', darkRoom);
    await claimIn('MD-DARK', ['needs_review']);
    // The shipped photo as if taken in a dark room: the door takes it, normalising refuses it.
    const dark = await sharp((await sample('photo-receipt.jpg')).bytes)
      .linear(0.12, 0)
      .jpeg()
      .toBuffer();
    const added = await postDocument(env().baseUrl, env().keys.submitter, 'MD-DARK', { name: 'dark.jpg', bytes: dark, type: 'image/jpeg' });
    expect(added).toMatchObject({ status: 202, body: { document: { index: 1 } } });
    const referred = await eventually(
      async () => {
        const { body } = await getJson(env().baseUrl, '/claims/MD-DARK', env().keys.reviewer);
        return body?.result?.flags.some((f: { code: string }) => f.code === 'PROCESSING_FAILED') ? body : undefined;
      },
      120_000,
      'MD-DARK referred',
    );
    expect(referred.status).toBe('needs_review');
    expect(referred.result.flags[0]).toMatchObject({ code: 'PROCESSING_FAILED', evidence: { document: 1 } });
    expect(referred.result.flags[0].message).toMatch(/^Document 2 \(dark.jpg\) could not be read: /);
  }, 200_000);
});
