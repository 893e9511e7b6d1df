import type { Heatmap } from '../../domain/fraud.js';
import { EMPTY_FIELD, FIELD_NAMES, type FieldName } from '../../domain/extraction.js';
import type { ClaimResult, Warranty } from '../../domain/result.js';
import type { Assessment, ClaimDetail, FieldView, FlagView, HeatRegion, Highlight, ReceiptPage } from '../../domain/review.js';
import type { TextLayer } from '../../domain/text-layer.js';
import { comparableModel, comparableSerial } from '../../domain/identifiers.js';
import { boxOnOriginal } from '../../imaging/box-mapping.js';
import { shownPage } from '../../documents/document-pages.js';
import type { IntakeDocument } from '../../intake/intake.js';
import type { ClaimsRepository } from '../../store/claims-repository.js';
import type { CustomerRequestsRepository } from '../../store/customer-requests-repository.js';
import type { ReviewableClaim, ReviewRepository } from '../../store/review-repository.js';
import type { UserAccount } from '../../store/users-repository.js';
import { explainFlag } from '../flag-explanations.js';
import { heatRegions, offersHeatMap, printAreaOf } from './heat-regions.js';
import type { PageRenderer } from './page-renderer.js';
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
    const [doc, read, signals, history, customerRequest] = await Promise.all([
      this.renderer.document(claim),
      this.ports.claims.stageOutput(claimId, 'read'),
      this.ports.claims.stageOutput(claimId, 'signals'),
      this.ports.claims.history(claimId),
      claim.status === 'awaiting_customer' ? this.ports.requests.open(claimId) : null,
    ]);
    const text = read?.output ?? null;
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
          highlight: receipt.location ? await this.highlight(claim, doc, text, receipt.location) : null,
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
      pages: pagesOf(claimId, doc),
      refusal: claim.status === 'rejected_input' ? (result?.flags[0]?.message ?? null) : null,
      fields,
      assessment: await this.assessment(claim, doc, text, {
        status: result?.status ?? claim.status,
        warranty: result?.warranty ?? null,
        flags: result?.flags ?? [],
        policyVersion: result?.policyVersion ?? '',
      }),
      heat: offersHeatMap(result?.flags ?? []) ? await this.shownHeatRegions(claim, doc, text, signals?.output.heatmap ?? null) : [],
      history: history.map((h) => ({ kind: h.kind, at: h.at, data: h.data })),
      customerRequest,
    };
  }

  /** A decision with its flags explained, each with its place on the receipt and the earlier claim it points at. */
  async assessment(claim: ReviewableClaim, doc: IntakeDocument | null, text: TextLayer | null, decision: Decision): Promise<Assessment> {
    const flags = await Promise.all(
      decision.flags.map(async (flag): Promise<FlagView> => {
        const { location, ...explained } = explainFlag(flag, text);
        // A mismatch points at the receipt's value it was compared with.
        const place = location ?? (explained.mismatch && claim.result?.fields[explained.mismatch.field].location) ?? null;
        const earlier = explained.earlierClaimId ? await this.ports.reviews.claim(explained.earlierClaimId) : null;
        const earlierDoc = earlier ? ((await this.ports.claims.stageOutput(earlier.claimId, 'intake'))?.output ?? null) : null;
        return {
          ...explained,
          highlight: place ? await this.highlight(claim, doc, text, place) : null,
          earlierClaim: earlier
            ? { claimId: earlier.claimId, requestNumber: earlier.requestNumber, pages: pagesOf(earlier.claimId, earlierDoc) }
            : null,
        };
      }),
    );
    return { status: decision.status, warranty: decision.warranty, flags, policyVersion: decision.policyVersion };
  }

  private async shownHeatRegions(
    claim: ReviewableClaim,
    doc: IntakeDocument | null,
    text: TextLayer | null,
    heatmap: Heatmap | null,
  ): Promise<HeatRegion[]> {
    const printArea = heatmap && printAreaOf(text, heatmap.page);
    if (!heatmap || !printArea) return [];
    const regions = await Promise.all(
      heatRegions(heatmap, printArea).map(async ({ box, level, cells }) => {
        const shown = await this.highlight(claim, doc, text, { page: heatmap.page, box });
        return shown ? [{ ...shown, level, cells }] : [];
      }),
    );
    return regions.flat();
  }

  /**
   * A box on the normalised page the OCR read, mapped onto the page as the reviewer sees it (the
   * original photo, or the PDF page rendered at the OCR's render width). A PDF text-layer page's
   * boxes are on the page as drawn already; one read before its words were placed has none.
   */
  private async highlight(
    claim: ReviewableClaim,
    doc: IntakeDocument | null,
    text: TextLayer | null,
    location: Highlight,
  ): Promise<Highlight | null> {
    const readPage = text?.pages.find((p) => p.number === location.page);
    if (!doc || !claim.receiptKey || !readPage || readPage.width === 0) return null;
    if (readPage.source === 'pdf-text') return { page: location.page, box: location.box };
    const geometry = await this.renderer.geometry(claim.receiptKey, doc, location.page);
    return geometry && { page: location.page, box: boxOnOriginal(location.box, geometry, readPage) };
  }
}

/** The receipt's pages, each with its address and the width its highlights are measured in. */
function pagesOf(claimId: string, doc: IntakeDocument | null): ReceiptPage[] {
  if (!doc) return [];
  return Array.from({ length: doc.pageCount }, (_, i) => ({
    number: i + 1,
    url: `/review/api/claims/${encodeURIComponent(claimId)}/pages/${i + 1}`,
    coordinateWidth: shownPage(doc, i + 1).width,
  }));
}

/** Form and receipt disagree after the comparison normalisation the policy uses (O/0, S/5, case, separators). */
export function disagrees(name: FieldName, typed: string | null, read: string | null): boolean {
  if (typed === null || read === null) return false;
  if (name === 'serial' || name === 'imei') return comparableSerial(typed) !== comparableSerial(read);
  if (name === 'model') return comparableModel(typed) !== comparableModel(read);
  return typed !== read;
}
