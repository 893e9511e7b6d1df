import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { request, type ClientRequest } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiptKey } from '../../../src/storage/receipt-storage.js';
import { useDistributedEnv } from '../../support/distributed-env.js';
import { sample, submitClaim } from '../../support/claims-client.js';

/** Refused uploads get a clear 4xx and leave nothing behind: no claim row, no stored object, no job. */
describe('refused uploads', () => {
  let uploadDir: string;

  beforeAll(async () => {
    uploadDir = await mkdtemp(path.join(os.tmpdir(), 'uploads-test-'));
  });
  afterAll(async () => {
    await rm(uploadDir, { recursive: true, force: true });
  });
  const env = useDistributedEnv({
    env: () => ({ WARRANTY_MAX_FILE_BYTES: String(1024 * 1024), UPLOAD_DIR: uploadDir, API_REQUEST_TIMEOUT_SECONDS: '2' }),
  });

  /** The files in the API's upload spool (one folder under UPLOAD_DIR). */
  async function spooledFiles(): Promise<string[]> {
    const [spool] = await readdir(uploadDir);
    return readdir(path.join(uploadDir, spool!));
  }

  /**
   * A multipart upload of a receipt declared as `receiptBytes` long, of which only `sent` is written:
   * the rest is for the test to send, or not.
   */
  function partialUpload(receiptBytes: number, sent: Uint8Array): { req: ClientRequest; status: Promise<{ code: number; body: any }> } {
    const head = Buffer.from(
      '--b\r\ncontent-disposition: form-data; name="country"\r\n\r\nDE\r\n--b\r\ncontent-disposition: form-data; name="receipt"; filename="r.jpg"\r\n\r\n',
    );
    const tail = Buffer.from('\r\n--b--\r\n');
    let req!: ClientRequest;
    const status = new Promise<{ code: number; body: any }>((resolve, reject) => {
      req = request(
        `${env().baseUrl}/claims`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${env().keys.submitter}`,
            'content-type': 'multipart/form-data; boundary=b',
            'content-length': String(head.byteLength + receiptBytes + tail.byteLength),
          },
        },
        (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () =>
            resolve({ code: res.statusCode!, body: res.headers['content-type']?.includes('json') ? JSON.parse(text) : text }),
          );
        },
      );
      req.on('error', reject);
    });
    req.write(head);
    req.write(sent);
    return { req, status };
  }

  async function expectNothingStored(): Promise<void> {
    expect(await spooledFiles()).toEqual([]);
    expect(await env().runtime.claims.countByStatus()).toEqual([]);
    const counts = await env().runtime.queues.depths();
    expect(Object.values(counts).every((c) => Object.values(c).every((n) => n === 0))).toBe(true);
  }

  it('cuts off an oversize body by its declared length before reading it', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${env().baseUrl}/claims`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${env().keys.submitter}`,
            'content-type': 'multipart/form-data; boundary=x',
            'content-length': String(50 * 1024 * 1024),
          },
        },
        (res) => resolve(res.statusCode!),
      );
      req.on('error', reject);
      // Only the first megabyte is ever sent: the answer must come without the rest.
      req.write(Buffer.alloc(1024 * 1024));
    });
    expect(status).toBe(413);
    await expectNothingStored();
  });

  it('cuts off a receipt over the limit sent without a length (chunked)', async () => {
    const big = new Uint8Array(3 * 1024 * 1024);
    big.set([0xff, 0xd8, 0xff, 0xe0]);
    const response = await submitClaim(
      env().baseUrl,
      env().keys.submitter,
      { country: 'DE' },
      { name: 'big.jpg', bytes: big, type: 'image/jpeg' },
    );
    expect(response.status).toBe(413);
    expect(response.body.error).toBe('FILE_TOO_LARGE');
    await expectNothingStored();
  });

  it('refuses a file that is not a PDF, JPG or PNG by its bytes, whatever its name says', async () => {
    const response = await submitClaim(
      env().baseUrl,
      env().keys.submitter,
      { country: 'DE' },
      {
        name: 'receipt.pdf',
        bytes: new TextEncoder().encode('<html>not a receipt</html>'),
        type: 'application/pdf',
      },
    );
    expect(response.status).toBe(415);
    expect(response.body).toMatchObject({ error: 'UNSUPPORTED_FILE', message: 'Only PDF, JPG and PNG files are accepted.' });
    await expectNothingStored();
  });

  it('refuses a file that is no receipt from its first bytes, before the rest is sent', async () => {
    const html = new TextEncoder().encode(`<html>${' '.repeat(2000)}`);
    const upload = partialUpload(900 * 1024, html);
    const answer = await upload.status;
    upload.req.destroy();
    expect(answer.code).toBe(415);
    expect(answer.body.error).toBe('UNSUPPORTED_FILE');
    await expectNothingStored();
  });

  it('spools an upload to disk while it arrives, and keeps nothing of it when the sender drops the connection', async () => {
    const start = new Uint8Array(200 * 1024);
    start.set([0xff, 0xd8, 0xff, 0xe0]);
    const upload = partialUpload(900 * 1024, start);
    upload.status.catch(() => undefined);
    await expect.poll(spooledFiles, { timeout: 5000 }).toHaveLength(1);
    upload.req.destroy();
    await expect.poll(spooledFiles, { timeout: 5000 }).toEqual([]);
    await expectNothingStored();
  });

  it('ends an upload that stalls past the request timeout, keeping nothing of it', async () => {
    const start = new Uint8Array(200 * 1024);
    start.set([0xff, 0xd8, 0xff, 0xe0]);
    const upload = partialUpload(900 * 1024, start);
    await expect.poll(spooledFiles, { timeout: 5000 }).toHaveLength(1);
    expect((await upload.status).code).toBe(408);
    await expect.poll(spooledFiles, { timeout: 5000 }).toEqual([]);
    await expectNothingStored();
  });

  it('refuses a damaged image with 422', async () => {
    const response = await submitClaim(env().baseUrl, env().keys.submitter, { country: 'DE' }, await sample('corrupt.jpg'));
    expect(response.status).toBe(422);
    expect(response.body.error).toBe('UNREADABLE_DOCUMENT');
    await expectNothingStored();
  });

  it('refuses a malformed form naming each bad field', async () => {
    const response = await submitClaim(
      env().baseUrl,
      env().keys.submitter,
      { purchaseDate: '31.02.2024', country: 'Germany' },
      await sample('invoice-text.pdf'),
    );
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('INVALID_FORM_DATA');
    expect(response.body.problems.join(' ')).toMatch(/purchaseDate/);
    expect(response.body.problems.join(' ')).toMatch(/country/);
    await expectNothingStored();
  });

  it('refuses a claim without a receipt, and a file under another field name', async () => {
    const none = await submitClaim(env().baseUrl, env().keys.submitter, { country: 'DE' }, null);
    expect(none.status).toBe(400);
    expect(none.body.problems).toEqual(['receipt: a receipt file (PDF, JPG or PNG) is required']);
    const form = new FormData();
    form.append('attachment', new Blob([new Uint8Array([1, 2, 3])]), 'x.bin');
    const wrongField = await fetch(`${env().baseUrl}/claims`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${env().keys.submitter}` },
    });
    expect(wrongField.status).toBe(400);
    await expectNothingStored();
  });

  it('never uses the client file name as a storage path', async () => {
    const receipt = await sample('invoice-text.pdf');
    const response = await submitClaim(
      env().baseUrl,
      env().keys.submitter,
      { claimId: 'PATH-1', country: 'DE' },
      { name: '../../etc/passwd', bytes: receipt.bytes },
    );
    expect(response.status).toBe(202);
    const claim = await env().runtime.claims.submitted('PATH-1');
    expect(claim?.file).toBe('passwd');
    expect(claim?.receiptKey).toBe(receiptKey(claim!.documentHash!));
  });
});
