import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ClaimInput } from '../../pipelines/claim-pipeline.js';
import { UsageError } from '../errors/usage-error.js';

const RECEIPT_EXTENSIONS = new Set(['.pdf', '.jpg', '.jpeg', '.png']);

function receiptAt(file: string, shownAs: string, form: unknown): ClaimInput {
  return { file: shownAs, loadReceipt: () => readFile(file), form };
}

/**
 * Claims from files and folders given on the command line: each receipt is a claim with an empty
 * form. In a folder, files with a receipt's extension are taken, in name order; a named file is
 * always taken (its type is judged by its bytes, so a mislabelled file is refused, not skipped).
 */
export async function claimsFromPaths(paths: string[]): Promise<ClaimInput[]> {
  const inputs: ClaimInput[] = [];
  for (const p of paths) {
    const info = await stat(p).catch(() => null);
    if (!info) throw new UsageError(`No such file or folder: ${p}`);
    if (info.isDirectory()) {
      const names = (await readdir(p)).filter((n) => RECEIPT_EXTENSIONS.has(path.extname(n).toLowerCase())).sort();
      for (const name of names) inputs.push(receiptAt(path.join(p, name), path.join(p, name), {}));
    } else {
      inputs.push(receiptAt(p, p, {}));
    }
  }
  return inputs;
}

/**
 * Claims from a manifest: one JSON object a line, `file` relative to the manifest's folder. A line
 * that is not JSON becomes a claim refused with the reason, so the batch goes on.
 */
export async function claimsFromManifest(manifestPath: string): Promise<ClaimInput[]> {
  const text = await readFile(manifestPath, 'utf8').catch(() => {
    throw new UsageError(`Cannot read manifest: ${manifestPath}`);
  });
  const base = path.dirname(manifestPath);
  return text
    .split(/\r?\n/)
    .map((line, i) => ({ line: line.trim(), number: i + 1 }))
    .filter(({ line }) => line !== '')
    .map(({ line, number }): ClaimInput => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        return { file: null, loadReceipt: null, form: null, invalid: `manifest line ${number} is not valid JSON` };
      }
      const { file, ...form } = (parsed ?? {}) as { file?: unknown };
      if (typeof file !== 'string' || file === '') return { file: null, loadReceipt: null, form };
      return receiptAt(path.resolve(base, file), file, form);
    });
}
