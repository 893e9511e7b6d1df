import { LRUCache } from 'lru-cache';
import { InputRejectedError } from '../../errors/input-rejected-error.js';
import { ReviewError } from '../../errors/review-errors.js';
import { normalisationGeometry, type NormalisationGeometry } from '../../imaging/normalise.js';
import { shownPage } from '../../documents/document-pages.js';
import { intakeDocument, receiptType, type IntakeDocument } from '../../intake/intake.js';
import { SNIFF_BYTES } from '../../intake/sniff.js';
import type { ReceiptStorage } from '../../storage/receipt-storage.js';
import type { ClaimsRepository } from '../../store/claims-repository.js';
import type { ReviewableClaim, ReviewRepository } from '../../store/review-repository.js';
import { reviewableClaim } from './reviewable-claims.js';

/**
 * Bytes of drawn PDF pages kept for re-opening. A page drawn 1500 px wide is some 300 KB of PNG from
 * a text PDF, some 800 KB from a scan (samples/): 64 MiB keeps the pages of the claims a few
 * reviewers have open, as the former 64 entries did, but bounded whatever the pages weigh. A page
 * larger than the whole budget is drawn each time it is asked for.
 */
export const RENDER_CACHE_BYTES = 64 * 1024 * 1024;

/** Page geometries kept: a few hundred bytes each, but each costs a decode of the page to make. */
const GEOMETRY_ENTRIES = 2048;

export interface PageRendererPorts {
  reviews: ReviewRepository;
  claims: ClaimsRepository;
  receipts: Pick<ReceiptStorage, 'get'>;
  maxPixels: number;
}

/**
 * A receipt's pages as the reviewer sees them: the original photo or scan as uploaded, or a PDF page
 * drawn to PNG at the reading width; and each page's normalisation geometry, to map the OCR's boxes
 * onto it. Drawn pages and geometries are cached by receipt and page, so opening a claim twice (or
 * its page and its highlights) decodes once.
 */
export class PageRenderer {
  private readonly pdfPages: MadeOnce<Buffer>;
  private readonly geometries = new MadeOnce<NormalisationGeometry>(new LRUCache({ max: GEOMETRY_ENTRIES }));

  constructor(
    private readonly ports: PageRendererPorts,
    cacheBytes = RENDER_CACHE_BYTES,
  ) {
    this.pdfPages = new MadeOnce(
      new LRUCache<string, Buffer>({ maxSize: cacheBytes, sizeCalculation: (png) => Math.max(1, png.byteLength) }),
    );
  }

  /**
   * A page as an image: the original photo or scan as uploaded, or a PDF page rendered to PNG.
   * `number` counts the claim's pages across its documents (see documents).
   */
  async image(claimId: string, number: number): Promise<{ bytes: Buffer; mediaType: string }> {
    const claim = await reviewableClaim(this.ports.reviews, claimId);
    const shown = (await this.documents(claim)).find((d) => number >= d.firstPage && number < d.firstPage + d.doc.pageCount);
    if (!shown?.receiptKey) throw new ReviewError(404, 'NO_RECEIPT_PAGE', `Claim ${claim.requestNumber} has no receipt page ${number}.`);
    const page = number - shown.firstPage + 1;
    return { bytes: await this.pageImage(shown.receiptKey, shown.doc, page), mediaType: shownPage(shown.doc, page).mediaType };
  }

  /**
   * The claim's documents as the workbench shows them, in the order they came: each with where it is
   * stored and the number of its first page among the claim's pages (the documents' pages one after
   * another), and, of a claim with several, a label saying which it is and when it came.
   */
  async documents(claim: ReviewableClaim): Promise<ShownDocument[]> {
    const [first, recorded, intakes] = await Promise.all([
      this.document(claim),
      this.ports.claims.documents(claim.claimId),
      this.ports.claims.documentOutputs(claim.claimId, 'intake'),
    ]);
    // A claim refused at the door may have no document recorded: its upload is still shown.
    const documents = recorded.length > 0 ? recorded : [{ position: 0, receiptKey: claim.receiptKey, addedAt: claim.receivedAt }];
    const shown: ShownDocument[] = [];
    let firstPage = 1;
    for (const d of documents) {
      const doc = d.position === 0 ? first : (intakes.get(d.position)?.output ?? null);
      if (!doc) continue;
      const label =
        documents.length === 1
          ? null
          : `Document ${d.position + 1} of ${documents.length}, ${d.position === 0 ? 'sent with the claim' : 'added'} ${shownDate(d.addedAt)}` +
            (d.position === 0 ? '' : ' by the customer');
      shown.push({ position: d.position, doc, receiptKey: d.receiptKey ?? (d.position === 0 ? claim.receiptKey : null), firstPage, label });
      firstPage += doc.pageCount;
    }
    return shown;
  }

