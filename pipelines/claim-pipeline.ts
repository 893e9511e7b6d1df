import { ClaimForm } from '../src/domain/claim.js';
import type { NormalisedForm } from '../src/domain/assessment.js';
import { flag, type Flag } from '../src/domain/flags.js';
import type { ClaimResult } from '../src/domain/result.js';
import { normaliseForm } from '../src/intake/form.js';
import type { IntakeDocument } from '../src/intake/intake.js';
import type { IntakeLimits } from '../src/domain/document.js';
import type { TesseractEngine } from '../src/ocr/tesseract-engine.js';
import type { Logger } from '../src/config/logger.js';
import type { Policy } from '../src/policy/policy-schema.js';
import type { ClaimsRepository, StageOutput } from '../src/store/claims-repository.js';
import {
  claimIdFor,
  decideClaim,
  readDocument,
  stageOutput,
  refusalFlag,
  refusalOf,
  rejectClaim,
  sha256,
  type DocumentEvidence,
  type DocumentReading,
  type StageName,
} from './claim-stages.js';
import type { FingerprintRepository } from '../src/store/fingerprint-repository.js';
import { PixelBudget } from '../src/imaging/pixel-budget.js';

/** One of a claim's documents: how it is named (the path as given) and where its bytes come from. */
export interface DocumentInput {
  file: string;
  load: () => Promise<Uint8Array>;
}

/** One claim to process: where its documents come from, and the form as the customer typed it. */
export interface ClaimInput {
  /** How the claim is named in results: its first document's name; null for a claim without a receipt. */
  file: string | null;
  /** The receipt and any further documents (a serial-label photo, ...), in order; empty without a receipt. */
  documents: DocumentInput[];
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

/** What the heavy, parallel part of the pipeline hands to the ordered decision step. */
type ReadClaim =
  | {
      kind: 'read';
      input: ClaimInput;
      form: NormalisedForm;
      claimId: string;
      documents: Array<DocumentEvidence & { file: string }>;
      stages: StageOutput[];
    }
  | { kind: 'rejected'; input: ClaimInput; claimId: string; documentHash: string | null; flag: Flag };

/** Told once when a claim's pages are ready for OCR, and once when its text is read. */
interface ReadProgress {
  prepared: () => void;
  read: () => void;
}

function once(action: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    action();
  };
}

/**
 * intake → normalise → read text → extract → signals run in parallel (paced by the OCR pool); the decision
 * step (duplicate look-up, assess, store) runs in input order, so "an earlier claim" means an earlier
 * line and results come out in the order they went in.
 */
export class ClaimPipeline {
  /** Full-size decodes in flight: together at most one image of the largest size accepted. */
  private readonly pixelBudget: PixelBudget;

  constructor(private readonly ports: PipelinePorts) {
    this.pixelBudget = new PixelBudget(ports.limits.maxPixels);
  }

