import { createHash } from 'node:crypto';
import { ClaimForm } from '../src/domain/claim.js';
import type { NormalisedForm } from '../src/domain/assessment.js';
import { EMPTY_FIELD, type Extraction } from '../src/domain/extraction.js';
import { flag, type Flag } from '../src/domain/flags.js';
import type { ClaimResult } from '../src/domain/result.js';
import type { TextLayer } from '../src/domain/text-layer.js';
import { InputRejectedError } from '../src/errors/input-rejected-error.js';
import { extract } from '../src/extract/extract.js';
import type { DocumentSignals } from '../src/domain/fraud.js';
import { detectFraud } from '../src/fraud/detect-fraud.js';
import { documentSignals } from '../src/fraud/document-signals.js';
import { normaliseDocument } from '../src/imaging/normalise-document.js';
import { normaliseForm } from '../src/intake/form.js';
import { intakeDocument, type IntakeDocument, type IntakeLimits } from '../src/intake/intake.js';
import { readText } from '../src/ocr/read-text.js';
import { OCR_LANGUAGES, type TesseractEngine } from '../src/ocr/tesseract-engine.js';
import type { Logger } from '../src/config/logger.js';
import { assess } from '../src/policy/assess.js';
import type { Policy } from '../src/policy/policy-schema.js';
import type { ClaimsRepository, StageOutput } from '../src/store/claims-repository.js';
import type { FingerprintRepository } from '../src/store/fingerprint-repository.js';

/** Bumped when a stage's code changes what it outputs, so stored outputs show what made them. */
export const STAGE_VERSIONS = {
  intake: 'intake-1',
  read: `tesseract.js7-${OCR_LANGUAGES.join('+')}-psm6-norm1`,
  extract: 'extract-1',
  signals: 'fraud-signals-1',
} as const;

/** One claim to process: where its receipt comes from, and the form as the customer typed it. */
export interface ClaimInput {
  /** How the receipt is named in results (the path as given); null for a claim without a receipt. */
  file: string | null;
  loadReceipt: (() => Promise<Uint8Array>) | null;
  /** Raw form data; validated here so one malformed line cannot stop a batch. */
  form: unknown;
  /** Set when the claim could not even be read from its source (e.g. a manifest line that is not JSON). */
  invalid?: string;
}

export interface PipelinePorts {
  ocr: TesseractEngine;
  claims: ClaimsRepository;
  fingerprints: FingerprintRepository;
  policy: Policy;
  limits: IntakeLimits;
  defaultCountry: string;
  /** Today's date, ISO; the default claim date. */
  today: () => string;
  logger: Logger;
  /** Told how long each stage took; the benchmark listens, production passes nothing. */
  onStageTime?: (stage: StageName, milliseconds: number) => void;
}

export type StageName = 'intake' | 'normalise' | 'read' | 'extract' | 'signals' | 'decide';

/** What the heavy, parallel part of the pipeline hands to the ordered decision step. */
type ReadClaim =
  | { kind: 'read'; input: ClaimInput; form: NormalisedForm; claimId: string; doc: IntakeDocument | null; text: TextLayer | null; extraction: Extraction | null; signals: DocumentSignals | null }
  | { kind: 'rejected'; input: ClaimInput; claimId: string; documentHash: string | null; flag: Flag };

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/**
 * intake → normalise → read text → extract run in parallel (bounded by the OCR pool); the decision
 * step (duplicate look-up, assess, store) runs in input order, so "an earlier claim" means an earlier
 * line and results come out in the order they went in.
 */
export class ClaimPipeline {
  constructor(private readonly ports: PipelinePorts) {}

  async run(inputs: ClaimInput[], onResult: (result: ClaimResult, index: number) => void | Promise<void>): Promise<void> {
    // One more in flight than OCR workers, so a page is being decoded and scaled while others are read.
    const parallel = this.ports.ocr.size + 1;
    const pending = new Map<number, Promise<ReadClaim>>();
    let next = 0;
    const startNext = () => {
      if (next < inputs.length) {
        const index = next++;
        pending.set(index, this.read(inputs[index]!));
      }
    };
    for (let i = 0; i < parallel; i++) startNext();
    for (let index = 0; index < inputs.length; index++) {
      const read = await pending.get(index)!;
      pending.delete(index);
      startNext();
      const result = await this.timed('decide', () => this.decide(read));
      this.ports.logger.info({ claimId: result.claimId, file: result.file, status: result.status, flags: result.flags.map((f) => f.code) }, 'claim decided');
      await onResult(result, index);
    }
  }

