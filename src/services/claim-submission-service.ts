import { isDeepStrictEqual } from 'node:util';
import { claimIdFor } from '../../pipelines/claim-stages.js';
import type { Logger } from '../config/logger.js';
import { ClaimForm } from '../domain/claim.js';
import { STATUS_FOR_CUSTOMER, StoredClaimStatus } from '../domain/claim-status.js';
import type { CustomerRequest } from '../domain/customer-requests.js';
import type { ClaimResult } from '../domain/result.js';
import { ClaimClosedError } from '../errors/claim-closed-error.js';
import { ClaimIdTakenError } from '../errors/claim-id-taken-error.js';
import { ClaimNotFoundError } from '../errors/claim-not-found-error.js';
import { FormInvalidError } from '../errors/form-invalid-error.js';
import { claimIdentifiers } from '../fraud/duplicates.js';
import { normaliseForm } from '../intake/form.js';
import { assertIntactImage } from '../intake/image-structure.js';
import { intakeDocument } from '../intake/intake.js';
import type { IntakeDocument, IntakeLimits } from '../domain/document.js';
import type { PdfInspector } from '../intake/pdf-inspection.js';
import { roundOf, type ClaimQueues, type ClaimStage } from '../queue/claim-queues.js';
import { receiptKey, type ReceiptStorage } from '../storage/receipt-storage.js';
import type { ApiKeyOwner } from '../store/api-keys-repository.js';
import type { CustomerRequestsRepository } from '../store/customer-requests-repository.js';
import { DECIDED_STATUSES, type ClaimDocument, type ClaimsRepository, type SubmittedClaim } from '../store/claims-repository.js';
import { resultForSubmitter } from './submitter-view.js';

/** Where an undecided claim goes next, by its status: what a lost job is replaced with. */
export const NEXT_STAGE: Readonly<Record<string, ClaimStage>> = { received: 'read', read: 'extract', extracted: 'decide' };

export interface ClaimSubmissionPorts {
  claims: ClaimsRepository;
  requests: CustomerRequestsRepository;
  receipts: ReceiptStorage;
  /** Where the next stage is scheduled: the stage queues, or in embedded mode the stages run in-process. */
  queues: Pick<ClaimQueues, 'enqueue'>;
  limits: IntakeLimits;
  /** Inspects a PDF at the door, off the event loop (PdfInspectionPool). */
  inspectPdf: PdfInspector;
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
  status: StoredClaimStatus;
  /** The status in words for the customer. */
  statusText: string;
  result: ClaimResult | null;
  /** What the customer was asked for, while the claim waits for them. */
  customerRequest: CustomerRequest | null;
  receiptKey: string | null;
  /** The claim's documents in the order they came. */
  documents: ClaimDocument[];
}

/** A document taken for a claim: its place and hash, and the claim's status after. */
export interface DocumentReceipt {
  claimId: string;
  document: ClaimDocument;
  status: string;
  /** false when the very same bytes were one of the claim's documents already. */
  isNew: boolean;
}

/** A claim's document as clients are shown it (API and CLI alike): its place (0 = the first upload), hash, name, who added it and when. */
export const documentForClient = (d: ClaimDocument) => ({
  index: d.position,
  sha256: d.sha256,
  file: d.file,
  addedBy: d.by,
  addedAt: d.addedAt,
});

/**
 * Statuses in which a claim takes another document: still being processed (it is read with the
 * rest), waiting for a reviewer, or waiting for the customer's answer. A claim decided for good
 * (eligible, not_eligible, closed) or refused at the door (rejected_input) takes none.
 */
export const TAKES_DOCUMENTS: ReadonlySet<string> = new Set(['received', 'read', 'extracted', 'needs_review', 'awaiting_customer']);

/** Who reads claims: a submitter only those its tenant submitted, reviewers and admins every claim. */
export type ClaimReader = { seesAll: true } | { seesAll: false; tenant: string };

export function readerFor(caller: ApiKeyOwner): ClaimReader {
  return caller.role === 'submitter' ? { seesAll: false, tenant: caller.name } : { seesAll: true };
}

/**
 * Takes a claim in: validates the form, checks the receipt at the door (type, size, pixels,
 * damage), stores the receipt under its hash, records the claim and queues it. Nothing is stored
 * for a refused claim. The very same submission again returns the first claim; anything else
 * under a claim id already in use is refused.
 */
export class ClaimSubmissionService {
  constructor(private readonly ports: ClaimSubmissionPorts) {}

