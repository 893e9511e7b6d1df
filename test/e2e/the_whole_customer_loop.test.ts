import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planLabel, labelImage } from '../../tools/corpus/label.js';
import { eventually, useDistributedEnv } from '../support/distributed-env.js';
import { addDocument, getJson, sendJson, submitClaim } from '../support/claims-client.js';
import { newReviewer } from '../support/review-client.js';
import { textReceipt } from '../support/text-documents.js';
import { verifyWarrantySignature } from '../support/verify-webhook-signature.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

/**
 * The loop the issue asks for, on real Redis, Postgres, S3 and a webhook receiver on loopback: a
 * phone receipt without its IMEI goes to review; the reviewer asks for a photo of the serial label;
 * the intake service hears it by a signed webhook and shows the customer the request by its number;
 * the customer's label photo arrives, its barcode is read, and the claim is decided eligible.
 */
describe('the whole customer loop', () => {
  const env = useDistributedEnv({ workers: true, env: () => ({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_RELAY_MS: '100' }) });
  let receiver: WebhookReceiver;
  let secret: string;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    const created = await sendJson(env().baseUrl, env().keys.submitter, 'POST', '/webhooks', {
      url: receiver.url,
      events: ['claim.decided', 'claim.needs_review', 'claim.customer_asked', 'claim.document_received', 'claim.closed'],
    });
    expect(created.status).toBe(201);
    secret = created.body.secret;
  }, 60_000);
  afterAll(async () => {
    await receiver?.close();
  });

  it('asks for a serial-label photo, reads its barcode and decides the claim eligible, telling the intake service at each step', async () => {
    const label = planLabel(18_101, { symbology: 'datamatrix-gs1' });
    const form = {
      claimId: 'LOOP-1',
      imei: label.imei,
      model: label.model,
      purchaseDate: '2025-02-14',
      country: 'DE',
      claimDate: '2025-06-01',
    };
    const receipt = await textReceipt({ purchaseDate: '2025-02-14', model: label.model, receiptNumber: '4417 0093 5501' });
    const accepted = await submitClaim(env().baseUrl, env().keys.submitter, form, { name: 'receipt.pdf', bytes: receipt });
    expect(accepted.status).toBe(202);
    const { requestNumber } = accepted.body;
    const heard = (type: string) => receiver.until((r) => r.accepted.some((q) => q.event.claimId === 'LOOP-1' && q.event.type === type));

    // The receipt lacks the IMEI: a person must look.
    await heard('claim.needs_review');
    const reviewing = receiver.accepted.find((q) => q.event.type === 'claim.needs_review')!;
    expect(reviewing.event.data.result.flags.map((f: { code: string }) => f.code)).toContain('MISSING_SERIAL');

    const alice = await newReviewer(env(), 'alice');
    expect((await alice.call('POST', '/claims/LOOP-1/lease')).status).toBe(200);
    const asked = await alice.call('POST', '/claims/LOOP-1/decision', {
      action: 'request_info',
      items: ['SERIAL_LABEL_PHOTO'],
      note: 'Please send a photo of the label on the box, with its barcode.',
      corrections: {},
    });
    expect(asked.status).toBe(200);

    // The intake service hears what to ask for, signed, and can show it by the request number.
    await heard('claim.customer_asked');
    const askedEvent = receiver.accepted.find((q) => q.event.type === 'claim.customer_asked')!;
    expect(verifyWarrantySignature(askedEvent.body, String(askedEvent.headers['warranty-signature']), secret)).toBe(true);
    expect(askedEvent.event).toMatchObject({
      requestNumber,
      data: { status: 'awaiting_customer', request: { items: [{ code: 'SERIAL_LABEL_PHOTO' }], note: expect.stringContaining('label') } },
    });
    const shown = await getJson(env().baseUrl, `/claims/by-request/${requestNumber}`, env().keys.submitter);
    expect(shown.body).toMatchObject({ status: 'awaiting_customer', customerRequest: { items: [{ code: 'SERIAL_LABEL_PHOTO' }] } });

    // The customer's photo of the label: its DataMatrix carries the IMEI.
    const photo = await labelImage(18_101, label, 'camera');
    const added = await addDocument(env().baseUrl, env().keys.submitter, 'LOOP-1', {
      name: 'label.jpg',
      bytes: photo.bytes,
      type: 'image/jpeg',
    });
    expect(added.status).toBe(202);

    await heard('claim.decided');
    const decided = receiver.accepted.find((q) => q.event.claimId === 'LOOP-1' && q.event.type === 'claim.decided')!;
    expect(verifyWarrantySignature(decided.body, String(decided.headers['warranty-signature']), secret)).toBe(true);
    expect(decided.event.data).toMatchObject({
      status: 'eligible',
      result: { status: 'eligible', fields: { imei: { value: label.imei, via: 'barcode', document: 1 } } },
    });
    expect(receiver.accepted.filter((q) => q.event.claimId === 'LOOP-1').map((q) => q.event.type)).toEqual([
      'claim.needs_review',
      'claim.customer_asked',
      'claim.document_received',
      'claim.decided',
    ]);
    const finalView = await eventually(async () => {
      const { body } = await getJson(env().baseUrl, '/claims/LOOP-1', env().keys.submitter);
      return body?.status === 'eligible' ? body : undefined;
    });
    expect(finalView.documents).toHaveLength(2);
  }, 300_000);
});
