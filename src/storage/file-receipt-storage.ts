import { randomUUID } from 'node:crypto';
import { access, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkContent, hashOfKey, receiptKey, type ReceiptStorage } from './receipt-storage.js';

/**
 * Receipts as files in a folder, the embedded mode's (`<data-dir>/receipts`, written by `warranty
 * import`): `receipts/<2 hex>/<sha256>` is the file `<folder>/<2 hex>/<sha256>`. The database
 * stays small (the embedded one holds its data in memory) and the file's name proves its content.
 */
export class FileReceiptStorage implements ReceiptStorage {
  constructor(private readonly folder: string) {}

  private fileFor(key: string): string {
    const hash = hashOfKey(key);
    return path.join(this.folder, hash.slice(0, 2), hash);
  }

  /** Write, then rename: a crash never leaves a half-written receipt under its key. A file has no media type. */
  async put(bytes: Uint8Array, sha256: string, _mediaType?: string): Promise<string> {
    const key = receiptKey(sha256);
    const file = this.fileFor(key);
    await mkdir(path.dirname(file), { recursive: true });
    // A name of its own per write: the same receipt may be put twice at once (a claim and its copy).
    const partial = `${file}.${randomUUID()}.partial`;
    try {
      await writeFile(partial, bytes);
      await rename(partial, file);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    return key;
  }

  async get(key: string): Promise<Buffer> {
    const bytes = await readFile(this.fileFor(key));
    checkContent(key, bytes);
    return bytes;
  }

  async byHash(sha256: string): Promise<Buffer | null> {
    return this.get(receiptKey(sha256)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
  }

  async exists(key: string): Promise<boolean> {
    return access(this.fileFor(key)).then(
      () => true,
      () => false,
    );
  }

  async remove(key: string): Promise<void> {
    await rm(this.fileFor(key), { force: true });
  }

  /** The file's own URL: there is no server in the embedded mode, and a file needs no signature or expiry. */
  async link(key: string, _seconds?: number): Promise<string> {
    return pathToFileURL(this.fileFor(key)).href;
  }

  async prepare(): Promise<void> {
    await mkdir(this.folder, { recursive: true });
  }

  async ping(): Promise<void> {
    await access(this.folder);
  }
}