  private async timed<T>(stage: StageName, work: () => Promise<T>): Promise<T> {
    if (!this.ports.onStageTime) return work();
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.ports.onStageTime(stage, performance.now() - started);
    }
  }

  /** The parallel part: everything that depends on this claim alone. */
  private async read(input: ClaimInput): Promise<ReadClaim> {
    const parsedForm = ClaimForm.safeParse(input.form ?? {});
    const formClaimId = parsedForm.success ? parsedForm.data.claimId : undefined;
    if (input.invalid || !parsedForm.success) {
      const problems = input.invalid ? [input.invalid] : parsedForm.error!.issues.map((i) => `${i.path.join('.') || 'form'}: ${i.message}`);
      return {
        kind: 'rejected', input, documentHash: null,
        claimId: formClaimId ?? `form:${sha256(JSON.stringify(input.form ?? null) + (input.invalid ?? ""))}`,
        flag: flag('INVALID_FORM_DATA', `The claim form is malformed: ${problems.join('; ')}.`, { problems }),
      };
    }
    const form = normaliseForm(parsedForm.data, { country: this.ports.defaultCountry, today: this.ports.today() });
    if (!input.loadReceipt) {
      return { kind: 'read', input, form, claimId: parsedForm.data.claimId ?? `form:${sha256(JSON.stringify(parsedForm.data))}`, doc: null, text: null, extraction: null, signals: null };
    }
    let bytes: Uint8Array | null = null;
    try {
      const receipt = await input.loadReceipt();
      bytes = receipt;
      const doc = await this.timed('intake', () => intakeDocument(receipt, this.ports.limits));
      const pages = await this.timed('normalise', () => normaliseDocument(doc, receipt, this.ports.limits));
      const text = await this.timed('read', () => readText(pages, this.ports.ocr));
      const extraction = await this.timed('extract', async () => extract(text));
      const signals = await this.timed('signals', () =>
        documentSignals({ doc, bytes: receipt, pages, text, extraction, ocr: this.ports.ocr, maxPixels: this.ports.limits.maxPixels }),
      );
      return { kind: 'read', input, form, claimId: parsedForm.data.claimId ?? doc.sha256, doc, text, extraction, signals };
    } catch (error) {
      const refusal = this.asRefusal(error, input.file);
      const documentHash = bytes ? sha256(bytes) : null;
      return {
        kind: 'rejected', input, documentHash,
        claimId: parsedForm.data.claimId ?? documentHash ?? `file:${input.file}`,
        flag: flag(refusal.code, refusal.message, refusal.evidence),
      };
    }
  }

  /**
   * Why a receipt could not be read, in words for the customer. A document some library chokes on
   * is unreadable to us too: the claim is recorded and the batch goes on, and the log keeps the
   * cause for a bug report.
   */
  private asRefusal(error: unknown, file: string | null): InputRejectedError {
    if (error instanceof InputRejectedError) return error;
    const code = (error as NodeJS.ErrnoException)?.code;
    if (code === 'ENOENT' || code === 'EISDIR') {
      return new InputRejectedError('UNREADABLE_DOCUMENT', `The receipt file ${file} does not exist.`);
    }
    this.ports.logger.error({ err: error, file }, 'reading the receipt failed unexpectedly');
    return new InputRejectedError('UNREADABLE_DOCUMENT', 'The receipt could not be read.', {
      detail: error instanceof Error ? error.message : String(error),
    });
  }

  /** The ordered part: compares with earlier claims, decides, and stores the decision. */
  private async decide(read: ReadClaim): Promise<ClaimResult> {
    const { claims, policy } = this.ports;
    const { seq } = await claims.reserve(read.claimId, read.input.file);
    if (read.kind === 'rejected') {
      const result: ClaimResult = {
        file: read.input.file, claimId: read.claimId, status: 'rejected_input',
        fields: { purchaseDate: EMPTY_FIELD, retailer: EMPTY_FIELD, model: EMPTY_FIELD, serial: EMPTY_FIELD, imei: EMPTY_FIELD },
        warranty: null, flags: [read.flag], policyVersion: policy.version, documentHash: read.documentHash,
      };
      await claims.saveResult(result, [], []);
      return result;
    }
    const { form, doc, text, extraction } = read;
    const fraud = await detectFraud({ seq, claimId: read.claimId, form, doc, extraction, signals: read.signals, policy, claims, fingerprints: this.ports.fingerprints });
    const signals = fraud.flags;
    const decision = assess({ form, extraction, signals }, policy);
    const result: ClaimResult = {
      file: read.input.file,
      claimId: read.claimId,
      status: decision.status,
      fields: extraction
        ? { purchaseDate: extraction.purchaseDate, retailer: extraction.retailer, model: extraction.model, serial: extraction.serial, imei: extraction.imei }
        : { purchaseDate: EMPTY_FIELD, retailer: EMPTY_FIELD, model: EMPTY_FIELD, serial: EMPTY_FIELD, imei: EMPTY_FIELD },
      warranty: decision.warranty,
      flags: decision.flags,
      policyVersion: decision.policyVersion,
      documentHash: doc?.sha256 ?? null,
    };
    const stages: StageOutput[] = [];
    if (doc && text && extraction) {
      stages.push(
        { stage: 'intake', stageVersion: STAGE_VERSIONS.intake, inputHash: doc.sha256, output: doc },
        { stage: 'read', stageVersion: STAGE_VERSIONS.read, inputHash: doc.sha256, output: text },
        { stage: 'extract', stageVersion: STAGE_VERSIONS.extract, inputHash: sha256(JSON.stringify(text)), output: extraction },
      );
      // Kept for the review page (heat map, scores below threshold) and for re-judging under a new policy.
      if (read.signals) stages.push({ stage: 'signals', stageVersion: STAGE_VERSIONS.signals, inputHash: doc.sha256, output: read.signals });
    }
    stages.push({ stage: 'assess', stageVersion: policy.version, inputHash: sha256(JSON.stringify({ form, extraction, signals })), output: decision });
    await claims.saveResult(result, fraud.identifiers, stages);
    await fraud.record();
    return result;
  }
}
