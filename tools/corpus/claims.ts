import { PRODUCTS, warrantyMonths, type Product } from './catalogue.js';
import { addDays, type PrintedFacts } from './content.js';
import { imeiNumber, serialNumber, withLetterLookAlike, withOtherCharacter, withWrongCheckDigit } from './identifiers.js';
import type { FontRole, LayoutName } from './layouts.js';
import { SeededRandom } from '../lib/random.js';
import { FONT_FAMILIES } from './render.js';
import { RETAILERS, type Retailer } from './retailers.js';
import { addMonths, claimIdentifiers, expectedOutcome, type ClaimForm, type Expected } from './truth.js';

/** How the proof of purchase reached the claim: the figures are reported per kind. */
export const DOCUMENT_KINDS = ['pdf_text', 'scan', 'pdf_scan', 'photo', 'messenger_photo', 'fax', 'screenshot'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

const KIND_WEIGHTS: Record<DocumentKind, number> = {
  pdf_text: 16,
  scan: 13,
  pdf_scan: 15,
  photo: 22,
  messenger_photo: 15,
  fax: 8,
  screenshot: 11,
};
const KIND_LAYOUTS: Record<DocumentKind, LayoutName[]> = {
  pdf_text: ['invoice', 'order', 'email'],
  scan: ['slip', 'invoice'],
  pdf_scan: ['slip', 'invoice'],
  photo: ['slip', 'invoice'],
  messenger_photo: ['slip', 'invoice'],
  fax: ['invoice', 'slip'],
  screenshot: ['app', 'email', 'order'],
};

export const SCENARIO_WEIGHTS = {
  clean: 51,
  serial_o0_s5: 4,
  expired: 9,
  region_not_covered: 4,
  product_not_covered: 2,
  tv_ext_samsung_shop: 2,
  tv_ext_other_retailer: 2,
  missing_serial: 4,
  missing_model: 2,
  missing_purchase_date: 2,
  serial_mismatch: 4,
  model_mismatch: 2,
  date_mismatch: 3,
  invalid_imei: 2,
  future_date: 2,
  duplicate_receipt: 3,
  duplicate_serial: 2,
} as const;
export type Scenario = keyof typeof SCENARIO_WEIGHTS;

/** One claim of the corpus before anything is drawn: the form, what the receipt shows, the expected decision. */
export interface ClaimPlan {
  index: number;
  claimId: string;
  scenario: Scenario;
  product: Product;
  retailer: Retailer;
  city: string;
  unit: { serial: string | null; imei: string | null };
  facts: PrintedFacts;
  form: ClaimForm;
  kind: DocumentKind;
  layout: LayoutName;
  fontRole: FontRole;
  fontFamily: string;
  /** The claim whose receipt content this one shows (itself, unless it re-uses an earlier receipt). */
  contentOf: number;
  /** For a re-used receipt: upload the earlier file byte for byte rather than a new picture of it. */
  sameBytes: boolean;
  duplicateOf?: string;
  duplicateSerialOf?: string;
  expected: Expected;
}

const FIRST_CLAIM_DATE = Date.UTC(2025, 0, 6);
const CLAIM_SPAN_DAYS = 660;
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const monthsBefore = (date: string, months: number) => addMonths(date, -months);

function randomDateBetween(rng: SeededRandom, from: string, to: string): string {
  const a = Date.parse(from);
  const b = Date.parse(to);
  return iso(a + Math.floor(rng.float() * Math.max(1, (b - a) / DAY)) * DAY);
}

/** The purchase date a scenario calls for, before the claim date (or after it, for a future date). */
function purchaseDateFor(rng: SeededRandom, scenario: Scenario, product: Product, claimDate: string): string {
  const months = warrantyMonths(product, false);
  switch (scenario) {
    case 'expired':
      // Monitors: past 37 months, clear of the 24–36 month window some models have.
      return product.family === 'monitor'
        ? randomDateBetween(rng, monthsBefore(claimDate, 50), monthsBefore(claimDate, 37))
        : randomDateBetween(rng, monthsBefore(claimDate, months + 14), monthsBefore(claimDate, months + 1));
    case 'tv_ext_samsung_shop':
    case 'tv_ext_other_retailer':
      return randomDateBetween(rng, monthsBefore(claimDate, 54), monthsBefore(claimDate, 26));
    case 'future_date':
      return addDays(claimDate, rng.int(3, 40));
    default: {
      const longest = product.family === 'monitor' ? 22 : Math.min(months, 40) - 1;
      return randomDateBetween(rng, monthsBefore(claimDate, longest), addDays(claimDate, -10));
    }
  }
}

function productsFor(scenario: Scenario): Product[] {
  const covered = PRODUCTS.filter((p) => p.coverage === 'covered');
  switch (scenario) {
    case 'expired':
      return covered.filter((p) => warrantyMonths(p, false) === 24);
    case 'region_not_covered':
      return PRODUCTS.filter((p) => p.coverage === 'region');
    case 'product_not_covered':
      return PRODUCTS.filter((p) => p.coverage === 'product');
    case 'tv_ext_samsung_shop':
    case 'tv_ext_other_retailer':
      return covered.filter((p) => p.family === 'tv');
    case 'missing_serial':
      return covered.filter((p) => ['phone', 'tablet', 'wearable', 'notebook', 'ssd'].includes(p.family));
    case 'missing_model':
      return covered.filter((p) => ['phone', 'tablet', 'wearable', 'notebook', 'memory_card', 'usb'].includes(p.family));
    case 'serial_o0_s5':
    case 'serial_mismatch':
      return covered.filter((p) => p.unit !== 'none');
    case 'invalid_imei':
      return covered.filter((p) => p.unit === 'imei');
    default:
      return covered;
  }
}

function retailersFor(scenario: Scenario, layouts: LayoutName[]): Retailer[] {
  const channelFits = (r: Retailer) =>
    layouts.some((l) => r.channels.includes(l === 'slip' ? 'store' : 'online') || (l === 'invoice' && r.channels.length > 0));
  if (scenario === 'tv_ext_samsung_shop') return RETAILERS.filter((r) => r.manufacturerShop);
  const others = RETAILERS.filter((r) => channelFits(r) && !r.manufacturerShop);
  // The extension counts only for claims made in Germany: the other-retailer case is a German TV.
  return scenario === 'tv_ext_other_retailer' ? others.filter((r) => r.country === 'DE') : others;
}

function layoutFor(rng: SeededRandom, kind: DocumentKind, retailer: Retailer, scenario: Scenario): LayoutName {
  let layouts = KIND_LAYOUTS[kind].filter((l) =>
    l === 'slip' ? retailer.channels.includes('store') : l === 'invoice' || retailer.channels.includes('online'),
  );
  // A receipt without any date is a till slip or an invoice; a web order always dates itself.
  if (scenario === 'missing_purchase_date') layouts = layouts.filter((l) => l === 'slip' || l === 'invoice');
  return rng.pick(layouts.length ? layouts : ['invoice']);
}

function fontFor(rng: SeededRandom, layout: LayoutName): FontRole {
  if (layout === 'slip') return 'mono';
  if (layout === 'invoice') return rng.weighted({ sans: 70, serif: 15, mono: 15 });
  return 'sans';
}

/** What the receipt prints about the unit: the numbers its family usually shows, less what the scenario removes. */
function printedFacts(
  rng: SeededRandom,
  scenario: Scenario,
  product: Product,
  unit: ClaimPlan['unit'],
  purchaseDate: string,
): PrintedFacts {
  const showsNumbers = scenario !== 'missing_serial';
  let serial: string | null = null;
  let imei: string | null = null;
  if (showsNumbers) {
    if (product.unit === 'imei') {
      imei = ['serial_o0_s5', 'serial_mismatch', 'invalid_imei'].includes(scenario) || rng.chance(0.85) ? unit.imei : null;
      serial = !imei || scenario === 'serial_o0_s5' || rng.chance(0.25) ? unit.serial : null;
    } else if (product.unit !== 'none') {
      const required = ['phone', 'tablet', 'wearable', 'notebook', 'ssd'].includes(product.family);
      serial =
        required || ['serial_o0_s5', 'serial_mismatch', 'duplicate_serial'].includes(scenario) || rng.chance(0.6) ? unit.serial : null;
    }
  }
  return {
    purchaseDate: scenario === 'missing_purchase_date' ? null : purchaseDate,
    model: scenario === 'missing_model' ? null : product.model,
    serial,
    imei,
    extension: scenario === 'tv_ext_samsung_shop',
  };
}

/** The form as the customer fills it: the unit's number, often the model and date, sometimes with the scenario's error. */
function formFor(
  rng: SeededRandom,
  plan: Pick<ClaimPlan, 'scenario' | 'product' | 'unit' | 'facts' | 'retailer'>,
  claimDate: string,
  purchaseDate: string,
): ClaimForm {
  const { scenario, product, unit, facts } = plan;
  const form: ClaimForm = { country: plan.retailer.country, claimDate };
  if (product.unit === 'imei' && unit.imei && (scenario !== 'serial_o0_s5' || !facts.serial) && rng.chance(0.8)) form.imei = unit.imei;
  else if (unit.serial) form.serial = unit.serial;
  if (scenario === 'missing_model' || rng.chance(0.7)) form.model = product.model;
  if (!['tv_ext_samsung_shop', 'missing_purchase_date'].includes(scenario) && rng.chance(0.75)) form.purchaseDate = purchaseDate;
  switch (scenario) {
    case 'serial_o0_s5':
      if (form.serial) form.serial = withLetterLookAlike(rng, form.serial) ?? form.serial;
      break;
    case 'serial_mismatch':
      if (form.imei) form.imei = facts.imei ? imeiNumber(rng) : form.imei;
      else if (form.serial && facts.serial) form.serial = withOtherCharacter(rng, form.serial);
      break;
    case 'invalid_imei':
      form.imei = withWrongCheckDigit(unit.imei!);
      delete form.serial;
      break;
    case 'model_mismatch': {
      const sibling = PRODUCTS.filter((p) => p.family === product.family && p.model !== product.model && p.coverage === 'covered');
      if (sibling.length) form.model = rng.pick(sibling).model;
      break;
    }
    case 'date_mismatch':
      form.purchaseDate = addDays(purchaseDate, rng.pick([-1, 1]) * rng.int(2, 60));
      break;
    default:
      break;
  }
  return form;
}

function unitFor(rng: SeededRandom, product: Product, purchaseDate: string): ClaimPlan['unit'] {
  const made = addDays(purchaseDate, -rng.int(20, 200));
  if (product.unit === 'none') return { serial: null, imei: null };
  return { serial: serialNumber(rng, product.family, made), imei: product.unit === 'imei' ? imeiNumber(rng) : null };
}

const pickKind = (rng: SeededRandom) => rng.weighted(KIND_WEIGHTS);

/** Plans `count` claims from `seed`: dates in order, scenarios and documents drawn per claim. */
export function planClaims(seed: number, count: number): ClaimPlan[] {
  const plans: ClaimPlan[] = [];
  const identifiers = new Map<string, string>();
  for (let index = 0; index < count; index++) {
    const rng = SeededRandom.forClaim(seed, index, 'plan');
    const claimDate = iso(FIRST_CLAIM_DATE + Math.floor((index * CLAIM_SPAN_DAYS) / count) * DAY);
    const claimId = `CORPUS-${seed}-${String(index + 1).padStart(4, '0')}`;
    let scenario: Scenario = rng.weighted(SCENARIO_WEIGHTS);
    const plan =
      (scenario === 'duplicate_receipt' && reusedReceipt(rng, plans, index, claimId, claimDate)) ||
      (scenario === 'duplicate_serial' && repeatedUnit(rng, plans, index, claimId, claimDate)) ||
      null;
    if (!plan && (scenario === 'duplicate_receipt' || scenario === 'duplicate_serial')) scenario = 'clean';
    const planned = plan ?? freshClaim(rng, index, claimId, scenario, claimDate);
    planned.expected = expectedOutcome({
      product: planned.product,
      retailer: planned.retailer,
      facts: planned.facts,
      form: planned.form,
      receiptOf: planned.duplicateOf,
      earlier: { identifiers },
    });
    for (const id of claimIdentifiers(planned.form, planned.facts)) if (!identifiers.has(id)) identifiers.set(id, claimId);
    plans.push(planned);
  }
  return plans;
}

function freshClaim(rng: SeededRandom, index: number, claimId: string, scenario: Scenario, claimDate: string): ClaimPlan {
  let kind = pickKind(rng);
  if (scenario === 'missing_purchase_date' && kind === 'screenshot') kind = 'photo';
  // Pick the date first, then a product already on sale by then.
  const candidates = productsFor(scenario);
  let product = rng.pick(candidates);
  let purchaseDate = purchaseDateFor(rng, scenario, product, claimDate);
  for (let tries = 0; addDays(product.released, 7) > purchaseDate && tries < 50; tries++) {
    product = rng.pick(candidates);
    purchaseDate = purchaseDateFor(rng, scenario, product, claimDate);
  }
  if (addDays(product.released, 7) > purchaseDate) throw new Error(`no ${scenario} product on sale before ${purchaseDate}`);
  const retailer = rng.pick(retailersFor(scenario, KIND_LAYOUTS[kind]));
  const layout = layoutFor(rng, kind, retailer, scenario);
  let unit = unitFor(rng, product, purchaseDate);
  // The look-alike case needs a 0 or 5 in the serial the customer types.
  for (let tries = 0; scenario === 'serial_o0_s5' && !/[05]/.test(unit.serial ?? '') && tries < 20; tries++)
    unit = unitFor(rng, product, purchaseDate);
  const facts = printedFacts(rng, scenario, product, unit, purchaseDate);
  const form = formFor(rng, { scenario, product, unit, facts, retailer }, claimDate, purchaseDate);
  const fontRole = fontFor(rng, layout);
  return {
    index,
    claimId,
    scenario,
    product,
    retailer,
    city: rng.pick(retailer.cities),
    unit,
    facts,
    form,
    kind,
    layout,
    fontRole,
    fontFamily: rng.pick(FONT_FAMILIES[fontRole]),
    contentOf: index,
    sameBytes: false,
    expected: { status: 'eligible', flags: [], warranty: null, rules: [] },
  };
}

/** Someone else's receipt for this claim: the same document, uploaded again or photographed anew. */
function reusedReceipt(rng: SeededRandom, plans: ClaimPlan[], index: number, claimId: string, claimDate: string): ClaimPlan | null {
  const sources = plans.filter(
    (p) => p.scenario === 'clean' && p.facts.purchaseDate && p.expected.warranty && p.expected.warranty.expires > claimDate,
  );
  if (sources.length === 0) return null;
  const source = rng.pick(sources);
  const sameBytes = rng.chance(0.4);
  const kind: DocumentKind = sameBytes
    ? source.kind
    : source.layout === 'slip' || source.layout === 'invoice'
      ? rng.pick(['photo', 'messenger_photo', 'scan'] as const)
      : 'screenshot';
  const unit = unitFor(rng, source.product, source.facts.purchaseDate!);
  const form: ClaimForm = {
    country: source.form.country,
    claimDate,
    model: source.product.model,
    purchaseDate: source.facts.purchaseDate!,
  };
  if (unit.imei) form.imei = unit.imei;
  else if (unit.serial) form.serial = unit.serial;
  return {
    ...source,
    index,
    claimId,
    scenario: 'duplicate_receipt',
    unit,
    form,
    kind,
    contentOf: source.contentOf,
    sameBytes,
    duplicateOf: source.claimId,
    duplicateSerialOf: undefined,
  };
}

/** A unit an earlier claim already claimed, now on another receipt from another shop. */
function repeatedUnit(rng: SeededRandom, plans: ClaimPlan[], index: number, claimId: string, claimDate: string): ClaimPlan | null {
  const sources = plans.filter(
    (p) =>
      p.scenario === 'clean' && (p.form.serial || p.form.imei) && p.facts.purchaseDate && addMonths(p.facts.purchaseDate, 20) > claimDate,
  );
  if (sources.length === 0) return null;
  const source = rng.pick(sources);
  const purchaseDate = randomDateBetween(rng, addDays(source.facts.purchaseDate!, 20), addDays(claimDate, -10));
  if (purchaseDate <= source.facts.purchaseDate!) return null;
  const kind = pickKind(rng);
  const retailer = rng.pick(retailersFor('clean', KIND_LAYOUTS[kind]).filter((r) => r.name !== source.retailer.name));
  const layout = layoutFor(rng, kind, retailer, 'clean');
  const facts: PrintedFacts = {
    purchaseDate,
    model: source.product.model,
    serial: source.unit.serial,
    imei: source.unit.imei,
    extension: false,
  };
  const form: ClaimForm = {
    ...(source.form.imei ? { imei: source.form.imei } : { serial: source.form.serial! }),
    country: retailer.country,
    claimDate,
    purchaseDate,
  };
  const fontRole = fontFor(rng, layout);
  return {
    index,
    claimId,
    scenario: 'duplicate_serial',
    product: source.product,
    retailer,
    city: rng.pick(retailer.cities),
    unit: source.unit,
    facts,
    form,
    kind,
    layout,
    fontRole,
    fontFamily: rng.pick(FONT_FAMILIES[fontRole]),
    contentOf: index,
    sameBytes: false,
    duplicateSerialOf: source.claimId,
    expected: { status: 'eligible', flags: [], warranty: null, rules: [] },
  };
}
