import { constants } from 'node:buffer';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ClaimInput, DocumentInput } from '../../pipelines/claim-pipeline.js';
import { UsageError } from '../errors/usage-error.js';
import { readReceiptFile, readRegularFile } from './regular-file.js';

const RECEIPT_EXTENSIONS = new Set(['.pdf', '.jpg', '.jpeg', '.png']);

/** A document file on disk, named in results as given (`shownAs`). */
function documentAt(file: string, shownAs: string, maxFileBytes: number): DocumentInput {
  return { file: shownAs, load: () => readReceiptFile(file, maxFileBytes) };
}

function receiptAt(file: string, shownAs: string, form: unknown, maxFileBytes: number): ClaimInput {
  return { file: shownAs, documents: [documentAt(file, shownAs, maxFileBytes)], form };
}

/**
 * Claims from files and folders given on the command line: each receipt is a claim with an empty
 * form. In a folder, files with a receipt's extension are taken, in name order; a named file is
 * always taken (its type is judged by its bytes, so a mislabelled file is refused, not skipped).
 */
export async function claimsFromPaths(paths: string[], maxFileBytes: number): Promise<ClaimInput[]> {
  const inputs: ClaimInput[] = [];
  for (const p of paths) {
    const info = await stat(p).catch(() => null);
    if (!info) throw new UsageError(`No such file or folder: ${p}`);
    if (info.isDirectory()) {
      const names = (await readdir(p)).filter((n) => RECEIPT_EXTENSIONS.has(path.extname(n).toLowerCase())).sort();
      for (const name of names) inputs.push(receiptAt(path.join(p, name), path.join(p, name), {}, maxFileBytes));
    } else {
      inputs.push(receiptAt(p, p, {}, maxFileBytes));
    }
  }
  return inputs;
}

/** What a parsed manifest line is, when it is not an object. */
function jsonKind(value: unknown): string | null {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? null : `a ${typeof value}`;
}

/** The manifest's text; a manifest is read whole, so it must fit in one string. */
async function manifestText(manifestPath: string): Promise<string> {
  const refused = (reason: string) => new UsageError(`Cannot read manifest ${manifestPath}: ${reason}`);
  const bytes = await readRegularFile(manifestPath, constants.MAX_STRING_LENGTH, {
    notRegular: (what) => refused(`it is ${what}, not a file`),
    tooLarge: () => refused(`it is larger than ${constants.MAX_STRING_LENGTH} bytes; split it`),
  }).catch((error: unknown) => {
    if (error instanceof UsageError) throw error;
    throw refused((error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error));
  });
  return bytes.toString('utf8');
}

/**
 * Claims from a manifest: one JSON object a line, its receipt in `file` or its documents in `files`
 * (receipt first, then e.g. a serial-label photo), relative to the manifest's folder. A line that is
 * not a JSON object, or names its documents wrongly, becomes a claim refused with the reason, so the
 * batch goes on.
 */
export async function claimsFromManifest(manifestPath: string, maxFileBytes: number): Promise<ClaimInput[]> {
  const text = await manifestText(manifestPath);
  const base = path.dirname(manifestPath);
  const invalid = (reason: string, form: unknown = null): ClaimInput => ({ file: null, documents: [], form, invalid: reason });
  return text
    .split(/\r?\n/)
    .map((line, i) => ({ line: line.trim(), number: i + 1 }))
    .filter(({ line }) => line !== '')
    .map(({ line, number }): ClaimInput => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        return invalid(`manifest line ${number} is not valid JSON`);
      }
      const kind = jsonKind(parsed);
      if (kind) return invalid(`manifest line ${number} is ${kind}, not a JSON object`);
      const { file, files, ...form } = parsed as { file?: unknown; files?: unknown };
      if (files !== undefined) {
        if (file !== undefined)
          return invalid(`manifest line ${number} gives both "file" and "files": name the documents in "files" alone`, form);
        if (!Array.isArray(files) || files.length === 0 || !files.every((f) => typeof f === 'string' && f !== '')) {
          return invalid(`manifest line ${number}: "files" must be a non-empty list of file names`, form);
        }
        const names = files as string[];
        return { file: names[0]!, documents: names.map((f) => documentAt(path.resolve(base, f), f, maxFileBytes)), form };
      }
      if (typeof file !== 'string' || file === '') return { file: null, documents: [], form };
      return receiptAt(path.resolve(base, file), file, form, maxFileBytes);
    });
}
