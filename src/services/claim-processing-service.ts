import {
  decideClaim,
  readDocument,
  stageOutput,
  refusalFlag,
  refusalOf,
  rejectClaim,
  type StageName,
} from '../../pipelines/claim-stages.js';
import { ClaimForm } from '../domain/claim.js';
import type { FingerprintRepository } from '../store/fingerprint-repository.js';
import type { Logger } from '../config/logger.js';
import { extract } from '../extract/extract.js';
import { normaliseForm } from '../intake/form.js';
import type { IntakeLimits } from '../domain/document.js';
import type { Metrics } from '../observability/metrics.js';
import type { TesseractEngine } from '../ocr/tesseract-engine.js';
import type { Policy } from '../policy/policy-schema.js';
import { type ClaimJobData, type ClaimQueues, type ClaimStage, RECHECK_JOB, UnrecoverableError } from '../queue/claim-queues.js';
import { crashPoint } from '../runtime/crash-point.js';
import type { ReceiptStorage } from '../storage/receipt-storage.js';
import type { OutboxRelay } from './outbox-relay.js';
import { DECIDED_STATUSES, type ClaimsRepository, type SubmittedClaim } from '../store/claims-repository.js';

export interface ClaimProcessingPorts {
  claims: ClaimsRepository;
  fingerprints: FingerprintRepository;
  receipts: ReceiptStorage;
  queues: ClaimQueues;
  relay: OutboxRelay;
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

  async read(claimId: string): Promise<string> {
    const claim = await this.claimOf(claimId);
    if (DECIDED_STATUSES.has(claim.status)) return 'already decided';
    if (claim.status === 'received') {
      if (!claim.receiptKey) throw new UnrecoverableError(`claim ${claimId} has no receipt in storage`);
      const bytes = await this.ports.receipts.get(claim.receiptKey);
      crashPoint('reading-receipt');
      let reading;
      try {
        reading = await readDocument(bytes, this.ports, this.timer);
      } catch (error) {
        // A document we cannot read stays unreadable: record why, and fail visibly without retries.
        const refusal = refusalOf(error, claim.file, this.ports.logger);
        const { result } = await rejectClaim(
          { claimId, file: claim.file, documentHash: claim.documentHash },
          refusalFlag(refusal),
          this.ports,
          'received',
        );
        this.ports.metrics.decisions.inc({ status: result.status });
        throw new UnrecoverableError(`${refusal.code}: ${refusal.message}`);
      }
      await this.ports.claims.recordStages(
        claimId,
        [stageOutput.intake(reading.doc), stageOutput.read(reading), stageOutput.signals(reading)],
        'received',
        STATUS_AFTER.read,
      );
    }
    await this.ports.queues.enqueue('extract', claimId);
    return 'read';
  }

  async extract(claimId: string): Promise<string> {
    const claim = await this.claimOf(claimId);
    if (DECIDED_STATUSES.has(claim.status)) return 'already decided';
    if (claim.status === STATUS_AFTER.read) {
      const read = await this.ports.claims.stageOutput(claimId, 'read');
      if (!read) throw new Error(`claim ${claimId} has no read-text output`);
      const extraction = await this.timer('extract', async () => extract(read.output));
      await this.ports.claims.recordStages(
        claimId,
        [stageOutput.extract(read.output, extraction)],
        STATUS_AFTER.read,
        STATUS_AFTER.extract,
      );
    } else if (claim.status !== STATUS_AFTER.extract) {
      throw new Error(`claim ${claimId} is ${claim.status}, not ready for extraction`);
    }
    await this.ports.queues.enqueue('decide', claimId);
    return 'extracted';
  }

  async decide(claimId: string): Promise<string> {
    const claim = await this.claimOf(claimId);
    if (DECIDED_STATUSES.has(claim.status)) return 'already decided';
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
    const [intake, extraction, signals] = await Promise.all([
      this.ports.claims.stageOutput(claimId, 'intake'),
      this.ports.claims.stageOutput(claimId, 'extract'),
      this.ports.claims.stageOutput(claimId, 'signals'),
    ]);
    const formData = ClaimForm.parse(claim.form);
    // The claim date was fixed at arrival, so a re-run decides as on the day the claim came in.
    const form = normaliseForm(formData, { country: this.ports.defaultCountry, today: formData.claimDate! });
    const doc = intake?.output ?? null;
    const read = extraction?.output ?? null;
    const { result, written } = await this.timer('decide', () =>
      decideClaim(
        { claimId, seq: claim.seq, file: claim.file, form, doc, extraction: read, signals: signals?.output ?? null },
        this.ports,
        { onlyFrom: claim.status, recheckLater: true },
      ),
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
