import { randomUUID } from 'node:crypto';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileTooLarge, receiptType } from '../intake/intake.js';
import { SNIFF_BYTES } from '../intake/sniff.js';

/** One upload, whole, on disk. */
export class SpooledUpload {
  constructor(readonly path: string) {}

  read(): Promise<Buffer> {
    return readFile(this.path);
  }

  discard(): Promise<void> {
    return rm(this.path, { force: true });
  }
}

/**
 * Where receipts land while their senders are still sending: a private folder, one file per upload
 * named by a random id (never the client's name). An upload streams to disk as it arrives, so a
 * slow sender holds a few KiB of memory, not the size of its file; its type is judged from its
 * first bytes, so a file that is no receipt is refused before the rest is read. The whole file is
 * read into memory only once it has arrived, for the door's checks and the write to object storage,
 * which needs its length and checksum before the first byte is sent.
 */
export class UploadSpool {
  private constructor(private readonly dir: string) {}

  static async open(parent: string): Promise<UploadSpool> {
    return new UploadSpool(await mkdtemp(path.join(parent, 'warranty-uploads-')));
  }

  /** Spools the stream; refuses (and keeps nothing of) a file of the wrong type or over the limit. */
  async receive(file: Readable, maxBytes: number): Promise<SpooledUpload> {
    const spooled = path.join(this.dir, randomUUID());
    // Created before the first byte, so that removing it after a refusal cannot race its creation.
    const handle = await open(spooled, 'wx', 0o600);
    // Stop reading at the limit rather than parse and drop the rest of an oversize body.
    file.once('limit', () => file.destroy(fileTooLarge(maxBytes)));
    try {
      await pipeline(
        file,
        async function* judgeByFirstBytes(source: AsyncIterable<Buffer>) {
          let head: Buffer | null = Buffer.alloc(0);
          for await (const chunk of source) {
            if (!head) {
              yield chunk;
              continue;
            }
            head = Buffer.concat([head, chunk]);
            if (head.byteLength >= SNIFF_BYTES) {
              receiptType(head);
              yield head;
              head = null;
            }
          }
          if (head) {
            receiptType(head);
            yield head;
          }
        },
        handle.createWriteStream(),
      );
      return new SpooledUpload(spooled);
    } catch (error) {
      await rm(spooled, { force: true });
      throw error;
    }
  }

  /** Removes the folder and whatever is still in it. */
  close(): Promise<void> {
    return rm(this.dir, { recursive: true, force: true });
  }
}