  async run(inputs: ClaimInput[], onResult: (result: ClaimResult, index: number) => void | Promise<void>): Promise<void> {
    // OCR is the bottleneck, so the pool must never wait for a page: two claims more than OCR
    // workers are on their way to the pool or in it, and a claim leaves that count as soon as its
    // text is read, not when its fraud signals are done. At most one claim per worker is decoded and
    // scaled at a time, so the first pages reach the pool without sharing the cores four ways.
    // A claim starts whenever one leaves, not when the oldest is decided: a long page must not
    // leave workers idle. Decisions stay in input order, at most `lookahead` claims behind the reads.
    const workers = this.ports.ocr.size;
    const toOcr = workers + 2;
    const lookahead = toOcr * 4;
    const pending = new Map<number, Promise<ReadClaim>>();
    let headedForOcr = 0;
    let preparing = 0;
    let next = 0;
    let decided = 0;
    const startReads = () => {
      while (headedForOcr < toOcr && preparing < workers && next < inputs.length && next < decided + lookahead) {
        const index = next++;
        headedForOcr++;
        preparing++;
        const progress: ReadProgress = {
          prepared: once(() => {
            preparing--;
            startReads();
          }),
          read: once(() => {
            headedForOcr--;
            startReads();
          }),
        };
        // read() turns every failure into a rejected claim: this promise never rejects.
        pending.set(
          index,
          this.read(inputs[index]!, progress).finally(() => {
            progress.prepared();
            progress.read();
          }),
        );
      }
    };
    startReads();
    for (let index = 0; index < inputs.length; index++) {
      const read = await pending.get(index)!;
      pending.delete(index);
      decided = index + 1;
      startReads();
      const result = await this.timed('decide', () => this.decide(read));
      this.ports.logger.info(
        { claimId: result.claimId, file: result.file, status: result.status, flags: result.flags.map((f) => f.code) },
        'claim decided',
      );
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
  private async read(input: ClaimInput, progress: ReadProgress): Promise<ReadClaim> {
    const parsedForm = ClaimForm.safeParse(input.form ?? {});
    if (input.invalid || !parsedForm.success) {
      const problems = input.invalid ? [input.invalid] : parsedForm.error!.issues.map((i) => `${i.path.join('.') || 'form'}: ${i.message}`);
      const formClaimId = parsedForm.success ? parsedForm.data.claimId : undefined;
      return {
        kind: 'rejected',
        input,
        documentHash: null,
        claimId: formClaimId ?? `form:${sha256(JSON.stringify(input.form ?? null) + (input.invalid ?? ''))}`,
        flag: flag('INVALID_FORM_DATA', `The claim form is malformed: ${problems.join('; ')}.`, { problems }),
      };
    }
    const form = normaliseForm(parsedForm.data, { country: this.ports.defaultCountry, today: this.ports.today() });
    const documents: Array<DocumentEvidence & { file: string }> = [];
    const stages: StageOutput[] = [];
    let bytes: Uint8Array | null = null;
    try {
      for (const [position, document] of input.documents.entries()) {
        bytes = await document.load();
        const reading = await this.readOne(bytes, progress);
        documents.push({ document: position, file: document.file, ...reading });
        stages.push(
          stageOutput.intake(reading.doc, position),
          stageOutput.read(reading, position),
          stageOutput.extract(reading.text, reading.extraction, position),
          stageOutput.signals(reading, position),
        );
      }
    } catch (error) {
      const documentHash = documents[0]?.doc.sha256 ?? (bytes ? sha256(bytes) : null);
      return {
        kind: 'rejected',
        input,
        documentHash,
        claimId: parsedForm.data.claimId ?? documentHash ?? `file:${input.file}`,
        flag: refusalFlag(refusalOf(error, input.documents[documents.length]?.file ?? input.file, this.ports.logger)),
      };
    }
    return { kind: 'read', input, form, claimId: claimIdFor(parsedForm.data, documents[0]?.doc.sha256 ?? null), documents, stages };
  }

  /** One document read, its decodes counted against the pixel budget and the OCR pool's pacing told. */
  private async readOne(bytes: Uint8Array, progress: ReadProgress): Promise<DocumentReading> {
    // An image's pixel count, known once intake has read its header; PDF pages are rendered at a
    // fixed width and are not counted.
    let imagePixels = 0;
    return readDocument(bytes, this.ports, async (stage, work) => {
      const decodesImage = imagePixels > 0 && (stage === 'normalise' || stage === 'signals');
      const output = await (decodesImage ? this.pixelBudget.run(imagePixels, () => this.timed(stage, work)) : this.timed(stage, work));
      if (stage === 'intake') {
        const { pixels } = output as IntakeDocument;
        imagePixels = pixels ? pixels.width * pixels.height : 0;
      }
      if (stage === 'normalise') progress.prepared();
      if (stage === 'read') progress.read();
      return output;
    });
  }

  /** The ordered part: compares with earlier claims, decides, and stores the decision. */
  private async decide(read: ReadClaim): Promise<ClaimResult> {
    const { seq } = await this.ports.claims.reserve(read.claimId, read.input.file);
    if (read.kind === 'rejected') {
      return (await rejectClaim({ claimId: read.claimId, file: read.input.file, documentHash: read.documentHash }, read.flag, this.ports))
        .result;
    }
    const { form, documents } = read;
    await this.ports.claims.recordDocuments(
      read.claimId,
      documents.map((d) => ({ position: d.document, sha256: d.doc.sha256, receiptKey: null, file: d.file, by: 'cli' as const })),
    );
    return (
      await decideClaim({ claimId: read.claimId, seq, file: read.input.file, form, documents }, this.ports, {
        stages: read.stages,
      })
    ).result;
  }
}
