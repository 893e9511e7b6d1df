import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Where a re-run from the OCR stage finds a claim's original receipt: by the document's sha256,
 * the key every stored claim already has. Embedded mode keeps files on disk; distributed mode keeps
 * them in S3 under the same key, behind this same interface.
 */
export interface ReceiptSource {
  /** The receipt's bytes, or null when this source never kept them. */
  get(documentHash: string): Promise<Uint8Array | null>;
}

export interface ReceiptStore extends ReceiptSource {
  /** Keeps the bytes (idempotent: same bytes, same key) and returns their sha256. */
  put(bytes: Uint8Array): Promise<string>;
}

const HASH = /^[0-9a-f]{64}$/;

/**
 * Content-addressed files `<dir>/<2 hex>/<sha256>`: the database stays small (the embedded one
 * holds its data in memory), identical receipts are kept once, and the name proves the content.
 */
export class FileReceiptStore implements ReceiptStore {
  constructor(private readonly dir: string) {}

  private fileFor(hash: string): string {
    if (!HASH.test(hash)) throw new Error(`not a sha256: ${hash}`);
    return path.join(this.dir, hash.slice(0, 2), hash);
  }

  async put(bytes: Uint8Array): Promise<string> {
    const hash = createHash('sha256').update(bytes).digest('hex');
    const file = this.fileFor(hash);
    await mkdir(path.dirname(file), { recursive: true });
    // Write then rename, so a crash never leaves a half-written receipt under its hash.
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, bytes);
    await rename(partial, file);
    return hash;
  }

  async get(documentHash: string): Promise<Uint8Array | null> {
    const bytes = await readFile(this.fileFor(documentHash)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    if (bytes && createHash('sha256').update(bytes).digest('hex') !== documentHash) {
      throw new Error(`stored receipt ${documentHash} is corrupt: its content no longer matches its hash`);
    }
    return bytes;
  }
}
