import { createHash } from 'node:crypto';
import type { NormalisedForm } from '../src/domain/assessment.js';
import { ClaimForm } from '../src/domain/claim.js';
import { EMPTY_FIELD, type Extraction } from '../src/domain/extraction.js';
import { flag, type Flag } from '../src/domain/flags.js';
import type { ClaimResult } from '../src/domain/result.js';
import type { TextLayer } from '../src/domain/text-layer.js';
import { InputRejectedError } from '../src/errors/input-rejected-error.js';
import type { DocumentEvidence, DocumentSignals, FingerprintEntry } from '../src/domain/fraud.js';
import { extract } from '../src/extract/extract.js';
import { mergeDocuments, type Disagreement } from '../src/extract/merge-documents.js';
import { disagreementFlags } from '../src/policy/document-agreement.js';
import { detectFraud } from '../src/fraud/detect-fraud.js';
import { documentSignals } from '../src/fraud/document-signals.js';
import { normaliseDocument } from '../src/imaging/normalise-document.js';
import { documentPages } from '../src/documents/document-pages.js';
import { intakeDocument, type IntakeDocument } from '../src/intake/intake.js';
import type { IntakeLimits } from '../src/domain/document.js';
import { inspectPdf } from '../src/intake/pdf-inspection.js';
import { PdfDocument } from '../src/documents/pdf-document.js';
import { readText } from '../src/ocr/read-text.js';
import { documentBarcodes, withBarcodes } from '../src/barcodes/page-barcodes.js';
import { rereadKeyLines } from '../src/ocr/reread-key-lines.js';
import { OCR_LANGUAGES, type TesseractEngine } from '../src/ocr/tesseract-engine.js';
import type { Logger } from '../src/config/logger.js';
import { assess } from '../src/policy/assess.js';
import type { Policy } from '../src/policy/policy-schema.js';
import type { ClaimIdentifier } from '../src/domain/fraud.js';
import type { StageOutput } from '../src/domain/stage-outputs.js';
import type { ClaimsRepository } from '../src/store/claims-repository.js';
import type { FingerprintRepository } from '../src/store/fingerprint-repository.js';
import { crashPoint } from '../src/runtime/crash-point.js';

export type { DocumentEvidence } from '../src/domain/fraud.js';

/**
 * The stages as plain functions, shared by the in-process pipeline (CLI) and the queue workers:
 * the two modes differ only in how work reaches these functions and where outputs are kept.
 */

/** Bumped when a stage's code changes what it outputs, so stored outputs show what made them. */
export const STAGE_VERSIONS = {
  intake: 'intake-2',
  read: `tesseract.js7-${OCR_LANGUAGES.join('+')}-psm6-norm3-reread2-textsize1-zxing1-place2`,
  extract: 'extract-5',
  form: 'form-1',
  signals: 'fraud-signals-4',
} as const;

export type StageName = 'intake' | 'normalise' | 'read' | 'extract' | 'signals' | 'decide';
export type StageTimer = <T>(stage: StageName, work: () => Promise<T>) => Promise<T>;
const untimed: StageTimer = (_stage, work) => work();

export const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/** The identity of a claim: the id the customer's system gave it, else its receipt and form together. */
export function claimIdFor(form: ClaimForm, documentHash: string | null): string {
  if (form.claimId) return form.claimId;
  const { claimId: _none, ...fields } = form;
  const canonical = JSON.stringify(Object.fromEntries(Object.entries(fields).sort(([a], [b]) => a.localeCompare(b))));
  return documentHash ? sha256(`${documentHash}\n${canonical}`) : `form:${sha256(canonical)}`;
}

export interface DocumentReading {
  doc: IntakeDocument;
  text: TextLayer;
  extraction: Extraction;
  /** Fraud signals that need the pages themselves (pixels around key fields, the PDF's rendering). */
  signals: DocumentSignals;
}

/**
 * intake → normalise → read text → extract → document signals. Throws InputRejectedError for a
 * document that cannot be read. A PDF is parsed once: the document intake opens serves every stage
 * and is destroyed at the end.
 */
export async function readDocument(
  bytes: Uint8Array,
  ports: { ocr: TesseractEngine; limits: IntakeLimits },
  timed: StageTimer = untimed,
): Promise<DocumentReading> {
  const opened: { pdf: PdfDocument | null } = { pdf: null };
  try {
    const doc = await timed('intake', () =>
      intakeDocument(bytes, ports.limits, async (pdfBytes, limits) => {
        opened.pdf = await PdfDocument.open(pdfBytes, limits.maxPixels);
        return inspectPdf(opened.pdf, pdfBytes, limits);
      }),
    );
    const { pdf } = opened;
    const pages = await timed('normalise', async () => normaliseDocument(await documentPages(doc, bytes, pdf), ports.limits));
    const text = await timed('read', async () => {
      // Barcodes are decoded on this thread while the OCR workers read the same pages.
      const [read, barcodes] = await Promise.all([
        readText(pages, ports.ocr).then((layer) => rereadKeyLines(pages, layer, ports.ocr)),
        documentBarcodes(pages, ports.limits.maxPixels),
      ]);
      return withBarcodes(read, barcodes);
    });
    const extraction = await timed('extract', async () => extract(text));
    const signals = await timed('signals', () =>
      documentSignals({ doc, pages, text, extraction, ocr: ports.ocr, maxPixels: ports.limits.maxPixels }),
    );
    return { doc, text, extraction, signals };
  } finally {
    await opened.pdf?.destroy();
  }
}

