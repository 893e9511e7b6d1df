import { constants, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { InputRejectedError } from '../errors/input-rejected-error.js';
import { fileTooLarge } from '../intake/intake.js';

/** How a file that is not a regular file is refused, and how one over the limit is. */
export interface FileRefusals {
  notRegular: (what: string) => Error;
  /** `bytes` when the whole size is known (a file that grew while it was read has none). */
  tooLarge: (bytes?: number) => Error;
}

// O_NONBLOCK: should the path become a FIFO between stat and open, opening it does not wait for
// a writer. O_NOCTTY: a terminal device never becomes this process's controlling terminal.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;

function kindOf(info: Stats): string | null {
  if (info.isFile()) return null;
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isSocket()) return 'a socket';
  return 'a device';
}

function check(info: Stats, maxBytes: number, refusals: FileRefusals): void {
  const kind = kindOf(info);
  if (kind) throw refusals.notRegular(kind);
  if (info.size > maxBytes) throw refusals.tooLarge(info.size);
}

/**
 * A file named by the operator, read only if it is a regular file within `maxBytes`. Judged by its
 * metadata before a byte is read: a FIFO would block the batch forever, a device may never end, and
 * a huge file must not be loaded just to be refused. The opened handle is judged again (the path
 * may have changed since), and at most `maxBytes + 1` bytes are read, for a file that grows.
 */
export async function readRegularFile(file: string, maxBytes: number, refusals: FileRefusals): Promise<Buffer> {
  check(await stat(file), maxBytes, refusals);
  const handle = await open(file, OPEN_FLAGS);
  try {
    check(await handle.stat(), maxBytes, refusals);
    const chunks = (await handle.createReadStream({ start: 0, end: maxBytes, autoClose: false }).toArray()) as Buffer[];
    const bytes = Buffer.concat(chunks);
    if (bytes.byteLength > maxBytes) throw refusals.tooLarge();
    return bytes;
  } finally {
    await handle.close();
  }
}

/**
 * A receipt file, refused as a customer's upload would be: the reason names what the path is, and
 * never quotes the file's content.
 */
export function readReceiptFile(file: string, maxBytes: number): Promise<Buffer> {
  return readRegularFile(file, maxBytes, {
    notRegular: (what) => new InputRejectedError('UNSUPPORTED_FILE', `The receipt is ${what}, not a file.`),
    tooLarge: (bytes) => fileTooLarge(maxBytes, bytes),
  });
}
