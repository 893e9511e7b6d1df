import { decisionSignals } from '../../pipelines/claim-stages.js';
import type { NormalisedForm } from '../domain/assessment.js';
import { ClaimForm } from '../domain/claim.js';
import { EMPTY_FIELD, FIELD_NAMES, type Extraction, type Field, type FieldName } from '../domain/extraction.js';
import type { ClaimResult, Warranty } from '../domain/result.js';
import { STATUS_AFTER_REVIEW, type FieldCorrections, type ReviewDecision } from '../domain/review.js';
import type { TextLayer } from '../domain/text-layer.js';
import { ReviewError } from '../errors/review-errors.js';
import { comparableModel, comparableSerial, compactCode } from '../extract/confusions.js';
import { boxOnOriginal } from '../imaging/box-mapping.js';
import { normalisationGeometry, type NormalisationGeometry } from '../imaging/normalise.js';
import type { IntakeDocument } from '../intake/intake.js';
import { normaliseForm } from '../intake/form.js';
import { PDF_RENDER_WIDTH, withPdfDocument } from '../ocr/pdf-document.js';
import { InputRejectedError } from '../errors/input-rejected-error.js';
import { assess } from '../policy/assess.js';
import type { Policy } from '../policy/policy-schema.js';
import type { ReceiptStorage } from '../storage/receipt-storage.js';
import type { ClaimsRepository } from '../store/claims-repository.js';
import type { DocumentSignals, Heatmap } from '../domain/fraud.js';
import type { FingerprintRepository } from '../store/fingerprint-repository.js';
import type { FieldCorrection, QueueCursor, QueueFilter, ReviewableClaim, ReviewRepository } from '../store/review-repository.js';
import type { UserAccount } from '../store/users-repository.js';
import { explainFlag, type ExplainedFlag, type Highlight } from './flag-explanations.js';

export interface ReviewPorts {
  reviews: ReviewRepository;
  claims: ClaimsRepository;
  fingerprints: FingerprintRepository;
  receipts: ReceiptStorage;
  policy: Policy;
  maxPixels: number;
  defaultCountry: string;
  slaHours: number;
  leaseSeconds: number;
}

export interface QueueItem {
  claimId: string;
  requestNumber: string;
  receivedAt: string;
  ageHours: number;
  overTarget: boolean;
  family: string | null;
  retailer: string | null;
  flags: string[];
  lease: { username: string; expiresAt: string } | null;
}

export interface ReceiptPage {
  number: number;
  url: string;
  /** Width of the page's coordinate space: highlights are in these pixels (scale by shown width / this). */
  coordinateWidth: number;
}

export interface FieldView {
  name: FieldName;
  receipt: Field;
  /** What the customer typed (normalised); null when the form has no such field or it was left empty. */
  form: string | null;
  disagrees: boolean;
  highlight: Highlight | null;
}

export interface FlagView extends Omit<ExplainedFlag, 'location'> {
  highlight: Highlight | null;
  earlierClaim: { claimId: string; requestNumber: string; pages: ReceiptPage[] } | null;
}

export interface Assessment {
  status: string;
  warranty: Warranty | null;
  flags: FlagView[];
  policyVersion: string;
}

/** A heat-map cell where the page's error level (or paper shade) stands out, on the page as the reviewer sees it. */
export interface HeatCell extends Highlight {
  /** Times the page's typical cell, 0-9. */
  level: number;
}

/**
 * Heat-map cells at least this many times the page's typical level are shown: print and paper
 * texture stay below it; a pasted or retyped patch rises above.
 */
const HOT_CELL_LEVEL = 4;

/**
 * The cells of a heat map at or above `minLevel` that lie wholly inside `printArea`, in the
 * normalised page's pixels. Outside the print the paper's edge and the table around it always
 * stand out, and tell a reviewer nothing.
 */
export function hotCells(
  heatmap: Heatmap,
  printArea: Highlight['box'],
  minLevel = HOT_CELL_LEVEL,
): Array<{ box: Highlight['box']; level: number }> {
  const size = heatmap.cellSize;
  const [x0, y0, x1, y1] = printArea;
  return heatmap.rows.flatMap((row, r) =>
    [...row].flatMap((digit, c) => {
      const level = Number(digit);
      const box: Highlight['box'] = [c * size, r * size, (c + 1) * size, (r + 1) * size];
      const inside = box[0] >= x0 && box[1] >= y0 && box[2] <= x1 && box[3] <= y1;
      return level >= minLevel && inside ? [{ box, level }] : [];
    }),
  );
}

