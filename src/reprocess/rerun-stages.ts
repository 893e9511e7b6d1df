import {
  readDocument,
  refusalOf,
  sha256,
  stageOutput,
  STAGE_VERSIONS,
  type ClaimToDecide,
  type DocumentEvidence,
} from '../../pipelines/claim-stages.js';
import type { Extraction } from '../domain/extraction.js';
import type { RecordedStage, StageOutput } from '../domain/stage-outputs.js';
import type { TextLayer } from '../domain/text-layer.js';
import type { Logger } from '../config/logger.js';
import { InvalidStageOutputError } from '../errors/invalid-stage-output-error.js';
import { extract } from '../extract/extract.js';
import type { IntakeLimits } from '../domain/document.js';
import type { TesseractEngine } from '../ocr/tesseract-engine.js';
import type { ReceiptStorage } from '../storage/receipt-storage.js';
import type { ClaimForRerun, FromStage } from '../store/reprocess-repository.js';

/** The stored outputs a re-run from each stage starts from. */
export const STAGES_TO_LOAD: Record<FromStage, RecordedStage[]> = {
  assess: ['form', 'intake', 'extract', 'signals'],
  extract: ['form', 'intake', 'read', 'extract', 'signals'],
  read: ['form', 'intake', 'read', 'extract', 'signals'],
};

export interface RerunPorts {
  /** Where the claim's original receipt is found again by its document hash. */
  receipts: Pick<ReceiptStorage, 'byHash'>;
  /** Started on first use: a re-assessment never needs the OCR pool. */
  ocr: () => Promise<TesseractEngine>;
  /** The OCR pool's size: a re-read keeps one more claim in flight, as the live pipeline does. */
  ocrWorkers: number;
  limits: IntakeLimits;
  logger: Logger;
}

/** A claim with its inputs re-made up to the decision, or why that could not be done. */
export type PreparedClaim =
  | { kind: 'ready'; claim: ClaimForRerun; toDecide: ClaimToDecide; stages: StageOutput[] }
  | { kind: 'skipped' | 'failed'; claim: ClaimForRerun; reason: string };

/**
 * Re-makes a claim's inputs from `fromStage` on: stages before it come from storage; a stage from
 * it on is recomputed unless its stored output was made by the current code from the same input
 * (or `force` says to recompute anyway). A stored output is validated when it is read: one that
 * does not match its schema fails the claim, never the batch.
 */
export async function prepareClaim(claim: ClaimForRerun, fromStage: FromStage, force: boolean, ports: RerunPorts): Promise<PreparedClaim> {
  try {
    return await prepare(claim, fromStage, force, ports);
  } catch (error) {
    if (error instanceof InvalidStageOutputError) return { kind: 'failed', claim, reason: error.message };
    throw error;
  }
}

async function prepare(claim: ClaimForRerun, fromStage: FromStage, force: boolean, ports: RerunPorts): Promise<PreparedClaim> {
  const skip = (reason: string): PreparedClaim => ({ kind: 'skipped', claim, reason });
  if (claim.result.status === 'rejected_input') return skip('refused at the door: no reading to re-run from');
  const form = claim.stages.get('form')?.output;
  if (!form) return skip('stored before claim forms were kept: process the claim again to make it re-runnable');
  // Every document again from its own stored outputs; the decision merges them as the live pipeline does.
  const documents: DocumentEvidence[] = [];
  const stages: StageOutput[] = [];
  for (const document of claim.stages.documents()) {
    const prepared = await prepareDocument(claim, document, fromStage, force, ports);
    if (typeof prepared === 'string') return { kind: 'failed', claim, reason: prepared };
    documents.push(prepared.evidence);
    stages.push(...prepared.stages);
  }
  return { kind: 'ready', claim, stages, toDecide: { claimId: claim.claimId, seq: claim.seq, file: claim.file, form, documents } };
}

/** One document's outputs re-made from `fromStage` on, or why that could not be done. */
async function prepareDocument(
  claim: ClaimForRerun,
  document: number,
  fromStage: FromStage,
  force: boolean,
  ports: RerunPorts,
): Promise<{ evidence: DocumentEvidence; stages: StageOutput[] } | string> {
  const stored = claim.stages;
  let signals = stored.get('signals', document)?.output ?? null;
  let doc = stored.get('intake', document)!.output;
  const stages: StageOutput[] = [];
  const ready = (extraction: Extraction | null) => ({ evidence: { document, doc, extraction, signals }, stages });

  let text: TextLayer | null = null;
  const storedRead = stored.made('read', document);
  const readIsCurrent = storedRead?.stageVersion === STAGE_VERSIONS.read && storedRead.inputHash === doc.sha256;
  if (fromStage === 'read' && (force || !readIsCurrent)) {
    const bytes = await ports.receipts.byHash(doc.sha256);
    if (!bytes) return `the receipt (sha256 ${doc.sha256}) is not in the receipt store; only imported claims keep theirs`;
    try {
      const reading = await readDocument(bytes, { ocr: await ports.ocr(), limits: ports.limits });
      doc = reading.doc;
      text = reading.text;
      signals = reading.signals;
      stages.push(stageOutput.intake(doc, document), stageOutput.read(reading, document), stageOutput.signals(reading, document));
    } catch (error) {
      return `the receipt could not be read again: ${refusalOf(error, claim.file, ports.logger).message}`;
    }
  }

  if (fromStage === 'assess') {
    const extracted = stored.get('extract', document);
    return extracted ? ready(extracted.output) : 'no stored extraction to assess';
  }
  const storedExtract = stored.made('extract', document);
  // The text was not read again: the stored extraction stands if the current extractor made it.
  // (Its input hash cannot be checked against the stored text: jsonb loses the key order it was hashed in.)
  if (!text && !force && storedExtract?.stageVersion === STAGE_VERSIONS.extract) {
    return ready(stored.get('extract', document)!.output);
  }
  if (!text) {
    const storedText = stored.get('read', document);
    if (!storedText) return 'no stored text to extract from';
    text = storedText.output;
  }
  const textHash = sha256(JSON.stringify(text));
  if (!force && storedExtract?.stageVersion === STAGE_VERSIONS.extract && storedExtract.inputHash === textHash) {
    return ready(stored.get('extract', document)!.output);
  }
  const extraction = extract(text);
  stages.push(stageOutput.extract(text, extraction, document));
  return ready(extraction);
}
