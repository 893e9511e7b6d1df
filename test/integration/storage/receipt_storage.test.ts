import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileReceiptStorage } from '../../../src/storage/file-receipt-storage.js';
import { receiptKey, type ReceiptStorage } from '../../../src/storage/receipt-storage.js';
import { S3ReceiptStorage } from '../../../src/storage/s3-receipt-storage.js';
import { startS3Server, type S3Server } from '../../support/s3-server.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const text = (s: string) => new TextEncoder().encode(s);

interface Adapter {
  storage: ReceiptStorage;
  close(): Promise<void>;
}

/** Every adapter keeps the same promises: the storage is chosen by the mode, never by what a caller may do. */
const adapters: Record<string, () => Promise<Adapter>> = {
  'files in a folder': async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'receipts-'));
    return { storage: new FileReceiptStorage(path.join(dir, 'receipts')), close: () => rm(dir, { recursive: true, force: true }) };
  },
  'an S3-protocol server': async () => {
    const s3 = await startS3Server();
    return {
      storage: new S3ReceiptStorage({ ...s3, bucket: `test-${randomUUID().slice(0, 8)}`, region: 'us-east-1' }),
      close: () => s3.close(),
    };
  },
};

describe.each(Object.keys(adapters))('receipt storage in %s', (name) => {
  let adapter: Adapter;
  let store: ReceiptStorage;

  beforeAll(async () => {
    adapter = await adapters[name]!();
    store = adapter.storage;
    await expect(store.ping()).rejects.toThrow();
    await store.prepare();
    await store.prepare();
    await store.ping();
  });
  afterAll(async () => {
    await adapter?.close();
  });

  it('keys a receipt by its hash and reads back the same bytes, by key and by hash', async () => {
    const bytes = text(`%PDF-1.4 receipt ${randomUUID()}`);
    const key = await store.put(bytes, sha256(bytes), 'application/pdf');
    expect(key).toBe(receiptKey(sha256(bytes)));
    expect(key).toMatch(/^receipts\/[0-9a-f]{2}\/[0-9a-f]{64}$/);
    expect(await store.exists(key)).toBe(true);
    expect(Buffer.compare(await store.get(key), Buffer.from(bytes))).toBe(0);
    expect(Buffer.compare((await store.byHash(sha256(bytes)))!, Buffer.from(bytes))).toBe(0);
  });

  it('keeps the same receipt put twice, and twice at once', async () => {
    const bytes = text(`twice ${randomUUID()}`);
    const [a, b] = await Promise.all([store.put(bytes, sha256(bytes), 'image/png'), store.put(bytes, sha256(bytes), 'image/png')]);
    expect(a).toBe(b);
    expect(await store.put(bytes, sha256(bytes), 'image/png')).toBe(a);
    expect(Buffer.compare(await store.get(a), Buffer.from(bytes))).toBe(0);
  });

  it('writes a receipt again over a damaged copy under its key', async () => {
    const bytes = text(`repaired ${randomUUID()}`);
    const key = await store.put(text('half a file'), sha256(bytes), 'image/png');
    await expect(store.get(key)).rejects.toThrow(/reads back with sha256/);
    await store.put(bytes, sha256(bytes), 'image/png');
    expect(Buffer.compare(await store.get(key), Buffer.from(bytes))).toBe(0);
  });

  it('refuses to hand out bytes that no longer match their key, by key or by hash', async () => {
    const bytes = text('original');
    const wrongHash = sha256(text(`something else ${name}`));
    const key = await store.put(bytes, wrongHash, 'image/png');
    await expect(store.get(key)).rejects.toThrow(/reads back with sha256/);
    await expect(store.byHash(wrongHash)).rejects.toThrow(/reads back with sha256/);
  });

  it('reports a missing receipt as absent, and removes one without error whether it is there or not', async () => {
    const missing = '0'.repeat(64);
    expect(await store.exists(receiptKey(missing))).toBe(false);
    expect(await store.byHash(missing)).toBeNull();
    await expect(store.get(receiptKey(missing))).rejects.toThrow();
    const bytes = text(`removed ${randomUUID()}`);
    const key = await store.put(bytes, sha256(bytes), 'image/jpeg');
    await store.remove(key);
    await store.remove(key);
    expect(await store.exists(key)).toBe(false);
  });

  it('takes only receipt keys: nothing outside its own place is ever read or removed', async () => {
    for (const key of ['../../etc/passwd', 'receipts/ab/../../x', `receipts/00/${'1'.repeat(64)}`]) {
      await expect(store.get(key)).rejects.toThrow(/not a receipt key/);
      await expect(store.remove(key)).rejects.toThrow(/not a receipt key/);
    }
    await expect(store.put(text('x'), 'not-a-hash', 'image/png')).rejects.toThrow(/not a sha256/);
  });
});

describe('receipt storage in files', () => {
  it('keeps `<folder>/<2 hex>/<sha256>`, the layout `warranty import` has always written, and no partial files', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'receipts-'));
    try {
      const store = new FileReceiptStorage(dir);
      const bytes = text(`layout ${randomUUID()}`);
      const hash = sha256(bytes);
      await Promise.all([1, 2, 3].map(() => store.put(bytes, hash, 'image/png')));
      expect(await readdir(path.join(dir, hash.slice(0, 2)))).toEqual([hash]);
      expect(await store.link(receiptKey(hash), 60)).toBe(`file://${path.join(dir, hash.slice(0, 2), hash)}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('receipt storage on an S3-protocol server', () => {
  let s3: S3Server;
  let store: S3ReceiptStorage;

  beforeAll(async () => {
    s3 = await startS3Server();
    store = new S3ReceiptStorage({ ...s3, bucket: `test-${randomUUID().slice(0, 8)}`, region: 'us-east-1' });
    await store.prepare();
  });
  afterAll(async () => {
    await s3?.close();
  });

  it('stores a receipt once however often it comes: the same bytes again write nothing', async () => {
    const bytes = text(`twice ${randomUUID()}`);
    const key = await store.put(bytes, sha256(bytes), 'image/png');
    expect(s3.writesOf(key)).toBe(1);
    expect(await store.put(bytes, sha256(bytes), 'image/png')).toBe(key);
    expect(s3.writesOf(key)).toBe(1);
  });

  it('gives a presigned link that serves the receipt without credentials', async () => {
    const bytes = text(`link ${randomUUID()}`);
    const key = await store.put(bytes, sha256(bytes), 'image/jpeg');
    const link = await store.link(key, 60);
    expect(link).toContain('X-Amz-Signature');
    const response = await fetch(link);
    expect(response.status).toBe(200);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes);
  });
});