/** Where the page's OCR lines lie, together. */
function printAreaOf(text: TextLayer | null, page: number): Highlight['box'] | null {
  const boxes = text?.pages.find((p) => p.number === page)?.lines.flatMap((l) => (l.box ? [l.box] : [])) ?? [];
  if (boxes.length === 0) return null;
  return [
    Math.min(...boxes.map((b) => b[0])),
    Math.min(...boxes.map((b) => b[1])),
    Math.max(...boxes.map((b) => b[2])),
    Math.max(...boxes.map((b) => b[3])),
  ];
}

export interface ClaimDetail {
  claimId: string;
  requestNumber: string;
  status: string;
  receivedAt: string;
  ageHours: number;
  overTarget: boolean;
  decidedBy: string | null;
  file: string | null;
  lease: { username: string; expiresAt: string; mine: boolean } | null;
  form: Record<string, unknown>;
  pages: ReceiptPage[];
  fields: FieldView[];
  assessment: Assessment;
  /** Where the image may have been edited (the signals' heat map, hot cells only). */
  heat: HeatCell[];
  history: Array<{ kind: string; at: string; data: unknown }>;
}

/** Rendered PDF pages and page geometries, by receipt and page: opening a claim twice decodes once. */
const CACHE_ENTRIES = 64;

/**
 * The reviewer workbench's use cases: the queue, a claim with its evidence, leases, re-assessment
 * with corrected fields, and the reviewer's decision.
 */
export class ReviewService {
  private readonly cache = new Map<string, Promise<unknown>>();

  constructor(private readonly ports: ReviewPorts) {}

  async queue(filter: QueueFilter, cursor: string | undefined, limit: number): Promise<{ items: QueueItem[]; next: string | null }> {
    const rows = await this.ports.reviews.queue(filter, cursor ? decodeCursor(cursor) : null, limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((r) => ({
        claimId: r.claimId,
        requestNumber: r.requestNumber,
        receivedAt: r.receivedAt,
        ...this.age(r.receivedAt),
        family: r.family,
        retailer: r.retailer,
        flags: r.flags,
        lease: r.lease,
      })),
      next: rows.length > limit && last ? encodeCursor({ createdAt: last.createdAtText, seq: last.seq }) : null,
    };
  }

  /** Reserves a claim that needs review for this reviewer (or renews the reservation); refuses while another holds it. */
  async lease(claimId: string, user: UserAccount): Promise<{ username: string; expiresAt: string }> {
    const claim = await this.claimOf(claimId);
    if (claim.status !== 'needs_review')
      throw new ReviewError(409, 'NOT_REVIEWABLE', `Claim ${claim.requestNumber} is ${claim.status}: it no longer needs review.`);
    const lease = await this.ports.reviews.takeLease(claimId, user.id, user.username, this.ports.leaseSeconds);
    if (lease.userId !== user.id) {
      throw new ReviewError(
        409,
        'LEASE_HELD',
        `${lease.username} is reviewing claim ${claim.requestNumber} (reserved until ${lease.expiresAt.slice(11, 16)} UTC).`,
      );
    }
    return { username: lease.username, expiresAt: lease.expiresAt };
  }

  /** Gives the claim back to the queue; refused unless this reviewer holds it, so nobody frees a claim another is deciding. */
  async release(claimId: string, user: UserAccount): Promise<void> {
    const claim = await this.claimOf(claimId);
    const outcome = await this.ports.reviews.releaseLease(claimId, user.id);
    if (outcome.released) return;
    if (outcome.heldBy) {
      throw new ReviewError(409, 'LEASE_HELD', `${outcome.heldBy} is reviewing claim ${claim.requestNumber}; only they can give it back.`);
    }
    throw new ReviewError(409, 'LEASE_NOT_HELD', `You hold no reservation of claim ${claim.requestNumber}: there is nothing to give back.`);
  }

