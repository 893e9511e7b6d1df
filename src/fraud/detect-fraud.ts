import type { NormalisedForm } from '../domain/assessment.js';
import type { Extraction } from '../domain/extraction.js';
import { flag, type Flag } from '../domain/flags.js';
import type {
  ClaimIdentifier,
  DocumentEvidence,
  DocumentSignals,
  EarlierClaim,
  FieldForensics,
  FingerprintCandidate,
  FingerprintEntry,
} from '../domain/fraud.js';
import type { FraudPolicy, Policy } from '../policy/policy-schema.js';
import { documentIdentifiers, duplicateFlags } from './duplicates.js';
import { numberSignals } from './number-checks.js';
import { blockingKeys, matchReceipt, receiptFingerprint, type ReceiptMatch } from './receipt-match.js';
import { dateConsistencySignals, metadataSignals } from './tamper-signals.js';
import { unavailableCheckFlags } from './unavailable-checks.js';

export interface FraudInput {
  /** The claim's arrival order: only claims before it count as earlier. */
  seq: number;
  claimId: string;
  form: NormalisedForm;
  /** The claim's documents in order, each with its own reading and signals. */
  documents: DocumentEvidence[];
  /** What the documents show together (mergeDocuments); null when none was read. */
  extraction: Extraction | null;
  policy: Policy;
  claims: EarlierClaimsLookup;
  fingerprints: FingerprintLookup;
}

/** Claims that arrived before `seq` holding any of these identifiers (the claims store). */
export interface EarlierClaimsLookup {
  findEarlier(seq: number, identifiers: ClaimIdentifier[]): Promise<EarlierClaim[]>;
}

/** Earlier claims' receipt fingerprints sharing a blocking key, at most `limit` (the fingerprint store). */
export interface FingerprintLookup {
  candidates(seq: number, blocks: string[], limit: number): Promise<FingerprintCandidate[]>;
}

export interface FraudOutcome {
  flags: Flag[];
  identifiers: ClaimIdentifier[];
  /** What later claims are compared with (null: nothing to compare), stored with the decision. */
  fingerprint: FingerprintEntry | null;
}

/**
 * The decide step's part of fraud detection: duplicates against earlier claims and every tamper
 * signal, judged against the policy's thresholds, as flags whose evidence names the signal, its
 * score, the threshold, the policy version and where on the page.
 */
export async function detectFraud(input: FraudInput): Promise<FraudOutcome> {
  const { form, documents, extraction, policy } = input;
  const identifiers = documentIdentifiers(documents, form, extraction);
  const fraud = policy.fraud;
  // The receipt later claims are compared with: the first document read with its signals.
  const receipt = documents.find((d) => d.extraction && d.signals);
  const fingerprint = fraud && receipt ? receiptFingerprint(receipt.extraction!, receipt.signals!) : null;
  const blocks = fingerprint ? blockingKeys(fingerprint) : [];

  // Both look-ups at once: on a PostgreSQL pool they run side by side.
  const [found, candidates] = await Promise.all([
    input.claims.findEarlier(input.seq, identifiers),
    fraud && fingerprint ? input.fingerprints.candidates(input.seq, blocks, fraud.duplicateReceipt.maxCandidates) : [],
  ]);
  // Under a policy with fingerprints, an exact content key alone no longer proves a reused receipt.
  const earlier = fraud && fingerprint ? found.filter((e) => e.kind !== 'receipt_content') : found;
  const match: ReceiptMatch | null = fraud && fingerprint ? matchReceipt(fingerprint, candidates, fraud.duplicateReceipt) : null;
  const flags = duplicateFlags(earlier);
  if (match && fraud && !flags.some((f) => f.code === 'DUPLICATE_RECEIPT')) flags.unshift(reusedReceiptFlag(match, fraud, policy.version));
  // An unconfirmed match says less than a serial claimed twice: that flag stays.
  if (match && match.confirmedBy !== 'unconfirmed') dropSerialFlagOf(flags, match.candidate.claimId);

  // Of a claim with several documents, each tamper flag names the document it was found on.
  const named = (document: number, found: Flag[]) =>
    documents.length > 1 ? found.map((f) => ({ ...f, evidence: { ...f.evidence, document } })) : found;
  for (const evidence of documents) flags.push(...named(evidence.document, fileFlags(evidence, policy)));
  if (fraud) flags.push(...numberSignals(form, extraction, policy, fraud));
  for (const evidence of documents) flags.push(...named(evidence.document, pageFlags(evidence, policy)));

  return {
    flags,
    identifiers,
    fingerprint: fingerprint ? { fingerprint, blocks } : null,
  };
}

/** What a document's file and its printed dates say: an editor's traces, dates that contradict the purchase date. */
function fileFlags({ doc, extraction }: DocumentEvidence, policy: Policy): Flag[] {
  const tamper = [
    ...metadataSignals(doc.metadata, doc.type),
    ...(extraction ? dateConsistencySignals(extraction, policy.checks.receiptDates) : []),
  ];
  return tamper.map((f) => ({ ...f, evidence: { score: 1, threshold: 1, policyVersion: policy.version, ...f.evidence } }));
}