  /**
   * The receipt as the door took it: its stored intake output, or, for a photo refused after the
   * door (too dark, no contrast: nothing of it was stored), the stored upload taken in again, so
   * the reviewer still sees what the customer sent. A refused PDF is not opened here: inspecting one
   * belongs off the API's event loop (PdfInspectionPool), and the refusal says why it was refused.
   */
  async document(claim: ReviewableClaim): Promise<IntakeDocument | null> {
    const stored = (await this.ports.claims.stageOutput(claim.claimId, 'intake'))?.output;
    if (stored) return stored;
    if (claim.status !== 'rejected_input' || !claim.receiptKey) return null;
    const bytes = await this.ports.receipts.get(claim.receiptKey);
    try {
      if (receiptType(bytes.subarray(0, SNIFF_BYTES)) === 'pdf') return null;
      return await intakeDocument(bytes, { maxFileBytes: bytes.byteLength, maxPixels: this.ports.maxPixels, maxPdfPages: 1 });
    } catch (error) {
      // Refused at the door itself (not an image, damaged, too many pixels): there is nothing to show.
      if (error instanceof InputRejectedError) return null;
      throw error;
    }
  }

  /**
   * How the page the OCR read was cut and turned from the page as shown; null when the page is too
   * large to draw here (stored before the door priced pages): it has no highlights, the claim still opens.
   */
  async geometry(receiptKey: string, doc: IntakeDocument, page: number): Promise<NormalisationGeometry | null> {
    return this.geometries
      .get(`${doc.sha256}:${page}`, async () => {
        return normalisationGeometry(await this.pageImage(receiptKey, doc, page), this.ports.maxPixels);
      })
      .catch((error: unknown) => {
        if (error instanceof ReviewError && error.code === 'PAGE_TOO_LARGE') return null;
        throw error;
      });
  }

  /**
   * A page as the OCR saw it before normalising: the upload itself, or a PDF page drawn at the
   * reading width (kept in the cache). A page whose drawing would exceed the pixel limit (stored
   * before the door priced pages) is refused before a canvas is made.
   */
  private pageImage(receiptKey: string, doc: IntakeDocument, number: number): Promise<Buffer> {
    const shown = shownPage(doc, number);
    const image = async () => {
      try {
        return await shown.image(await this.ports.receipts.get(receiptKey), this.ports.maxPixels);
      } catch (error) {
        if (error instanceof InputRejectedError)
          throw new ReviewError(422, 'PAGE_TOO_LARGE', `${error.message} Open the receipt file instead.`);
        throw error;
      }
    };
    return shown.drawn ? this.pdfPages.get(`${doc.sha256}:${number}`, image) : image();
  }
}

/** One of a claim's documents as the workbench shows it. */
export interface ShownDocument {
  /** Its place among the claim's documents: 0 is the first upload. */
  position: number;
  doc: IntakeDocument;
  receiptKey: string | null;
  /** The number of its first page among all the claim's pages. */
  firstPage: number;
  /** "Document 2 of 2, added 30 Nov 2026 by the customer"; null for a claim with one document. */
  label: string | null;
}

const shownDate = (iso: string) =>
  new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** Values made once per key: kept in an LRU cache once made, and shared by every caller while being made. */
class MadeOnce<V extends object> {
  private readonly making = new Map<string, Promise<V>>();

  constructor(private readonly cache: LRUCache<string, V>) {}

  get(key: string, make: () => Promise<V>): Promise<V> {
    const kept = this.cache.get(key);
    if (kept !== undefined) return Promise.resolve(kept);
    let made = this.making.get(key);
    if (!made) {
      made = make()
        .then((value) => {
          // A value over the cache's whole size is not kept (lru-cache's maxEntrySize defaults to maxSize).
          this.cache.set(key, value);
          return value;
        })
        .finally(() => this.making.delete(key));
      this.making.set(key, made);
    }
    return made;
  }
}