  async detail(claimId: string, user: UserAccount): Promise<ClaimDetail> {
    const claim = await this.claimOf(claimId);
    const [intake, read, signals, history] = await Promise.all([
      this.ports.claims.stageOutput<IntakeDocument>(claimId, 'intake'),
      this.ports.claims.stageOutput<TextLayer>(claimId, 'read'),
      this.ports.claims.stageOutput<DocumentSignals>(claimId, 'signals'),
      this.ports.claims.history(claimId),
    ]);
    const doc = intake?.output ?? null;
    const text = read?.output ?? null;
    const form = this.normalisedForm(claim);
    const result = claim.result;
    const fields: FieldView[] = await Promise.all(
      FIELD_NAMES.map(async (name) => {
        const receipt = result?.fields[name] ?? EMPTY_FIELD;
        const typed = name === 'retailer' ? null : form[name];
        return {
          name,
          receipt,
          form: typed,
          disagrees: disagrees(name, typed, receipt.value),
          highlight: receipt.location ? await this.highlight(claim, doc, text, receipt.location) : null,
        };
      }),
    );
    return {
      claimId,
      requestNumber: claim.requestNumber,
      status: claim.status,
      receivedAt: claim.receivedAt,
      ...this.age(claim.receivedAt),
      decidedBy: claim.decidedBy,
      file: claim.file,
      lease: claim.lease
        ? { username: claim.lease.username, expiresAt: claim.lease.expiresAt, mine: claim.lease.userId === user.id }
        : null,
      form: claim.form,
      pages: pagesOf(claimId, doc),
      fields,
      assessment: await this.assessmentView(claim, doc, text, {
        status: result?.status ?? claim.status,
        warranty: result?.warranty ?? null,
        flags: result?.flags ?? [],
        policyVersion: result?.policyVersion ?? '',
      }),
      heat: await this.heatCells(claim, doc, text, signals?.output.heatmap ?? null),
      history: history.map((h) => ({ kind: h.kind, at: h.at, data: h.data })),
    };
  }

  private async heatCells(
    claim: ReviewableClaim,
    doc: IntakeDocument | null,
    text: TextLayer | null,
    heatmap: Heatmap | null,
  ): Promise<HeatCell[]> {
    const printArea = heatmap && printAreaOf(text, heatmap.page);
    if (!heatmap || !printArea) return [];
    const cells = await Promise.all(
      hotCells(heatmap, printArea).map(async ({ box, level }) => {
        const shown = await this.highlight(claim, doc, text, { page: heatmap.page, box });
        return shown ? [{ ...shown, level }] : [];
      }),
    );
    return cells.flat();
  }

  /** The decision as it would be with these corrections: nothing is saved. */
  async preview(claimId: string, corrections: FieldCorrections): Promise<Assessment & { fields: Record<FieldName, Field> }> {
    const claim = await this.claimOf(claimId);
    const reassessed = await this.reassess(claim, corrections);
    const text = (await this.ports.claims.stageOutput<TextLayer>(claimId, 'read'))?.output ?? null;
    return { ...(await this.assessmentView(claim, reassessed.doc, text, reassessed.decision)), fields: reassessed.fields };
  }

  /** Records the reviewer's decision on the re-assessed claim: approve, reject with a reason, or ask the customer. */
  async decide(claimId: string, user: UserAccount, decision: ReviewDecision): Promise<{ status: string }> {
    const claim = await this.claimOf(claimId);
    if (claim.status !== 'needs_review' || !claim.result) {
      throw new ReviewError(409, 'NOT_REVIEWABLE', `Claim ${claim.requestNumber} is ${claim.status}: it no longer needs review.`);
    }
    const { decision: assessed, fields, corrections } = await this.reassess(claim, decision.corrections);
    const status = STATUS_AFTER_REVIEW[decision.action];
    const result: ClaimResult = {
      ...claim.result,
      fields,
      warranty: assessed.warranty,
      flags: assessed.flags,
      policyVersion: assessed.policyVersion,
      // The contract has no "waiting for the customer": such a claim still needs review.
      status: decision.action === 'approve' ? 'eligible' : decision.action === 'reject' ? 'not_eligible' : 'needs_review',
    };
    const extractVersion = (await this.ports.claims.stageOutput(claimId, 'extract'))?.stageVersion ?? null;
    const outcome = await this.ports.reviews.recordReview({
      claimId,
      userId: user.id,
      reviewer: user.username,
      status,
      action: decision.action,
      reason: 'reason' in decision ? decision.reason : null,
      note: decision.note ?? null,
      corrections,
      result,
      extractVersion,
    });
    if (outcome === 'not_reviewable') throw new ReviewError(409, 'NOT_REVIEWABLE', `Claim ${claim.requestNumber} was decided meanwhile.`);
    if (outcome === 'lease_lost') {
      throw new ReviewError(
        409,
        'LEASE_LOST',
        `Your reservation of claim ${claim.requestNumber} ran out or was taken over; open it again before deciding.`,
      );
    }
    return { status };
  }