  /** `tenant`: the submitting API key's owner, the only submitter that may read the claim. */
  async submit(fields: Record<string, string>, receipt: SubmittedReceipt | null, tenant: string): Promise<SubmissionReceipt> {
    const parsed = ClaimForm.safeParse(fields);
    if (!parsed.success) throw new FormInvalidError(parsed.error.issues.map((i) => `${i.path.join('.') || 'form'}: ${i.message}`));
    if (!receipt) throw new FormInvalidError(['receipt: a receipt file (PDF, JPG or PNG) is required']);
    const doc = await this.atTheDoor(receipt);
    const attempt: Attempt = { form: parsed.data, documentHash: doc.sha256, tenant };
    const claimId = claimIdFor(parsed.data, doc.sha256);
    // Decided before the receipt is stored, so a refusal leaves nothing behind.
    const earlier = await this.ports.claims.submitted(claimId);
    if (earlier) return this.resubmitted(earlier, attempt);

    const form = { ...parsed.data, claimDate: parsed.data.claimDate ?? this.ports.today() };
    const stored = { bytes: receipt.bytes, documentHash: doc.sha256, mediaType: doc.mediaType };
    const receiptKey = await this.ports.receipts.put(stored.bytes, stored.documentHash, stored.mediaType);
    const normalised = normaliseForm(form, { country: this.ports.defaultCountry, today: form.claimDate });
    const refused = async (error: unknown): Promise<never> => {
      await this.discardReceipt(stored);
      throw error;
    };
    const submitted = await this.ports.claims
      .submit({
        claimId,
        file: receipt.name,
        form,
        receiptKey,
        documentHash: doc.sha256,
        tenant,
        identifiers: claimIdentifiers([doc.sha256], normalised, []),
      })
      .catch(refused);
    if (!submitted.isNew) {
      // Another submission took the id since the look-up: judged as if it had come first.
      return this.ports.claims
        .submitted(claimId)
        .then((winner) => this.resubmitted(winner!, attempt))
        .catch(refused);
    }
    // A refused submission of the same receipt may have removed it meanwhile: put back (a look-up when it is there).
    await this.ports.receipts.put(stored.bytes, stored.documentHash, stored.mediaType);
    await this.queueNextStage(claimId, submitted.status, 0);
    return { claimId, requestNumber: submitted.requestNumber, status: submitted.status, isNew: true };
  }

  /**
   * Adds a document to a claim the reader may see: the same door checks and limits as the first
   * upload, stored under its hash, recorded and queued for reading; the claim is assessed again with
   * every document. The very same bytes again find the document they are. Refused (nothing kept)
   * for a claim that takes no more documents (ClaimClosedError) and for one the reader may not see
   * (ClaimNotFoundError, as for no claim at all).
   */
  async addDocument(claimId: string, receipt: SubmittedReceipt | null, reader: ClaimReader, by: 'api' | 'cli'): Promise<DocumentReceipt> {
    const claim = await this.ports.claims.submitted(claimId);
    if (!claim || !(reader.seesAll || claim.tenant === reader.tenant)) throw new ClaimNotFoundError(claimId);
    if (!receipt) throw new FormInvalidError(['document: a document file (PDF, JPG or PNG) is required']);
    const doc = await this.atTheDoor(receipt);
    const stored = { bytes: receipt.bytes, documentHash: doc.sha256, mediaType: doc.mediaType };
    const receiptKey = await this.ports.receipts.put(stored.bytes, stored.documentHash, stored.mediaType);
    const outcome = await this.ports.claims
      .addDocument(claimId, { sha256: doc.sha256, receiptKey, file: receipt.name, by }, TAKES_DOCUMENTS)
      .catch(async (error: unknown) => {
        await this.discardReceipt(stored);
        throw error;
      });
    switch (outcome.kind) {
      case 'no_claim':
        await this.discardReceipt(stored);
        throw new ClaimNotFoundError(claimId);
      case 'refused':
        await this.discardReceipt(stored);
        throw new ClaimClosedError(claimId, outcome.status);
      case 'known': {
        // The first upload's job may have been lost (or, embedded, the run cut short): queueing again is a no-op while it exists.
        const now = await this.ports.claims.submitted(claimId);
        if (now) await this.queueNextStage(claimId, now.status, roundOf(now.documents));
        return { claimId, document: outcome.document, status: outcome.status, isNew: false };
      }
      case 'added':
        // A refused upload of the same bytes may have removed the object meanwhile: put back (a look-up when it is there).
        await this.ports.receipts.put(stored.bytes, stored.documentHash, stored.mediaType);
        await this.queueNextStage(claimId, outcome.status, outcome.document.position);
        return { claimId, document: outcome.document, status: outcome.status, isNew: true };
    }
  }

