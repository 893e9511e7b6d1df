import { claimIdFor } from '../../pipelines/claim-stages.js';
import type { Logger } from '../config/logger.js';
import { ClaimForm } from '../domain/claim.js';
import type { ClaimResult } from '../domain/result.js';
import { FormInvalidError } from '../errors/form-invalid-error.js';
import { claimIdentifiers } from '../fraud/duplicates.js';
import { normaliseForm } from '../intake/form.js';
import { assertIntactImage } from '../intake/image-structure.js';
import { intakeDocument, type IntakeLimits } from '../intake/intake.js';
import type { ClaimQueues, ClaimStage } from '../queue/claim-queues.js';
import type { ReceiptStore } from '../storage/receipt-store.js';
import { DECIDED_STATUSES, type ClaimsRepository } from '../store/claims-repository.js';

/** Where an undecided claim goes next, by its status: what a lost job is replaced with. */
export const NEXT_STAGE: Readonly<Record<string, ClaimStage>> = { received: 'read', read: 'extract', extracted: 'decide' };

export interface ClaimSubmissionPorts {
  claims: ClaimsRepository;
  receipts: ReceiptStore;
  queues: ClaimQueues;
  limits: IntakeLimits;
  defaultCountry: string;
  today: () => string;
  logger: Logger;
}

export interface SubmittedReceipt {
  /** The client's file name, for people only. */
  name: string | null;
  bytes: Uint8Array;
}

export interface SubmissionReceipt {
  claimId: string;
  requestNumber: string;
  status: string;
  /** false when the very same claim had been submitted before. */
  isNew: boolean;
}

export interface ClaimView {
  claimId: string;
  requestNumber: string;
  status: string;
  result: ClaimResult | null;
  receiptKey: string | null;
}

/**
 * Takes a claim in: validates the form, checks the receipt at the door (type, size, pixels,
 * damage), stores the receipt under its hash, records the claim and queues it. Nothing is stored
 * for a refused claim. An identical re-submission returns the first claim.
 */
export class ClaimSubmissionService {
  constructor(private readonly ports: ClaimSubmissionPorts) {}

  async submit(fields: Record<string, string>, receipt: SubmittedReceipt | null): Promise<SubmissionReceipt> {
    const parsed = ClaimForm.safeParse(fields);
    if (!parsed.success) throw new FormInvalidError(parsed.error.issues.map((i) => `${i.path.join('.') || 'form'}: ${i.message}`));
    if (!receipt) throw new FormInvalidError(['receipt: a receipt file (PDF, JPG or PNG) is required']);
    const doc = await intakeDocument(receipt.bytes, this.ports.limits);
    assertIntactImage(doc, receipt.bytes);
    const form = { ...parsed.data, claimDate: parsed.data.claimDate ?? this.ports.today() };
    const claimId = claimIdFor(parsed.data, doc.sha256);
    const receiptKey = await this.ports.receipts.put(receipt.bytes, doc.sha256, doc.mediaType);
    const normalised = normaliseForm(form, { country: this.ports.defaultCountry, today: form.claimDate });
    const submitted = await this.ports.claims.submit({
      claimId,
      file: receipt.name,
      form,
      receiptKey,
      documentHash: doc.sha256,
      identifiers: claimIdentifiers(doc.sha256, normalised, null),
    });
    const next = NEXT_STAGE[submitted.status];
    if (next) {
      // The claim is safe in Postgres: if Redis is away, the workers' recovery sweep queues it later.
      await this.ports.queues
        .enqueue(next, claimId)
        .catch((error: unknown) => this.ports.logger.warn({ err: error, claimId }, 'could not queue the claim; recovery will'));
    }
    return { claimId, requestNumber: submitted.requestNumber, status: submitted.status, isNew: submitted.isNew };
  }

  async view(claimId: string): Promise<ClaimView | null> {
    const claim = await this.ports.claims.submitted(claimId);
    if (!claim) return null;
    const stored = DECIDED_STATUSES.has(claim.status) ? await this.ports.claims.get(claimId) : null;
    return {
      claimId,
      requestNumber: claim.requestNumber,
      status: claim.status,
      result: stored?.result ?? null,
      receiptKey: claim.receiptKey,
    };
  }
}