  /** A receipt page as an image: the original photo or scan as uploaded, or a PDF page rendered to PNG. */
  async page(claimId: string, number: number): Promise<{ bytes: Buffer; mediaType: string }> {
    const claim = await this.claimOf(claimId);
    const doc = (await this.ports.claims.stageOutput<IntakeDocument>(claimId, 'intake'))?.output ?? null;
    if (!claim.receiptKey || !doc || number < 1 || number > doc.pageCount) {
      throw new ReviewError(404, 'NO_RECEIPT_PAGE', `Claim ${claim.requestNumber} has no receipt page ${number}.`);
    }
    if (doc.type !== 'pdf') return { bytes: await this.ports.receipts.get(claim.receiptKey), mediaType: doc.mediaType };
    return { bytes: await this.pdfPage(claim.receiptKey, doc.sha256, number), mediaType: 'image/png' };
  }

  private async reassess(claim: ReviewableClaim, corrections: FieldCorrections) {
    const [intake, extract, documentSignals] = await Promise.all([
      this.ports.claims.stageOutput<IntakeDocument>(claim.claimId, 'intake'),
      this.ports.claims.stageOutput<Extraction>(claim.claimId, 'extract'),
      this.ports.claims.stageOutput<DocumentSignals>(claim.claimId, 'signals'),
    ]);
    const doc = intake?.output ?? null;
    const { extraction, applied } = applyCorrections(extract?.output ?? null, corrections);
    const form = this.normalisedForm(claim);
    // Judged as the machine judges, but not recorded: a preview registers no fingerprint.
    const { signals } = await decisionSignals(
      { claimId: claim.claimId, seq: claim.seq, file: claim.file, form, doc, extraction, signals: documentSignals?.output ?? null },
      this.ports,
    );
    const decision = assess({ form, extraction, signals }, this.ports.policy);
    const read = Object.fromEntries(FIELD_NAMES.map((f) => [f, extraction?.[f] ?? EMPTY_FIELD])) as Record<FieldName, Field>;
    const fields = { ...read, ...decision.reconciledFields };
    return { doc, decision, fields, corrections: applied };
  }

  private async assessmentView(
    claim: ReviewableClaim,
    doc: IntakeDocument | null,
    text: TextLayer | null,
    decision: { status: string; warranty: Warranty | null; flags: ClaimResult['flags']; policyVersion: string },
  ): Promise<Assessment> {
    const flags = await Promise.all(
      decision.flags.map(async (flag): Promise<FlagView> => {
        const { location, ...explained } = explainFlag(flag, text);
        const earlier = explained.earlierClaimId ? await this.ports.reviews.claim(explained.earlierClaimId) : null;
        const earlierDoc = earlier
          ? ((await this.ports.claims.stageOutput<IntakeDocument>(earlier.claimId, 'intake'))?.output ?? null)
          : null;
        return {
          ...explained,
          highlight: location ? await this.highlight(claim, doc, text, location) : null,
          earlierClaim: earlier
            ? { claimId: earlier.claimId, requestNumber: earlier.requestNumber, pages: pagesOf(earlier.claimId, earlierDoc) }
            : null,
        };
      }),
    );
    return { status: decision.status, warranty: decision.warranty, flags, policyVersion: decision.policyVersion };
  }

  /**
   * A box on the normalised page the OCR read, mapped onto the page as the reviewer sees it (the
   * original photo, or the PDF page rendered at the OCR's render width). Text-layer PDF pages have
   * no boxes.
   */
  private async highlight(
    claim: ReviewableClaim,
    doc: IntakeDocument | null,
    text: TextLayer | null,
    location: { page: number; box: Highlight['box'] },
  ): Promise<Highlight | null> {
    const readPage = text?.pages.find((p) => p.number === location.page);
    if (!doc || !claim.receiptKey || !readPage || readPage.width === 0) return null;
    const geometry = await this.geometry(claim.receiptKey, doc, location.page).catch((error: unknown) => {
      // A page too large to draw here (stored before the door priced pages) has no highlights; the claim still opens.
      if (error instanceof ReviewError && error.code === 'PAGE_TOO_LARGE') return null;
      throw error;
    });
    return geometry && { page: location.page, box: boxOnOriginal(location.box, geometry, readPage) };
  }

  private geometry(receiptKey: string, doc: IntakeDocument, page: number): Promise<NormalisationGeometry> {
    return this.cached(`geometry:${doc.sha256}:${page}`, async () => {
      const bytes = doc.type === 'pdf' ? await this.pdfPage(receiptKey, doc.sha256, page) : await this.ports.receipts.get(receiptKey);
      return normalisationGeometry(bytes, this.ports.maxPixels);
    });
  }

