import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_ITEMS } from '../../../../src/domain/customer-requests.js';
import { seedClaimNeedingReview } from '../../../support/claim-results.js';
import { startEmbeddedApi, type EmbeddedApi } from '../../../support/embedded-api.js';

/** "Ask customer" through the workbench API: items from the catalogue and a note, kept in the history and shown with the claim. */
describe('asking the customer for items', () => {
  let api: EmbeddedApi;
  let session: { cookie: string; csrf: string };
  let reviewerKey: string;

  beforeAll(async () => {
    api = await startEmbeddedApi();
    const adminKey = (await api.runtime.apiKeys.create('operations', 'admin')).key;
    reviewerKey = (await api.runtime.apiKeys.create('review desk', 'reviewer')).key;
    const password = 'rita-long-password';
    await api.app.inject({
      method: 'POST',
      url: '/admin/users',
      headers: { authorization: `Bearer ${adminKey}` },
      payload: { username: 'rita', password, role: 'reviewer' },
    });
    const signedIn = await api.app.inject({ method: 'POST', url: '/review/api/session', payload: { username: 'rita', password } });
    session = { cookie: String(signedIn.headers['set-cookie']).split(';')[0]!, csrf: signedIn.json().csrfToken };
    await seedClaimNeedingReview(api.runtime.claims, 'ASK-1', ['MISSING_SERIAL', 'LOW_CONFIDENCE']);
  });
  afterAll(async () => {
    await api?.close();
  });

  const request = async (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) => {
    const response = await api.app.inject({
      method,
      url: `/review/api${url}`,
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
      ...(payload === undefined ? {} : { payload }),
    });
    return { status: response.statusCode, body: response.json() };
  };

  it('offers the catalogue with what each item clears', async () => {
    const facets = (await request('GET', '/facets')).body;
    expect(facets.requestItems.map((i: { code: string }) => i.code)).toEqual(Object.keys(REQUEST_ITEMS));
    expect(facets.requestItems[2]).toEqual({
      code: 'SERIAL_LABEL_PHOTO',
      label: REQUEST_ITEMS.SERIAL_LABEL_PHOTO.label,
      clears: [...REQUEST_ITEMS.SERIAL_LABEL_PHOTO.clears],
    });
    expect(facets).not.toHaveProperty('infoReasons');
  });

  it('refuses a request for nothing or for an unknown item with where the problem is, and records nothing', async () => {
    expect((await request('POST', '/claims/ASK-1/lease')).status).toBe(200);
    const empty = await request('POST', '/claims/ASK-1/decision', { action: 'request_info', items: [] });
    expect(empty).toMatchObject({ status: 400, body: { issues: [{ in: 'body', path: 'items', message: 'ask for at least one item' }] } });
    const unknown = await request('POST', '/claims/ASK-1/decision', { action: 'request_info', items: ['SHARPER_PHOTO', 'A_SELFIE'] });
    expect(unknown).toMatchObject({
      status: 400,
      body: { issues: [{ in: 'body', path: 'items.1', message: expect.stringMatching(/^not an item that can be asked for: A_SELFIE/) }] },
    });
    const missing = await request('POST', '/claims/ASK-1/decision', { action: 'request_info', reason: 'RECEIPT_ILLEGIBLE' });
    expect(missing.status).toBe(400);
    expect(missing.body.issues).toEqual(expect.arrayContaining([expect.objectContaining({ in: 'body', path: 'items' })]));
    expect((await api.runtime.claims.get('ASK-1'))!.status).toBe('needs_review');
  });

  it('records the items in the customer’s words with the note, and shows the open request with its deadline; an undo withdraws it', async () => {
    const decided = await request('POST', '/claims/ASK-1/decision', {
      action: 'request_info',
      items: ['SERIAL_LABEL_PHOTO', 'SHARPER_PHOTO'],
      note: 'Please photograph the sticker under the battery cover.',
    });
    expect(decided).toEqual({ status: 200, body: { status: 'awaiting_customer', undoSeconds: 10 } });
    const expectedRequest = {
      items: [
        { code: 'SERIAL_LABEL_PHOTO', label: REQUEST_ITEMS.SERIAL_LABEL_PHOTO.label, clears: [...REQUEST_ITEMS.SERIAL_LABEL_PHOTO.clears] },
        { code: 'SHARPER_PHOTO', label: REQUEST_ITEMS.SHARPER_PHOTO.label, clears: [...REQUEST_ITEMS.SHARPER_PHOTO.clears] },
      ],
      note: 'Please photograph the sticker under the battery cover.',
    };
    const reviewed = (await api.runtime.claims.history('ASK-1')).at(-1)!;
    expect(reviewed).toMatchObject({ kind: 'reviewed', data: { action: 'request_info', reason: null, request: expectedRequest } });

    const detail = (await request('GET', '/claims/ASK-1')).body;
    expect(detail.status).toBe('awaiting_customer');
    const askedAt = new Date(detail.customerRequest.askedAt).getTime();
    expect(detail.customerRequest).toEqual({
      ...expectedRequest,
      askedAt: expect.any(String),
      deadline: new Date(askedAt + 14 * 24 * 3600 * 1000).toISOString(),
      remindedAt: null,
      answeredBy: [],
    });
    const asApi = await api.app.inject({ method: 'GET', url: '/claims/ASK-1', headers: { authorization: `Bearer ${reviewerKey}` } });
    // The API shows the open request as the workbench does, without the workbench's answered-by documents.
    const { answeredBy: _answered, ...openRequest } = detail.customerRequest;
    expect(asApi.json().customerRequest).toEqual(openRequest);

    expect((await request('POST', '/claims/ASK-1/decision/undo')).status).toBe(200);
    expect((await request('GET', '/claims/ASK-1')).body.customerRequest).toBeNull();
    expect(await api.runtime.db.query(`SELECT 1 FROM customer_requests WHERE claim_id = 'ASK-1'`)).toEqual([]);
  });
});
