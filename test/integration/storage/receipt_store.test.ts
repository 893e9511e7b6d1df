import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReceiptStore } from '../../../src/storage/receipt-store.js';
import { startS3Server, type S3Server } from '../../support/s3-server.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('receipt store on an S3-protocol server', () => {
  let s3: S3Server;
  let store: ReceiptStore;
  const bucket = `test-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    s3 = await startS3Server();
    store = new ReceiptStore({ ...s3, bucket, region: 'us-east-1' });
    await store.ensureBucket();
    await store.ensureBucket();
  });
  afterAll(async () => {
    await s3.close();
  });

  it('keys a receipt by its hash and reads back the same bytes', async () => {
    const bytes = new TextEncoder().encode(`%PDF-1.4 receipt ${randomUUID()}`);
    const key = await store.put(bytes, sha256(bytes), 'application/pdf');
    expect(key).toBe(ReceiptStore.keyFor(sha256(bytes)));
    expect(await store.exists(key)).toBe(true);
    expect(Buffer.compare(await store.get(key), Buffer.from(bytes))).toBe(0);
  });

  it('stores a receipt once however often it comes: the same bytes again write nothing', async () => {
    const bytes = new TextEncoder().encode(`twice ${randomUUID()}`);
    const key = await store.put(bytes, sha256(bytes), 'image/png');
    expect(s3.writesOf(key)).toBe(1);
    expect(await store.put(bytes, sha256(bytes), 'image/png')).toBe(key);
    expect(s3.writesOf(key)).toBe(1);
  });

  it('writes a receipt again over a damaged copy under its key', async () => {
    const bytes = new TextEncoder().encode(`repaired ${randomUUID()}`);
    const key = await store.put(new TextEncoder().encode('half a file'), sha256(bytes), 'image/png');
    await expect(store.get(key)).rejects.toThrow(/reads back with sha256/);
    await store.put(bytes, sha256(bytes), 'image/png');
    expect(Buffer.compare(await store.get(key), Buffer.from(bytes))).toBe(0);
  });

  it('refuses to hand out an object whose bytes no longer match its key', async () => {
    const bytes = new TextEncoder().encode('original');
    const wrongHash = sha256(new TextEncoder().encode('something else'));
    const key = await store.put(bytes, wrongHash, 'image/png');
    await expect(store.get(key)).rejects.toThrow(/reads back with sha256/);
  });

  it('gives a presigned link that serves the receipt without credentials', async () => {
    const bytes = new TextEncoder().encode(`link ${randomUUID()}`);
    const key = await store.put(bytes, sha256(bytes), 'image/jpeg');
    const link = await store.presignedLink(key, 60);
    expect(link).toContain('X-Amz-Signature');
    const response = await fetch(link);
    expect(response.status).toBe(200);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes);
  });

  it('reports a missing object as absent', async () => {
    expect(await store.exists(ReceiptStore.keyFor('0'.repeat(64)))).toBe(false);
  });
});
