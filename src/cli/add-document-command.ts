import path from 'node:path';
import { openDocumentIntake } from '../composition/embedded.js';
import type { Config } from '../config/env.js';
import { UsageError } from '../errors/usage-error.js';
import { documentForClient } from '../services/claim-submission-service.js';
import { readReceiptFile } from './regular-file.js';

/**
 * `warranty add-document <claimId> <file>`: the file becomes the claim's next document (the same
 * door checks as over the API; the very same bytes again are the document they already are), and
 * the claim is read and assessed again with all its documents. Prints the claim as it stands after.
 */
export async function runAddDocument(args: string[], config: Config, json: boolean): Promise<void> {
  if (args.length !== 2) throw new UsageError('add-document needs a claim id and one file');
  const [claimId, file] = args as [string, string];
  const bytes = await readReceiptFile(file, config.limits.maxFileBytes);
  const intake = await openDocumentIntake(config);
  try {
    const { receipt, claim } = await intake.add(claimId, { name: path.basename(file), bytes });
    if (json) {
      process.stdout.write(
        `${JSON.stringify({ claimId, document: documentForClient(receipt.document), isNew: receipt.isNew, status: claim.status, result: claim.result })}\n`,
      );
      return;
    }
    const { position, sha256 } = receipt.document;
    const added = receipt.isNew ? `added as document ${position + 1}` : `already document ${position + 1}`;
    const flags = claim.result?.flags.map((f) => f.code).join(', ') || 'no flags';
    process.stdout.write(
      `${file}: ${added} of claim ${claimId} (sha256 ${sha256.slice(0, 12)}…); the claim is ${claim.status} (${flags})\n`,
    );
  } finally {
    await intake.close();
  }
}
