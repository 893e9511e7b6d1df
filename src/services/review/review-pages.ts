import type { Heatmap } from '../../domain/fraud.js';
import { EMPTY_FIELD, FIELD_NAMES, type FieldName } from '../../domain/extraction.js';
import type { ClaimResult, Warranty } from '../../domain/result.js';
import type { Assessment, ClaimDetail, FieldView, FlagView, HeatRegion, Highlight, ReceiptPage } from '../../domain/review.js';
import type { TextLayer } from '../../domain/text-layer.js';
import { comparableModel, comparableSerial } from '../../domain/identifiers.js';
import { boxOnOriginal } from '../../imaging/box-mapping.js';
import { shownPage } from '../../documents/document-pages.js';
import type { ClaimsRepository } from '../../store/claims-repository.js';
import type { CustomerRequestsRepository } from '../../store/customer-requests-repository.js';
import type { ReviewableClaim, ReviewRepository } from '../../store/review-repository.js';
import type { UserAccount } from '../../store/users-repository.js';
import { explainFlag } from '../flag-explanations.js';
import { heatRegions, offersHeatMap, printAreaOf } from './heat-regions.js';
import type { PageRenderer, ShownDocument } from './page-renderer.js';
import { claimAge, leaseSeenBy, normalisedForm, reviewableClaim } from './reviewable-claims.js';

export interface ReviewPagesPorts {
  reviews: ReviewRepository;
  claims: ClaimsRepository;
  requests: CustomerRequestsRepository;
  defaultCountry: string;
  slaHours: number;
}

/** A machine's (or a re-assessment's) decision, to be shown with its evidence. */
export type Decision = { status: string; warranty: Warranty | null; flags: ClaimResult['flags']; policyVersion: string };

/**
 * What the workbench shows of a claim: the receipt's pages, form against receipt field by field,
 * the flags explained, where the image may have been edited, and the claim's history; every box
 * mapped onto the page as the reviewer sees it.
 */
export class ReviewPages {
  constructor(
    private readonly ports: ReviewPagesPorts,
    private readonly renderer: PageRenderer,
  ) {}

