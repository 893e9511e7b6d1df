import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLES } from '../../support/claims-client.js';
import { startEmbeddedApi, type EmbeddedApi } from '../../support/embedded-api.js';
import { storedObjects, storedRows } from '../../support/stored-state.js';

/** A body that is not well-formed multipart is the sender's mistake: a 400 with its own code, nothing stored. */
describe('malformed multipart uploads', () => {
  let api: EmbeddedApi;
  let submitter: string;
  let pdf: Buffer;

  beforeAll(async () => {
    api = await startEmbeddedApi({ storage: true });
    submitter = (await api.runtime.apiKeys.create('test submitter', 'submitter')).key;
    pdf = await readFile(path.join(SAMPLES, 'invoice-text.pdf'));
  });
  afterAll(async () => {
    await api?.close();
  });

  const field = (boundary: string, name: string, value: string) =>
    Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  const file = (boundary: string, name: string, bytes: Buffer) =>
    Buffer.concat([
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="${name}"; filename="r.pdf"\r\ncontent-type: application/pdf\r\n\r\n`,
      ),
      bytes,
      Buffer.from('\r\n'),
    ]);
  const end = (boundary: string) => Buffer.from(`--${boundary}--\r\n`);

  async function post(contentType: string, body: Buffer): Promise<{ status: number; body: any }> {
    const response = await api.app.inject({
      method: 'POST',
      url: '/claims',
      headers: { authorization: `Bearer ${submitter}`, 'content-type': contentType },
      payload: body,
    });
    return { status: response.statusCode, body: response.json() };
  }

  async function expectNothingStored(): Promise<void> {
    expect(await storedObjects(api)).toEqual([]);
    expect(await storedRows(api)).toEqual({ claims: 0, events: 0, identifiers: 0 });
  }

  it('refuses multipart without a boundary', async () => {
    const answer = await post('multipart/form-data', Buffer.concat([field('b', 'country', 'DE'), file('b', 'receipt', pdf), end('b')]));
    expect(answer).toMatchObject({ status: 400, body: { error: 'MALFORMED_MULTIPART' } });
    await expectNothingStored();
  });

  it('refuses a body framed with another boundary than the one declared', async () => {
    const answer = await post(
      'multipart/form-data; boundary=declared',
      Buffer.concat([field('other', 'country', 'DE'), file('other', 'receipt', pdf), end('other')]),
    );
    expect(answer).toMatchObject({ status: 400, body: { error: 'MALFORMED_MULTIPART' } });
    await expectNothingStored();
  });

  it('refuses a body that ends inside the receipt, without its closing boundary', async () => {
    const answer = await post('multipart/form-data; boundary=b', Buffer.concat([field('b', 'country', 'DE'), file('b', 'receipt', pdf)]));
    expect(answer).toMatchObject({ status: 400, body: { error: 'MALFORMED_MULTIPART' } });
    await expectNothingStored();
  });

  it('refuses a second file with TOO_MANY_FILES, not as a file too large', async () => {
    const answer = await post(
      'multipart/form-data; boundary=b',
      Buffer.concat([field('b', 'country', 'DE'), file('b', 'receipt', pdf), file('b', 'receipt', pdf), end('b')]),
    );
    expect(answer).toMatchObject({ status: 400, body: { error: 'TOO_MANY_FILES' } });
    await expectNothingStored();
  });

  it('refuses more form fields than a claim form has with TOO_MANY_FIELDS', async () => {
    const fields = Array.from({ length: 21 }, (_, i) => field('b', `extra${i}`, 'x'));
    const answer = await post('multipart/form-data; boundary=b', Buffer.concat([...fields, file('b', 'receipt', pdf), end('b')]));
    expect(answer).toMatchObject({ status: 400, body: { error: 'TOO_MANY_FIELDS' } });
    await expectNothingStored();
  });
});
