import { createHash } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import * as Minio from 'minio';

export interface ReceiptStoreOptions {
  endpoint: string;
  accessKey: string;
  secretKey: string;
  bucket: string;
  region: string;
}

/** Thrown when stored bytes do not match what was sent: the write is not trusted. */
export class ChecksumMismatchError extends Error {
  override readonly name = 'ChecksumMismatchError';
}

/**
 * Receipts in object storage (MinIO or any S3): the only module that talks S3. Objects are keyed by
 * the sha256 of their bytes, so a receipt is stored once however often it is submitted, and a
 * client's file name never becomes a path.
 */
export class ReceiptStore {
  private readonly client: Minio.Client;

  constructor(private readonly options: ReceiptStoreOptions) {
    const url = new URL(options.endpoint);
    this.client = new Minio.Client({
      endPoint: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      useSSL: url.protocol === 'https:',
      accessKey: options.accessKey,
      secretKey: options.secretKey,
      region: options.region,
      pathStyle: true,
    });
  }

  static keyFor(sha256: string): string {
    return `receipts/${sha256.slice(0, 2)}/${sha256}`;
  }

  async ensureBucket(): Promise<void> {
    if (!(await this.client.bucketExists(this.options.bucket))) {
      await this.client.makeBucket(this.options.bucket, this.options.region).catch(async (error: unknown) => {
        // Another process created it first.
        if (!(await this.client.bucketExists(this.options.bucket))) throw error;
      });
    }
  }

  /**
   * Stores the bytes under their hash and verifies the write: the ETag of a single-part upload is
   * the MD5 of what the server received.
   */
  async put(bytes: Uint8Array, sha256: string, mediaType: string): Promise<string> {
    const key = ReceiptStore.keyFor(sha256);
    const md5 = createHash('md5').update(bytes).digest('hex');
    // The key is the content's hash: an object there with this size and MD5 is this very receipt,
    // already stored whole. Writing it again would only race a worker reading it.
    const stored = await this.stat(key);
    if (stored && stored.size === bytes.byteLength && stored.etag.replace(/"/g, '') === md5) return key;
    // A view of the same memory, not a copy: minio wants a Buffer.
    const body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const { etag } = await this.client.putObject(this.options.bucket, key, body, bytes.byteLength, {
      'Content-Type': mediaType,
      'x-amz-meta-sha256': sha256,
    });
    if (etag.replace(/"/g, '') !== md5) {
      throw new ChecksumMismatchError(`object ${key}: the server stored ETag ${etag}, the upload's MD5 is ${md5}`);
    }
    return key;
  }

  /** Deletes an object; no error when it is not there. */
  async remove(key: string): Promise<void> {
    await this.client.removeObject(this.options.bucket, key);
  }

  /** The receipt's bytes, checked against the hash in its key. */
  async get(key: string): Promise<Buffer> {
    const bytes = await buffer(await this.client.getObject(this.options.bucket, key));
    const expected = key.split('/').pop();
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== expected) throw new ChecksumMismatchError(`object ${key} reads back with sha256 ${actual}`);
    return bytes;
  }

  /** A receipt by its document hash, or null when it was never stored (a re-run's receipt source). */
  async byHash(documentHash: string): Promise<Uint8Array | null> {
    const key = ReceiptStore.keyFor(documentHash);
    return (await this.exists(key)) ? this.get(key) : null;
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== null;
  }

  private async stat(key: string): Promise<Minio.BucketItemStat | null> {
    try {
      return await this.client.statObject(this.options.bucket, key);
    } catch (error) {
      if ((error as { code?: string }).code === 'NotFound' || (error as { code?: string }).code === 'NoSuchKey') return null;
      throw error;
    }
  }

  /** A short-lived link to the receipt for a browser; the bucket itself stays private. */
  presignedLink(key: string, seconds: number): Promise<string> {
    return this.client.presignedGetObject(this.options.bucket, key, seconds);
  }

  /** For readiness: the bucket answers. */
  async ping(): Promise<void> {
    if (!(await this.client.bucketExists(this.options.bucket))) throw new Error(`bucket ${this.options.bucket} does not exist`);
  }
}