/** What a document's pages say, judged by the policy: pixels around key fields, a PDF's rendering, checks that could not run. */
function pageFlags({ signals }: DocumentEvidence, policy: Policy): Flag[] {
  const fraud = policy.fraud;
  if (!signals) return [];
  return [
    ...(fraud ? [...pixelFlags(signals, fraud, policy.version), ...renderFlags(signals, fraud, policy.version)] : []),
    ...unavailableCheckFlags(signals, policy),
  ];
}

/** A reused receipt repeats its serial: one flag naming the earlier claim says it better than two. */
function dropSerialFlagOf(flags: Flag[], claimId: string): void {
  const at = flags.findIndex((f) => f.code === 'DUPLICATE_SERIAL' && f.evidence.earlierClaimId === claimId);
  if (at >= 0) flags.splice(at, 1);
}

/** How the flag's message says what tied the receipts beyond the fields. */
function confirmation(match: ReceiptMatch): string {
  const { held, judged } = match.numbersHeld;
  switch (match.confirmedBy) {
    case 'numbers':
      return `${Math.round(100 * match.numberOverlap)}% of its numbers are the same`;
    case 'unit':
      return `the same unit is printed on both (${Math.round(100 * match.numberOverlap)}% of the numbers are the same)`;
    case 'numbers_held':
      return `${held} of the ${judged} numbers of its sparser reading are on the other too`;
    case 'unconfirmed':
      return `the readings hold too few numbers to confirm it is the same slip or rule it out`;
  }
}

function reusedReceiptFlag(match: ReceiptMatch, fraud: FraudPolicy, policyVersion: string): Flag {
  const rule = fraud.duplicateReceipt;
  const { candidate } = match;
  const image = match.imageDistance === null ? '' : `, image hash distance ${match.imageDistance.toFixed(2)}`;
  const byHeld = match.confirmedBy === 'numbers_held';
  const looks = match.confirmedBy === 'unconfirmed' ? 'may be' : 'looks like';
  return flag(
    'DUPLICATE_RECEIPT',
    `This receipt ${looks} the one behind claim ${candidate.claimId} (request ${candidate.requestNumber}): ` +
      `${match.fieldsAgreeing.join(', ')} agree, ${confirmation(match)}${image}.`,
    {
      signal: 'reused_receipt',
      rule: rule.id,
      clause: rule.source,
      policyVersion,
      earlierClaimId: candidate.claimId,
      earlierRequestNumber: candidate.requestNumber,
      earlierFile: candidate.file,
      match: 'receipt_fingerprint',
      score: byHeld ? match.numbersHeld.held / match.numbersHeld.judged : match.numberOverlap,
      threshold: byHeld ? rule.minNumbersHeld! : rule.minNumberOverlap,
      confirmedBy: match.confirmedBy,
      numberOverlap: match.numberOverlap,
      numbersHeld: match.numbersHeld,
      fieldAgreement: match.fieldAgreement,
      minFieldAgreement: rule.minFieldAgreement,
      fieldsAgreeing: match.fieldsAgreeing,
      fieldsCompared: match.fieldsCompared,
      imageDistance: match.imageDistance,
    },
  );
}

const PIXEL_SIGNALS = [
  {
    key: 'errorLevel',
    signal: 'error_level',
    says: 'was compressed differently from the rest of the JPEG (error level',
    unit: '× the other words',
  },
  {
    key: 'background',
    signal: 'background',
    says: 'sits on paper of another shade or texture than around it (deviation',
    unit: ' noise units',
  },
  { key: 'glyphGeometry', signal: 'glyph_geometry', says: 'is printed in another size or off its line (deviation', unit: '' },
] as const satisfies ReadonlyArray<{ key: keyof FraudPolicy & keyof FieldForensics; signal: string; says: string; unit: string }>;

function pixelFlags(signals: DocumentSignals, fraud: FraudPolicy, policyVersion: string): Flag[] {
  const flags: Flag[] = [];
  for (const f of signals.fields) {
    const crossed = PIXEL_SIGNALS.filter((s) => f[s.key] !== null && f[s.key]! >= fraud[s.key].threshold);
    for (const s of crossed) {
      const score = f[s.key]!;
      const rule = fraud[s.key];
      if (rule.corroborate && crossed.length < 2) continue;
      flags.push(
        flag('POSSIBLE_TAMPERING', `The receipt's ${f.field} ${s.says} ${score}${s.unit}, threshold ${rule.threshold}).`, {
          signal: s.signal,
          rule: rule.id,
          clause: rule.source,
          policyVersion,
          field: f.field,
          score,
          threshold: rule.threshold,
          page: f.page,
          box: f.box,
          heatmap: signals.heatmap?.page === f.page ? signals.heatmap : null,
        }),
      );
    }
  }
  return flags;
}

function renderFlags(signals: DocumentSignals, fraud: FraudPolicy, policyVersion: string): Flag[] {
  const hidden = signals.renderChecks.filter((c) => !c.visible);
  if (hidden.length === 0) return [];
  const rule = fraud.pdfTextRender;
  return [
    flag(
      'POSSIBLE_TAMPERING',
      `The PDF's text layer holds ${hidden.map((c) => `${c.field} "${c.textLayer}"`).join(', ')}, which its rendered page does not show.`,
      {
        signal: 'pdf_text_not_rendered',
        rule: rule.id,
        clause: rule.source,
        policyVersion,
        score: hidden.length / signals.renderChecks.length,
        threshold: 0,
        hidden,
        checked: signals.renderChecks.length,
      },
    ),
  ];
}