  /**
   * A PDF page drawn at the reading width, as the OCR saw it; a page whose drawing would exceed the
   * pixel limit (stored before the door priced pages) is refused before a canvas is made.
   */
  private pdfPage(receiptKey: string, sha256: string, page: number): Promise<Buffer> {
    return this.cached(`pdf:${sha256}:${page}`, async () => {
      try {
        return await withPdfDocument(await this.ports.receipts.get(receiptKey), this.ports.maxPixels, (pdf) => pdf.renderPage(page));
      } catch (error) {
        if (error instanceof InputRejectedError)
          throw new ReviewError(422, 'PAGE_TOO_LARGE', `${error.message} Open the receipt file instead.`);
        throw error;
      }
    });
  }

  private cached<T>(key: string, make: () => Promise<T>): Promise<T> {
    const hit = this.cache.get(key) as Promise<T> | undefined;
    if (hit) {
      // Refresh its place: the map's order is the eviction order.
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const made = make();
    made.catch(() => this.cache.delete(key));
    this.cache.set(key, made);
    if (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    return made;
  }

  private async claimOf(claimId: string): Promise<ReviewableClaim> {
    const claim = await this.ports.reviews.claim(claimId);
    if (!claim) throw new ReviewError(404, 'NOT_FOUND', `No claim ${claimId}.`);
    return claim;
  }

  private normalisedForm(claim: ReviewableClaim): NormalisedForm {
    const parsed = ClaimForm.safeParse(claim.form);
    const data = parsed.success ? parsed.data : {};
    return normaliseForm(data, { country: this.ports.defaultCountry, today: data.claimDate ?? claim.receivedAt.slice(0, 10) });
  }

  private age(receivedAt: string): { ageHours: number; overTarget: boolean } {
    const ageHours = Math.max(0, (Date.now() - Date.parse(receivedAt)) / 3_600_000);
    return { ageHours: Math.round(ageHours * 10) / 10, overTarget: ageHours > this.ports.slaHours };
  }
}

function pagesOf(claimId: string, doc: IntakeDocument | null): ReceiptPage[] {
  if (!doc) return [];
  return Array.from({ length: doc.pageCount }, (_, i) => ({
    number: i + 1,
    url: `/review/api/claims/${encodeURIComponent(claimId)}/pages/${i + 1}`,
    coordinateWidth: doc.type === 'pdf' ? PDF_RENDER_WIDTH : doc.pixels!.width,
  }));
}

/** Form and receipt disagree after the comparison normalisation the policy uses (O/0, S/5, case, separators). */
function disagrees(name: FieldName, typed: string | null, read: string | null): boolean {
  if (typed === null || read === null) return false;
  if (name === 'serial' || name === 'imei') return comparableSerial(typed) !== comparableSerial(read);
  if (name === 'model') return comparableModel(typed) !== comparableModel(read);
  return typed !== read;
}

/** The extraction with the reviewer's values in place of the machine's, and which fields actually changed. */
function applyCorrections(
  extraction: Extraction | null,
  corrections: FieldCorrections,
): { extraction: Extraction | null; applied: FieldCorrection[] } {
  const entries = Object.entries(corrections) as Array<[FieldName, string | null]>;
  if (entries.length === 0) return { extraction, applied: [] };
  const corrected: Extraction = extraction
    ? structuredClone(extraction)
    : {
        purchaseDate: EMPTY_FIELD,
        retailer: EMPTY_FIELD,
        model: EMPTY_FIELD,
        serial: EMPTY_FIELD,
        imei: EMPTY_FIELD,
        facts: { extendedWarranty: false, otherDates: [] },
      };
  const applied: FieldCorrection[] = [];
  for (const [field, raw] of entries) {
    const value =
      raw === null
        ? null
        : field === 'serial' || field === 'imei'
          ? compactCode(raw)
          : field === 'model'
            ? raw.trim().toUpperCase()
            : raw.trim();
    const before = corrected[field];
    if (value === before.value) continue;
    applied.push({ field, before, after: value });
    // The reviewer read it off the receipt: certain, and still where the machine found it.
    corrected[field] = { value, confidence: 1, source: 'reviewer', location: before.location ?? null };
  }
  return { extraction: corrected, applied };
}

function encodeCursor(cursor: QueueCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.seq])).toString('base64url');
}

function decodeCursor(token: string): QueueCursor {
  try {
    const [createdAt, seq] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof createdAt === 'string' && Number.isInteger(seq)) return { createdAt, seq: seq as number };
  } catch {
    // fall through
  }
  throw new ReviewError(422, 'BAD_CURSOR', 'This page of the queue is no longer valid; start from the first page.');
}