/**
 * Why a receipt could not be read, in words for the customer. A document some library chokes on
 * is unreadable to us too: the claim is recorded and the rest goes on, and the log keeps the cause
 * for a bug report.
 */
export function refusalOf(error: unknown, file: string | null, logger: Logger): InputRejectedError {
  if (error instanceof InputRejectedError) return error;
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT' || code === 'EISDIR') {
    return new InputRejectedError('UNREADABLE_DOCUMENT', `The receipt file ${file} does not exist.`);
  }
  logger.error({ err: error, file }, 'reading the receipt failed unexpectedly');
  return new InputRejectedError('UNREADABLE_DOCUMENT', 'The receipt could not be read.', {
    detail: error instanceof Error ? error.message : String(error),
  });
}

export const refusalFlag = (refusal: InputRejectedError): Flag => flag(refusal.code, refusal.message, refusal.evidence);

export interface DecidePorts {
  claims: ClaimsRepository;
  fingerprints: Pick<FingerprintRepository, 'candidates'>;
  policy: Policy;
}

/** A claim that could not be taken: recorded as `rejected_input` with the reason. */
export async function rejectClaim(
  claim: UndecidedClaim,
  reason: Flag,
  ports: RecordPorts,
  onlyFrom?: string,
): Promise<{ result: ClaimResult; written: boolean }> {
  return recordWithoutAssessment(claim, 'rejected_input', reason, ports, onlyFrom);
}

/**
 * A claim the machine could not finish (its receipt kept killing the workers reading it, or a step
 * failed for good): recorded as `needs_review` with the reason, for a person to decide.
 */
export async function referClaim(
  claim: UndecidedClaim,
  reason: Flag,
  ports: RecordPorts,
  onlyFrom: string,
): Promise<{ result: ClaimResult; written: boolean }> {
  return recordWithoutAssessment(claim, 'needs_review', reason, ports, onlyFrom);
}

/** What recording a claim's outcome without assessing it needs. */
type RecordPorts = Pick<DecidePorts, 'claims' | 'policy'>;

export interface UndecidedClaim {
  claimId: string;
  file: string | null;
  documentHash: string | null;
}

async function recordWithoutAssessment(
  claim: UndecidedClaim,
  status: ClaimResult['status'],
  reason: Flag,
  ports: RecordPorts,
  onlyFrom: string | undefined,
): Promise<{ result: ClaimResult; written: boolean }> {
  const result: ClaimResult = {
    file: claim.file,
    claimId: claim.claimId,
    status,
    fields: emptyFields(),
    warranty: null,
    flags: [reason],
    policyVersion: ports.policy.version,
    documentHash: claim.documentHash,
  };
  const written = await ports.claims.saveResult(result, [], [], { onlyFrom });
  return { result, written };
}

export interface ClaimToDecide {
  claimId: string;
  /** Arrival order: duplicates are looked for among claims with a smaller seq. */
  seq: number;
  file: string | null;
  form: NormalisedForm;
  /** The claim's documents in the order they were added; empty for a claim without a receipt. */
  documents: DocumentEvidence[];
}

/**
 * The evidence of every document as one extraction (see mergeDocuments) and the disagreements
 * between them; null extraction for a claim without a document that was read.
 */
export function mergedEvidence(documents: DocumentEvidence[]): { extraction: Extraction | null; disagreements: Disagreement[] } {
  const read = documents.flatMap((d) => (d.extraction ? [{ document: d.document, extraction: d.extraction }] : []));
  return read.length === 0 ? { extraction: null, disagreements: [] } : mergeDocuments(read);
}

/** A decision made but not yet stored: what `decideClaim` saves, and what a re-run compares. */
export interface ClaimDecision {
  result: ClaimResult;
  identifiers: ClaimIdentifier[];
  /** The form and the assessment, stored so a re-run can assess again without the customer. */
  stages: StageOutput[];
  /** The receipt's fingerprint for later claims to be compared with, stored with the decision. */
  fingerprint: FingerprintEntry | null;
}

/** What deciding looks at besides the claim: earlier claims, receipt fingerprints, the policy. */
export interface DecisionSources {
  claims: Pick<ClaimsRepository, 'findEarlier'>;
  fingerprints: Pick<FingerprintRepository, 'candidates'>;
  policy: Policy;
}

