/** The shapes /review/api answers with (see the OpenAPI document, src/api/schemas/review.ts). */
export type Box = [number, number, number, number];
export interface Highlight {
  page: number;
  box: Box;
}
export interface HeatCell extends Highlight {
  level: number;
}
export interface ReceiptPage {
  number: number;
  url: string;
  coordinateWidth: number;
}
export interface Field {
  value: string | null;
  confidence: number;
  source: string | null;
}
export interface FieldView {
  name: string;
  receipt: Field;
  form: string | null;
  disagrees: boolean;
  highlight: Highlight | null;
}
export interface FlagView {
  code: string;
  severity: string;
  title: string;
  message: string;
  details: string[];
  evidence: Record<string, unknown>;
  highlight: Highlight | null;
  earlierClaim: { claimId: string; requestNumber: string; pages: ReceiptPage[] } | null;
  imei: { digits: string; checkDigit: number; expectedCheckDigit: number } | null;
}
export interface Assessment {
  status: string;
  warranty: { family: string; months: number; expires: string | null; rule: string } | null;
  flags: FlagView[];
  policyVersion: string;
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
  heat: HeatCell[];
  history: Array<{ kind: string; at: string; data: HistoryData | null }>;
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
export interface Facets {
  flags: Array<{ code: string; title: string }>;
  families: Array<{ id: string; label: string }>;
  retailers: string[];
  rejectReasons: Array<{ code: string; label: string }>;
  infoReasons: Array<{ code: string; label: string }>;
  slaHours: number;
}
export interface Session {
  user: { username: string; role: string };
  csrfToken: string;
}

/** What a history event carries, by kind (received, stage, decided, reviewed); absent keys are not shown. */
export interface HistoryData {
  file?: string;
  from?: string;
  to?: string;
  flags?: string[];
  corrections?: Array<{ field: string; before: string | null; after: string | null }>;
  reviewer?: string;
  action?: string;
  reason?: string;
  note?: string;
}
