import {
  decideClaim,
  readDocument,
  referClaim,
  type DocumentReading,
  stageOutput,
  refusalFlag,
  refusalOf,
  rejectClaim,
  type StageName,
} from '../../pipelines/claim-stages.js';
import type { NormalisedForm } from '../domain/assessment.js';
import { ClaimForm } from '../domain/claim.js';
import { flag } from '../domain/flags.js';
import type { FingerprintRepository } from '../store/fingerprint-repository.js';
import type { Logger } from '../config/logger.js';
import { extract } from '../extract/extract.js';
import { normaliseForm } from '../intake/form.js';
import type { IntakeLimits } from '../domain/document.js';
import type { Metrics } from '../observability/metrics.js';
import type { TesseractEngine } from '../ocr/tesseract-engine.js';
import type { Policy } from '../policy/policy-schema.js';
import { type ClaimJobData, type ClaimQueues, type ClaimStage, RECHECK_JOB, roundOf, UnrecoverableError } from '../queue/claim-queues.js';
import { crashPoint } from '../runtime/crash-point.js';
import type { ReceiptStorage } from '../storage/receipt-storage.js';
import type { OutboxRelay } from './outbox-relay.js';
import {
  DECIDED_STATUSES,
  type ClaimDocument,
  type ClaimsRepository,
  type StageOutput,
  type SubmittedClaim,
} from '../store/claims-repository.js';

export interface ClaimProcessingPorts {
  claims: ClaimsRepository;
  fingerprints: FingerprintRepository;
  receipts: ReceiptStorage;
  /** Where the next stage is scheduled: the stage queues, or in embedded mode the stages run in-process. */
  queues: Pick<ClaimQueues, 'enqueue'>;
  /** Hands on the re-checks a decision asked for (the outbox). */
  relay: Pick<OutboxRelay, 'relay' | 'done'>;
  ocr: TesseractEngine;
  policy: Policy;
  limits: IntakeLimits;
  defaultCountry: string;
  metrics: Metrics;
  logger: Logger;
}

/** Claim status after each stage: a stage whose status the claim has passed is already done. */
const STATUS_AFTER = { read: 'read', extract: 'extracted' } as const;

/**
 * The distributed pipeline's job handlers: each takes a claim id, runs the shared stage function
 * on what Postgres and object storage hold, records the output and the status change in one
 * transaction, and hands the claim to the next queue. Each is idempotent: a re-delivered job for a
 * stage the claim has passed only passes the claim on.
 */
export class ClaimProcessingService {
  /** Which handler serves which queue, and how many jobs of it one worker process runs at once. */
  readonly jobs: Record<ClaimStage, { handle: (data: ClaimJobData, jobName: string) => Promise<string>; concurrency: number }>;

  constructor(private readonly ports: ClaimProcessingPorts) {
    this.jobs = {
      // One more than OCR threads, so a page is decoded and scaled while the others are read.
      read: { handle: ({ claimId }) => this.read(claimId), concurrency: ports.ocr.size + 1 },
      extract: { handle: ({ claimId }) => this.extract(claimId), concurrency: 4 },
      decide: {
        handle: ({ claimId, outboxId }, name) => (name === RECHECK_JOB ? this.recheck(claimId, outboxId) : this.decide(claimId)),
        concurrency: 4,
      },
    };
  }

  /**
   * Reads every document of the claim not read yet (a document added later is read alone; the
   * earlier ones keep their outputs). A document that arrives while this runs is read by its own
   * round's job, or by this one going round again: the claim moves on only once all are read.
   */
  async read(claimId: string): Promise<string> {
    let claim = await this.claimOf(claimId);
    if (DECIDED_STATUSES.has(claim.status)) return 'already decided';
    while (claim.status === 'received') {
      const documents = await this.ports.claims.documents(claimId);
      if (documents.length === 0) throw new UnrecoverableError(`claim ${claimId} has no receipt in storage`);
      const alreadyRead = await this.ports.claims.documentOutputs(claimId, 'intake');
      const stages: StageOutput[] = [];
      for (const document of documents.filter((d) => !alreadyRead.has(d.position))) {
        const reading = await this.readOne(claim, document);
        const { position } = document;
        stages.push(stageOutput.intake(reading.doc, position), stageOutput.read(reading, position), stageOutput.signals(reading, position));
      }
      if (await this.ports.claims.recordStages(claimId, stages, 'received', STATUS_AFTER.read, documents.length)) break;
      claim = await this.claimOf(claimId);
    }
    if (DECIDED_STATUSES.has(claim.status)) return 'already decided';
    await this.ports.queues.enqueue('extract', claimId, roundOf(claim.documents));
    return 'read';
  }

  /**
   * One document read. One that cannot be read stays unreadable: the claim's first document refuses
   * the claim (rejected_input, as before), a later one refers the claim to a person, who still has
   * the others; either way the job fails visibly without retries.
   */
  private async readOne(claim: SubmittedClaim, document: ClaimDocument): Promise<DocumentReading> {
    const { claimId } = claim;
    if (!document.receiptKey) throw new UnrecoverableError(`claim ${claimId} has no document ${document.position} in storage`);
    const bytes = await this.ports.receipts.get(document.receiptKey);
    crashPoint('reading-receipt');
    try {
      return await readDocument(bytes, this.ports, this.timer);
    } catch (error) {
      const refusal = refusalOf(error, document.file, this.ports.logger);
      const undecided = { claimId, file: claim.file, documentHash: claim.documentHash };
      const { result, written } =
        document.position === 0
          ? await rejectClaim(undecided, refusalFlag(refusal), this.ports, 'received')
          : await referClaim(
              undecided,
              flag(
                'PROCESSING_FAILED',
                `Document ${document.position + 1} (${document.file ?? 'no name'}) could not be read: ${refusal.message}`,
                {
                  document: document.position,
                  refusal: refusal.code,
                },
              ),
              this.ports,
              'received',
            );
      if (written) this.ports.metrics.decisions.inc({ status: result.status });
      throw new UnrecoverableError(`${refusal.code}: ${refusal.message}`);
    }
  }