  async claim(claimId: string, user: UserAccount): Promise<ClaimDetail> {
    const claim = await reviewableClaim(this.ports.reviews, claimId);
    const [documents, signals, history, customerRequest] = await Promise.all([
      this.documents(claim),
      this.ports.claims.stageOutput(claimId, 'signals'),
      this.ports.claims.history(claimId),
      this.customerRequest(claim),
    ]);
    const form = normalisedForm(claim, this.ports.defaultCountry);
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
          highlight: receipt.location ? await this.highlight(documentAt(documents, receipt.document), receipt.location) : null,
        };
      }),
    );
    return {
      claimId,
      requestNumber: claim.requestNumber,
      status: claim.status,
      receivedAt: claim.receivedAt,
      ...claimAge(claim.receivedAt, this.ports.slaHours),
      decidedBy: claim.decidedBy,
      file: claim.file,
      lease: leaseSeenBy(claim, user),
      form: claim.form,
      pages: documents.flatMap((d) => pagesOf(claimId, d)),
      refusal: claim.status === 'rejected_input' ? (result?.flags[0]?.message ?? null) : null,
      fields,
      assessment: await this.assessment(claim, documents, {
        status: result?.status ?? claim.status,
        warranty: result?.warranty ?? null,
        flags: result?.flags ?? [],
        policyVersion: result?.policyVersion ?? '',
      }),
      heat: offersHeatMap(result?.flags ?? [])
        ? await this.shownHeatRegions(documentAt(documents, 0), signals?.output.heatmap ?? null)
        : [],
      history: history.map((h) => ({ kind: h.kind, at: h.at, data: h.data })),
      customerRequest,
    };
  }

  /** The request to the customer a claim waits on, or the one the documents added since answered; null otherwise. */
  private async customerRequest(claim: ReviewableClaim): Promise<ClaimDetail['customerRequest']> {
    if (claim.status !== 'awaiting_customer' && claim.status !== 'needs_review') return null;
    const [request, documents] = await Promise.all([this.ports.requests.last(claim.claimId), this.ports.claims.documents(claim.claimId)]);
    if (!request) return null;
    const answeredBy = documents
      .filter((d) => Date.parse(d.addedAt) > Date.parse(request.askedAt))
      .map((d) => ({ document: d.position, file: d.file, addedAt: d.addedAt }));
    return claim.status === 'needs_review' && answeredBy.length === 0 ? null : { ...request, answeredBy };
  }

  /**
   * The claim's documents with what was read of each, their pages numbered one after another.
   * Shared with the preview of a re-assessment.
   */
  async documents(claim: ReviewableClaim): Promise<ReadDocument[]> {
    const [shown, reads] = await Promise.all([this.renderer.documents(claim), this.ports.claims.documentOutputs(claim.claimId, 'read')]);
    return shown.map((d) => ({ ...d, text: reads.get(d.position)?.output ?? null }));
  }

  /**
   * A decision with its flags explained, each with its place on the document it was found on
   * (evidence naming a document, else the field it was compared with) and the earlier claim it points at.
   */
  async assessment(claim: ReviewableClaim, documents: ReadDocument[], decision: Decision): Promise<Assessment> {
    const flags = await Promise.all(
      decision.flags.map(async (flag): Promise<FlagView> => {
        // A mismatch points at the receipt's value it was compared with, on the document it came from.
        // The mismatch is known without the text; the text is the document's the flag is about.
        const { mismatch } = explainFlag(flag, null);
        const compared = mismatch && claim.result ? claim.result.fields[mismatch.field] : null;
        const document = documentAt(documents, typeof flag.evidence.document === 'number' ? flag.evidence.document : compared?.document);
        const { location, ...explained } = explainFlag(flag, document?.text ?? null);
        const place = location ?? compared?.location ?? null;
        const earlier = explained.earlierClaimId ? await this.ports.reviews.claim(explained.earlierClaimId) : null;
        const earlierDoc = earlier ? ((await this.ports.claims.stageOutput(earlier.claimId, 'intake'))?.output ?? null) : null;
        return {
          ...explained,
          highlight: place ? await this.highlight(document, place) : null,
          earlierClaim: earlier
            ? {
                claimId: earlier.claimId,
                requestNumber: earlier.requestNumber,
                pages: earlierDoc ? pagesOf(earlier.claimId, { doc: earlierDoc, firstPage: 1, position: 0, label: null }) : [],
              }
            : null,
        };
      }),
    );
    return { status: decision.status, warranty: decision.warranty, flags, policyVersion: decision.policyVersion };
  }

  private async shownHeatRegions(document: ReadDocument | null, heatmap: Heatmap | null): Promise<HeatRegion[]> {
    const printArea = heatmap && printAreaOf(document?.text ?? null, heatmap.page);
    if (!heatmap || !printArea) return [];
    const regions = await Promise.all(
      heatRegions(heatmap, printArea).map(async ({ box, level, cells }) => {
        const shown = await this.highlight(document, { page: heatmap.page, box });
        return shown ? [{ ...shown, level, cells }] : [];
      }),
    );
    return regions.flat();
  }

  /**
   * A box on the normalised page the OCR read of one document, mapped onto the page as the reviewer
   * sees it (the original photo, or the PDF page rendered at the OCR's render width), numbered among
   * the claim's pages. A PDF text-layer page's boxes are on the page as drawn already; one read
   * before its words were placed has none.
   */
  private async highlight(document: ReadDocument | null, location: Highlight): Promise<Highlight | null> {
    const readPage = document?.text?.pages.find((p) => p.number === location.page);
    if (!document?.receiptKey || !readPage || readPage.width === 0) return null;
    const page = document.firstPage + location.page - 1;
    if (readPage.source === 'pdf-text') return { page, box: location.box };
    const geometry = await this.renderer.geometry(document.receiptKey, document.doc, location.page);
    return geometry && { page, box: boxOnOriginal(location.box, geometry, readPage) };
  }
}

/** One of the claim's documents with the text read from it. */
export type ReadDocument = ShownDocument & { text: TextLayer | null };

/** The document at `position` (the first when none is named); null when it was not read. */
const documentAt = (documents: ReadDocument[], position: number | undefined): ReadDocument | null =>
  documents.find((d) => d.position === (position ?? 0)) ?? null;

/** A document's pages, each with its address among the claim's pages, the width its highlights are measured in, and its label. */
function pagesOf(claimId: string, document: Pick<ShownDocument, 'doc' | 'firstPage' | 'position' | 'label'>): ReceiptPage[] {
  const { doc, firstPage, position, label } = document;
  return Array.from({ length: doc.pageCount }, (_, i) => ({
    number: firstPage + i,
    url: `/review/api/claims/${encodeURIComponent(claimId)}/pages/${firstPage + i}`,
    coordinateWidth: shownPage(doc, i + 1).width,
    ...(label !== null && { document: position, label }),
  }));
}

/** Form and receipt disagree after the comparison normalisation the policy uses (O/0, S/5, case, separators). */
export function disagrees(name: FieldName, typed: string | null, read: string | null): boolean {
  if (typed === null || read === null) return false;
  if (name === 'serial' || name === 'imei') return comparableSerial(typed) !== comparableSerial(read);
  if (name === 'model') return comparableModel(typed) !== comparableModel(read);
  return typed !== read;
}
