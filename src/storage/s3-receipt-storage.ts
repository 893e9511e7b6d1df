import { createHash } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import * as Minio from 'minio';
import { checkContent, hashOfKey, receiptKey, type ReceiptStorage } from './receipt-storage.js';
import { ChecksumMismatchError } from '../errors/checksum-mismatch-error.js';

export interface S3ReceiptStorageOptions {
  endpoint: string;
  accessKey: string;
  secretKey: string;
  bucket: string;
  region: string;
}

/**
 * Receipts in object storage (MinIO or any S3), the distributed mode's: the only module that talks
 * S3. Objects are `receiptKey(sha256)` in one private bucket, and only such keys are ever asked for.
 */
export class S3ReceiptStorage implements ReceiptStorage {
  private readonly client: Minio.Client;

  constructor(private readonly options: S3ReceiptStorageOptions) {
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

  async prepare(): Promise<void> {
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
    const key = receiptKey(sha256);
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

  async remove(key: string): Promise<void> {
    await this.client.removeObject(this.options.bucket, receiptOnly(key));
  }

  async get(key: string): Promise<Buffer> {
    const bytes = await buffer(await this.client.getObject(this.options.bucket, receiptOnly(key)));
    checkContent(key, bytes);
    return bytes;
  }

  async byHash(sha256: string): Promise<Buffer | null> {
    const key = receiptKey(sha256);
    return (await this.exists(key)) ? this.get(key) : null;
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(receiptOnly(key))) !== null;
  }

  private async stat(key: string): Promise<Minio.BucketItemStat | null> {
    try {
      return await this.client.statObject(this.options.bucket, key);
    } catch (error) {
      if ((error as { code?: string }).code === 'NotFound' || (error as { code?: string }).code === 'NoSuchKey') return null;
      throw error;
    }
  }

  /** A presigned GET: the bucket itself stays private. */
  async link(key: string, seconds: number): Promise<string> {
    return this.client.presignedGetObject(this.options.bucket, receiptOnly(key), seconds);
  }

  async ping(): Promise<void> {
    if (!(await this.client.bucketExists(this.options.bucket))) throw new Error(`bucket ${this.options.bucket} does not exist`);
  }
}

/** The key, once it is known to be a receipt's (throws otherwise). */
function receiptOnly(key: string): string {
  hashOfKey(key);
  return key;
}