  /** The door's checks of an uploaded file: type by its bytes, size, pixels, pages, an image's container intact. */
  private async atTheDoor(receipt: SubmittedReceipt): Promise<IntakeDocument> {
    const doc = await intakeDocument(receipt.bytes, this.ports.limits, this.ports.inspectPdf);
    assertIntactImage(doc, receipt.bytes);
    return doc;
  }

  /** A claim the reader may see, with its result as the reader may see it; null for no claim and for another submitter's. */
  async view(claimId: string, reader: ClaimReader): Promise<ClaimView | null> {
    const claim = await this.ports.claims.submitted(claimId);
    if (!claim || !(reader.seesAll || claim.tenant === reader.tenant)) return null;
    const [stored, documents] = await Promise.all([
      DECIDED_STATUSES.has(claim.status) ? this.ports.claims.get(claimId) : null,
      this.ports.claims.documents(claimId),
    ]);
    const result = stored?.result ?? null;
    const status = StoredClaimStatus.parse(claim.status);
    return {
      claimId,
      requestNumber: claim.requestNumber,
      status,
      statusText: STATUS_FOR_CUSTOMER[status],
      result: result && !reader.seesAll ? resultForSubmitter(result) : result,
      customerRequest: status === 'awaiting_customer' ? await this.ports.requests.open(claimId) : null,
      receiptKey: claim.receiptKey,
      documents,
    };
  }

  /** The claim quoted by its request number, as `view` shows it; null for no such claim and for another submitter's. */
  async viewByRequestNumber(requestNumber: string, reader: ClaimReader): Promise<ClaimView | null> {
    const claimId = await this.ports.claims.idByRequestNumber(requestNumber);
    return claimId === null ? null : this.view(claimId, reader);
  }

  /** The very same submission again (same submitter, receipt bytes and form) finds the claim; anything else is refused. */
  private async resubmitted(earlier: SubmittedClaim, attempt: Attempt): Promise<SubmissionReceipt> {
    // A form sent without a claim date got the arrival day: a retry on a later day is still the same form.
    const arrivalDay = typeof earlier.form.claimDate === 'string' ? earlier.form.claimDate : undefined;
    const form = { ...attempt.form, claimDate: attempt.form.claimDate ?? arrivalDay };
    const same =
      earlier.tenant === attempt.tenant && earlier.documentHash === attempt.documentHash && isDeepStrictEqual(earlier.form, asStored(form));
    if (!same) {
      throw new ClaimIdTakenError(
        earlier.tenant === attempt.tenant
          ? `Claim id ${earlier.claimId} is already used by request ${earlier.requestNumber}, with another receipt or form. ` +
              'A new claim needs a new claim id; the very same submission again finds the first.'
          : `Claim id ${earlier.claimId} is already used by another submission. A new claim needs a claim id of its own.`,
      );
    }
    // The first submission's job may have been lost: queueing again is a no-op while it exists.
    await this.queueNextStage(earlier.claimId, earlier.status, roundOf(earlier.documents));
    return { claimId: earlier.claimId, requestNumber: earlier.requestNumber, status: earlier.status, isNew: false };
  }

  private async queueNextStage(claimId: string, status: string, round: number): Promise<void> {
    const next = NEXT_STAGE[status];
    if (!next) return;
    // The claim is safe in Postgres: if Redis is away, the workers' recovery sweep queues it later.
    await this.ports.queues
      .enqueue(next, claimId, round)
      .catch((error: unknown) => this.ports.logger.warn({ err: error, claimId }, 'could not queue the claim; recovery will'));
  }

  /**
   * Removes the receipt a refused submission stored, unless a claim keeps it: objects are keyed by
   * content and shared. A claim recorded with the same receipt between the look-up and the removal
   * gets it back. Never throws: the refusal is what the caller is told.
   */
  private async discardReceipt(receipt: { bytes: Uint8Array; documentHash: string; mediaType: string }): Promise<void> {
    try {
      if (await this.ports.claims.receiptInUse(receipt.documentHash)) return;
      await this.ports.receipts.remove(receiptKey(receipt.documentHash));
      if (await this.ports.claims.receiptInUse(receipt.documentHash)) {
        await this.ports.receipts.put(receipt.bytes, receipt.documentHash, receipt.mediaType);
      }
    } catch (error) {
      this.ports.logger.warn({ err: error, documentHash: receipt.documentHash }, 'could not remove the receipt of a refused submission');
    }
  }
}

/** What a submission is judged by when its claim id is already in use. */
interface Attempt {
  form: ClaimForm;
  documentHash: string;
  tenant: string;
}

/** A form as the database gives it back (JSON: no undefined members). */
const asStored = (form: ClaimForm): Record<string, unknown> => JSON.parse(JSON.stringify(form)) as Record<string, unknown>;
