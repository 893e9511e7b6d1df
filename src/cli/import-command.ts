import { stat } from 'node:fs/promises';
import type { ClaimInput } from '../../pipelines/claim-pipeline.js';
import { sha256 } from '../../pipelines/claim-stages.js';
import { embeddedReceipts } from '../composition/embedded.js';
import type { Config } from '../config/env.js';
import { UsageError } from '../errors/usage-error.js';
import { receiptType } from '../intake/intake.js';
import { MEDIA_TYPES } from '../intake/sniff.js';
import { claimsFromManifest, claimsFromPaths } from './claim-inputs.js';

/**
 * `warranty import <folder|manifest>`: historical claims, decided like `process` does, with each
 * receipt's bytes kept (by sha256) so a later re-run from the OCR stage can read it again.
 */
export async function importInputs(target: string, config: Config): Promise<ClaimInput[]> {
  const info = await stat(target).catch(() => null);
  if (!info) throw new UsageError(`No such file or folder: ${target}`);
  const { maxFileBytes } = config.limits;
  const inputs = info.isDirectory() ? await claimsFromPaths([target], maxFileBytes) : await claimsFromManifest(target, maxFileBytes);
  const receipts = embeddedReceipts(config);
  return inputs.map((input) => ({
    ...input,
    documents: input.documents.map((document) => ({
      ...document,
      load: async () => {
        const bytes = await document.load();
        // Kept only if it could be a receipt (the loader refused it if too large): a file that is
        // no PDF, JPEG or PNG (say a link to /etc/passwd) is refused here and never copied.
        const type = receiptType(bytes);
        await receipts.put(bytes, sha256(bytes), MEDIA_TYPES[type]);
        return bytes;
      },
    })),
  }));
}
