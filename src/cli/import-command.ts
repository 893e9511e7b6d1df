import { stat } from 'node:fs/promises';
import type { ClaimInput } from '../../pipelines/claim-pipeline.js';
import type { Config } from '../config/env.js';
import { UsageError } from '../errors/usage-error.js';
import { FileReceiptStore } from '../store/receipt-source.js';
import { claimsFromManifest, claimsFromPaths } from './claim-inputs.js';
import { receiptsDir } from './reprocess-command.js';

/**
 * `warranty import <folder|manifest>`: historical claims, decided like `process` does, with each
 * receipt's bytes kept (by sha256) so a later re-run from the OCR stage can read it again.
 */
export async function importInputs(target: string, config: Config): Promise<ClaimInput[]> {
  const info = await stat(target).catch(() => null);
  if (!info) throw new UsageError(`No such file or folder: ${target}`);
  const inputs = info.isDirectory() ? await claimsFromPaths([target]) : await claimsFromManifest(target);
  const store = new FileReceiptStore(receiptsDir(config));
  return inputs.map((input) => {
    const load = input.loadReceipt;
    if (!load) return input;
    return {
      ...input,
      loadReceipt: async () => {
        const bytes = await load();
        // An oversized upload is refused at the door anyway; keeping it would only fill the disk.
        if (bytes.byteLength <= config.limits.maxFileBytes) await store.put(bytes);
        return bytes;
      },
    };
  });
}