/**
 * The claim's identifiers and what they, its documents and their signals say: documents that
 * disagree, duplicates of earlier claims and signs of tampering, judged by the policy. Shared by
 * the decision and a reviewer's re-assessment, which passes the documents' evidence with its
 * corrections (`corrected`); the documents' disagreements stand either way.
 */
export async function decisionSignals(
  claim: ClaimToDecide,
  sources: DecisionSources,
  corrected?: Extraction | null,
): Promise<{ extraction: Extraction | null; identifiers: ClaimIdentifier[]; signals: Flag[]; fingerprint: FingerprintEntry | null }> {
  const merged = mergedEvidence(claim.documents);
  const extraction = corrected === undefined ? merged.extraction : corrected;
  const fraud = await detectFraud({ ...claim, extraction, ...sources });
  return {
    extraction,
    identifiers: fraud.identifiers,
    signals: [...disagreementFlags(merged.disagreements, sources.policy), ...fraud.flags],
    fingerprint: fraud.fingerprint,
  };
}

/**
 * Duplicate look-up (among claims with a smaller seq), tamper signals and the policy. Stores
 * nothing: a reprocessing dry-run decides exactly as the live pipeline does.
 */
export async function computeDecision(claim: ClaimToDecide, sources: DecisionSources): Promise<ClaimDecision> {
  const { policy } = sources;
  const { form } = claim;
  const { extraction, identifiers, signals, fingerprint } = await decisionSignals(claim, sources);
  const decision = assess({ form, extraction, signals }, policy);
  const result: ClaimResult = {
    file: claim.file,
    claimId: claim.claimId,
    status: decision.status,
    fields: extraction
      ? {
          purchaseDate: extraction.purchaseDate,
          retailer: extraction.retailer,
          model: extraction.model,
          serial: extraction.serial,
          imei: extraction.imei,
          ...decision.reconciledFields,
        }
      : emptyFields(),
    warranty: decision.warranty,
    flags: decision.flags,
    policyVersion: decision.policyVersion,
    documentHash: claim.documents[0]?.doc.sha256 ?? null,
  };
  const stages: StageOutput[] = [
    { stage: 'form', stageVersion: STAGE_VERSIONS.form, inputHash: sha256(JSON.stringify(form)), output: form },
    { stage: 'assess', stageVersion: policy.version, inputHash: sha256(JSON.stringify({ form, extraction, signals })), output: decision },
  ];
  return { result, identifiers, stages, fingerprint };
}

/**
 * Decides a claim and stores the decision in one transaction together with the receipt's
 * fingerprint and `stages` (outputs of earlier stages the caller has not stored yet). With
 * `onlyFrom` the decision is stored only while the claim is still in that status (see saveResult);
 * with `recheckLater`, re-checks of later claims decided without this one are queued in the same
 * transaction (the outbox), for the caller to relay.
 */
export async function decideClaim(
  claim: ClaimToDecide,
  ports: DecidePorts,
  options: { stages?: StageOutput[]; onlyFrom?: string; recheckLater?: boolean } = {},
): Promise<{ result: ClaimResult; written: boolean }> {
  const decision = await computeDecision(claim, ports);
  const written = await ports.claims.saveResult(decision.result, decision.identifiers, [...(options.stages ?? []), ...decision.stages], {
    onlyFrom: options.onlyFrom,
    fingerprint: decision.fingerprint,
    recheckLater: options.recheckLater,
  });
  if (written) crashPoint('after-decision-commit');
  return { result: decision.result, written };
}

/** Each stage's output as stored for re-runs: the version that made it, the hash of its input, the document it read. */
export const stageOutput = {
  intake: (doc: IntakeDocument, document: number): StageOutput<'intake'> => ({
    stage: 'intake',
    stageVersion: STAGE_VERSIONS.intake,
    inputHash: doc.sha256,
    output: doc,
    document,
  }),
  read: ({ doc, text }: Pick<DocumentReading, 'doc' | 'text'>, document: number): StageOutput<'read'> => ({
    stage: 'read',
    stageVersion: STAGE_VERSIONS.read,
    inputHash: doc.sha256,
    output: text,
    document,
  }),
  /** Kept for the review page (heat map, scores under threshold) and for judging again under a new policy. */
  signals: ({ doc, signals }: Pick<DocumentReading, 'doc' | 'signals'>, document: number): StageOutput<'signals'> => ({
    stage: 'signals',
    stageVersion: STAGE_VERSIONS.signals,
    inputHash: doc.sha256,
    output: signals,
    document,
  }),
  extract: (text: TextLayer, extraction: Extraction, document: number): StageOutput<'extract'> => ({
    stage: 'extract',
    stageVersion: STAGE_VERSIONS.extract,
    inputHash: sha256(JSON.stringify(text)),
    output: extraction,
    document,
  }),
};

const emptyFields = (): ClaimResult['fields'] => ({
  purchaseDate: EMPTY_FIELD,
  retailer: EMPTY_FIELD,
  model: EMPTY_FIELD,
  serial: EMPTY_FIELD,
  imei: EMPTY_FIELD,
});
