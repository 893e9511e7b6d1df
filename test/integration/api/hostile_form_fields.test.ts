import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sample } from '../../support/claims-client.js';
import { injectClaim, startEmbeddedApi, type EmbeddedApi } from '../../support/embedded-api.js';
import { storedObjects, storedRows } from '../../support/stored-state.js';

/**
 * Control characters (NUL above all: PostgreSQL cannot store it in text) and bidirectional overrides
 * (which make a serial read differently on a reviewer's screen) are refused with a 400 that names the
 * field, before anything is stored.
 */
describe('form fields with control or bidirectional-override characters', () => {
  let api: EmbeddedApi;
  let submitter: string;

  beforeAll(async () => {
    api = await startEmbeddedApi({ storage: true });
    submitter = (await api.runtime.apiKeys.create('test submitter', 'submitter')).key;
  });
  afterAll(async () => {
    await api?.close();
  });

  it.each([
    ['a NUL byte', 'serial', 'R5CX12\u0000ABCDE'],
    ['a bell', 'claimId', 'C-\u0007-1'],
    ['a C1 control', 'imei', '35693803564\u0085'],
    ['a right-to-left override', 'model', 'SM-S921B\u202E/DS'],
    ['a first-strong isolate', 'serial', '\u2068R5CX12ABCDE'],
    ['a right-to-left mark', 'model', 'SM-\u200FS921B'],
  ])('refuses %s in %s with 400 naming the field, storing nothing', async (_what, field, value) => {
    const response = await injectClaim(api.app, submitter, { country: 'DE', [field]: value }, await sample('invoice-text.pdf'));
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('INVALID_FORM_DATA');
    expect(response.body.problems).toEqual([expect.stringMatching(new RegExp(`^${field}: .*control`))]);
    expect(await storedObjects(api)).toEqual([]);
    expect(await storedRows(api)).toEqual({ claims: 0, events: 0, identifiers: 0 });
  });

  it('still accepts letters from any script', async () => {
    const response = await injectClaim(
      api.app,
      submitter,
      { claimId: 'Ø-ünïcødé-ملف', model: 'Größe XL', country: 'DE' },
      await sample('invoice-text.pdf'),
    );
    expect(response.status).toBe(202);
  });
});
