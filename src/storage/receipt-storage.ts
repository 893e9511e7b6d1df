import { createHash } from 'node:crypto';
import { ChecksumMismatchError } from '../errors/checksum-mismatch-error.js';

/**
 * Where claims' receipts are kept: one interface, one adapter per place they can be kept
 * (`FileReceiptStorage`: a folder, the embedded mode's; `S3ReceiptStorage`: a bucket, the
 * distributed mode's). Receipts are content-addressed: the key names the sha256 of the bytes, so a
 * receipt is kept once however often it comes, a client's file name never becomes a path, and every
 * read proves its content.
 */
export interface ReceiptStorage {
  /**
   * Keeps the bytes under `receiptKey(sha256)` and returns that key. `sha256` is the bytes' hash as
   * intake computed it; the adapter checks that what it stored is what it was given. The same
   * receipt again writes nothing new.
   */
  put(bytes: Uint8Array, sha256: string, mediaType: string): Promise<string>;
  /** The bytes under `key`, checked against the hash the key names (`ChecksumMismatchError`); throws when there are none. */
  get(key: string): Promise<Buffer>;
  /** A receipt by its document hash, or null when it was never kept (a re-run's source of receipts). */
  byHash(sha256: string): Promise<Buffer | null>;
  exists(key: string): Promise<boolean>;
  /** Deletes what is under `key`; no error when there is nothing. */
  remove(key: string): Promise<void>;
  /** A short-lived link a browser can fetch the receipt by without credentials (S3: presigned). */
  link(key: string, seconds: number): Promise<string>;
  /** Creates what the storage needs (bucket, folder); safe when several processes do it at once. */
  prepare(): Promise<void>;
  /** For readiness: the storage answers and is prepared. */
  ping(): Promise<void>;
}

const HASH = /^[0-9a-f]{64}$/;
const KEY = /^receipts\/([0-9a-f]{2})\/([0-9a-f]{64})$/;

/** The storage-neutral key of a receipt: `receipts/<first 2 hex>/<sha256>`, as kept in `claims.receipt_key`. */
export function receiptKey(sha256: string): string {
  if (!HASH.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
  return `receipts/${sha256.slice(0, 2)}/${sha256}`;
}

/** The sha256 a key names; throws for anything that is not a receipt key (so a key never walks out of its storage). */
export function hashOfKey(key: string): string {
  const match = KEY.exec(key);
  if (!match || !match[2]!.startsWith(match[1]!)) throw new Error(`not a receipt key: ${key}`);
  return match[2]!;
}

/** Refuses bytes that do not hash to what their key names. */
export function checkContent(key: string, bytes: Uint8Array): void {
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== hashOfKey(key)) throw new ChecksumMismatchError(`receipt ${key} reads back with sha256 ${actual}`);
}