  /** Extracts the fields of every read document not extracted yet. */
  async extract(claimId: string): Promise<string> {
    const claim = await this.claimOf(claimId);
    if (DECIDED_STATUSES.has(claim.status)) return 'already decided';
    // A document came in since: its round reads it and moves the claim on.
    if (claim.status === 'received') return 'back to reading';
    if (claim.status === STATUS_AFTER.read) {
      const [documents, extracted] = await Promise.all([
        this.ports.claims.documents(claimId),
        this.ports.claims.documentOutputs(claimId, 'extract'),
      ]);
      const stages: StageOutput[] = [];
      for (const { position } of documents.filter((d) => !extracted.has(d.position))) {
        const read = await this.ports.claims.stageOutput(claimId, 'read', position);
        if (!read) throw new Error(`claim ${claimId} has no read-text output for document ${position}`);
        const extraction = await this.timer('extract', async () => extract(read.output));
        stages.push(stageOutput.extract(read.output, extraction, position));
      }
      await this.ports.claims.recordStages(claimId, stages, STATUS_AFTER.read, STATUS_AFTER.extract);
    } else if (claim.status !== STATUS_AFTER.extract) {
      throw new Error(`claim ${claimId} is ${claim.status}, not ready for extraction`);
    }
    await this.ports.queues.enqueue('decide', claimId, roundOf(claim.documents));
    return 'extracted';
  }

  async decide(claimId: string): Promise<string> {
    const claim = await this.claimOf(claimId);
    if (DECIDED_STATUSES.has(claim.status)) return 'already decided';
    // A document came in since: its round decides.
    if (claim.status === 'received' || claim.status === STATUS_AFTER.read) return 'back to reading';
    if (claim.status !== STATUS_AFTER.extract) throw new Error(`claim ${claimId} is ${claim.status}, not ready for a decision`);
    const result = await this.decideFromStoredStages(claim);
    return result ?? 'decided elsewhere';
  }

  /**
   * Decides a claim again after an earlier claim with a shared identifier was decided later than
   * it: the duplicate look-up now sees the earlier claim. The outbox entry that asked for it goes
   * once that is done (a crash in between only means one more, idempotent, re-check).
   */
  async recheck(claimId: string, outboxId?: number): Promise<string> {
    const claim = await this.claimOf(claimId);
    // Not decided yet: its own decision will see the earlier claim.
    const outcome =
      !DECIDED_STATUSES.has(claim.status) || claim.status === 'rejected_input'
        ? 'nothing to recheck'
        : ((await this.decideFromStoredStages(claim)) ?? 'unchanged');
    if (outboxId !== undefined) await this.ports.relay.done(outboxId);
    return outcome;
  }

  private async decideFromStoredStages(claim: SubmittedClaim): Promise<string | null> {
    const { claimId } = claim;
    const documents = await this.ports.claims.documentEvidence(claimId);
    const form = await this.normalisedForm(claim);
    const { result, written } = await this.timer('decide', () =>
      decideClaim({ claimId, seq: claim.seq, file: claim.file, form, documents }, this.ports, {
        onlyFrom: claim.status,
        recheckLater: true,
      }),
    );
    if (!written) return null;
    this.ports.metrics.decisions.inc({ status: result.status });
    this.ports.logger.info({ claimId, status: result.status, flags: result.flags.map((f) => f.code) }, 'claim decided');
    // The re-checks this decision asked for are safe in the outbox: if Redis is away, the sweep relays them.
    await this.ports.relay
      .relay()
      .catch((error: unknown) =>
        this.ports.logger.warn({ err: error, claimId }, 'could not relay follow-up jobs; the recovery sweep will'),
      );
    return result.status;
  }

  /**
   * The form the claim is judged by: as normalised when it was first decided (a claim taken in by
   * the CLI keeps no raw form), else normalised now from the form as received. The claim date was
   * fixed at arrival, so a re-run decides as on the day the claim came in.
   */
  private async normalisedForm(claim: SubmittedClaim): Promise<NormalisedForm> {
    const stored = await this.ports.claims.stageOutput(claim.claimId, 'form');
    if (stored) return stored.output;
    const formData = ClaimForm.parse(claim.form);
    return normaliseForm(formData, { country: this.ports.defaultCountry, today: formData.claimDate! });
  }

  private async claimOf(claimId: string): Promise<SubmittedClaim> {
    const claim = await this.ports.claims.submitted(claimId);
    if (!claim) throw new UnrecoverableError(`unknown claim ${claimId}`);
    return claim;
  }

  private readonly timer = async <T>(stage: StageName, work: () => Promise<T>): Promise<T> => {
    const stop = this.ports.metrics.stageSeconds.startTimer({ stage });
    const stopOcr = stage === 'read' ? this.ports.metrics.ocrSeconds.startTimer() : null;
    try {
      return await work();
    } finally {
      stop();
      stopOcr?.();
    }
  };
}
