import type { AssessInput, Decision, NormalisedForm } from '../domain/assessment.js';
import type { Extraction, FieldName } from '../domain/extraction.js';
import { type Flag, FLAG_SEVERITY, flag } from '../domain/flags.js';
import type { ClaimStatus, Warranty } from '../domain/result.js';
import { checkImei, comparableModel, comparableSerial, compactCode, describeImeiProblem } from '../domain/identifiers.js';
import { addMonthsClamped, isIsoDate } from './calendar.js';
import { type ConfidenceCalibration, confidenceCalibration } from './confidence-calibration.js';
import type { Family, Policy, ReceiptItem } from './policy-schema.js';
import { familyOfModel } from './product-family.js';
import { reconcileSerial } from './serial-lookalikes.js';

/**
 * The decision for one claim under one policy table (warranty-rules.md §4). Pure: everything it
 * needs is in the input and the table, so a batch can re-run old claims under a new policy.
 */
export function assess(input: AssessInput, policy: Policy): Decision {
  const { form } = input;
  const product = identifyProduct(form, input.extraction, policy);
  const flags: Flag[] = [...form.flags, ...input.signals];
  if (!product.family) flags.push(unknownProductFlag(product, policy));

  if (!input.extraction) {
    flags.push(noReceiptFlag(form, policy));
    return decision(flags, null, policy);
  }
  // Calibration changes confidences only, never values: the product is the same either way.
  const calibration = policy.confidenceCalibration ? confidenceCalibration(policy.confidenceCalibration) : null;
  const read = calibration ? calibration.calibrate(input.extraction) : input.extraction;
  const reconciliation = reconcileSerial(form, read, product.family, policy);
  const extraction = reconciliation ? { ...read, serial: reconciliation.serial } : read;
  if (reconciliation) flags.push(reconciliation.flag);

  const purchaseDate = receiptPurchaseDate(extraction);
  const missingItems = missingItemFlags(extraction, product.family, policy);
  const unreadIdentifiers = missingItems.some((f) => f.code === 'MISSING_SERIAL') ? [] : unreadIdentifierFlags(form, extraction, policy);
  const unreadModel = missingItems.some((f) => f.code === 'MISSING_MODEL') ? [] : unreadModelFlags(form, extraction, policy);
  const lowConfidence = lowConfidenceFlags(extraction, form, product, policy, calibration && { calibration, raw: input.extraction });
  const sharperPhoto = smallPrintFlag(extraction, missingItems, [...unreadIdentifiers, ...unreadModel, ...lowConfidence], policy);
  // Print too small to read says why the readings are unsure, and what would help: it stands for them.
  flags.push(
    ...missingItems,
    ...serialConsistencyFlags(form, extraction, policy),
    ...(sharperPhoto ? [] : unreadIdentifiers),
    ...modelConsistencyFlags(form, extraction, policy),
    ...(sharperPhoto ? [] : unreadModel),
    ...dateConsistencyFlags(form, extraction, purchaseDate, policy),
    ...receiptImeiFlags(extraction, policy),
    ...(sharperPhoto ? [sharperPhoto] : lowConfidence),
  );
  if (purchaseDate !== null && purchaseDate > form.claimDate) flags.push(futureDateFlag(purchaseDate, form, policy));

  let warranty: Warranty | null = null;
  if (product.family && product.model !== null) {
    // Without a readable purchase date no expiry can be proven (MISSING_PURCHASE_DATE sends the claim
    // to review), but the family and period are still known and shown.
    const period = warrantyPeriod(product.family, product.model, extraction, form.country);
    const expires = purchaseDate === null ? null : addMonthsClamped(purchaseDate, period.rule.months);
    warranty = {
      family: product.family.id,
      months: period.rule.months,
      expires,
      rule: `${period.rule.id}: ${period.rule.source}`,
    };
    if (purchaseDate !== null && expires !== null && form.claimDate > expires) {
      flags.push(expiredFlag(period, purchaseDate, expires, form.claimDate));
    }
    flags.push(...coverageFlags(product.family, product.model, form.country, policy));
  }
  return decision(flags, warranty, policy, fieldsReadOtherwise(extraction, reconciliation !== null, calibration !== null));
}

/** What the decision read otherwise than the extraction: every field when calibrated, else a reconciled serial. */
function fieldsReadOtherwise(extraction: Extraction, reconciled: boolean, calibrated: boolean): Decision['reconciledFields'] {
  if (calibrated) {
    const { purchaseDate, retailer, model, serial, imei } = extraction;
    return { purchaseDate, retailer, model, serial, imei };
  }
  return reconciled ? { serial: extraction.serial } : undefined;
}

/** Precedence (§4): a review flag beats a refusal, a refusal beats eligibility; notes don't count. */
export function decideStatus(flags: readonly Flag[]): ClaimStatus {
  const severities = new Set(flags.map((f) => FLAG_SEVERITY[f.code]));
  if (severities.has('rejection')) return 'rejected_input';
  if (severities.has('review')) return 'needs_review';
  if (severities.has('refusal')) return 'not_eligible';
  return 'eligible';
}

function decision(flags: Flag[], warranty: Warranty | null, policy: Policy, reconciledFields?: Decision['reconciledFields']): Decision {
  return { status: decideStatus(flags), warranty, flags, policyVersion: policy.version, ...(reconciledFields && { reconciledFields }) };
}

// ---------------------------------------------------------------------------------------------
// Product family

export interface Product {
  model: string | null;
  modelSource: 'receipt' | 'form' | null;
  family: Family | null;
}

/** The receipt's model code decides the family; the form's is the fallback when the receipt has none. */
export function identifyProduct(form: NormalisedForm, extraction: Extraction | null, policy: Policy): Product {
  const receiptModel = extraction?.model.value ?? null;
  const model = receiptModel ?? form.model;
  if (model === null) return { model, modelSource: null, family: null };
  const code = comparableModel(model);
  return {
    model: code,
    modelSource: receiptModel !== null ? 'receipt' : 'form',
    family: familyOfModel(code, policy),
  };
}

function unknownProductFlag(product: Product, policy: Policy): Flag {
  const check = policy.checks.unknownProduct;
  const message =
    product.model === null
      ? 'Neither the receipt nor the form gives a model code, so the product family is unknown.'
      : `Model code ${product.model} (from the ${product.modelSource}) matches no product family of policy ${policy.version}.`;
  return flag('UNKNOWN_PRODUCT', message, {
    rule: check.id,
    clause: check.source,
    model: product.model,
    modelSource: product.modelSource,
  });
}

// ---------------------------------------------------------------------------------------------
// What the receipt must show

function noReceiptFlag(form: NormalisedForm, policy: Policy): Flag {
  const check = policy.checks.noReceipt;
  return flag(
    'MISSING_PURCHASE_DATE',
    'No receipt was uploaded, so the purchase date cannot be proven; a reviewer must check the purchase.',
    { rule: check.id, clause: check.source, receipt: null, formPurchaseDate: form.purchaseDate },
  );
}

const ITEM_FLAG = {
  purchaseDate: 'MISSING_PURCHASE_DATE',
  retailer: 'MISSING_RETAILER',
  model: 'MISSING_MODEL',
  serialOrImei: 'MISSING_SERIAL',
  serial: 'MISSING_SERIAL',
} as const satisfies Record<ReceiptItem, Flag['code']>;

const ITEM_LABEL: Record<ReceiptItem, string> = {
  purchaseDate: 'a readable purchase date',
  retailer: "the retailer's name",
  model: 'the model designation',
  serialOrImei: 'the serial number or IMEI',
  serial: 'the serial number',
};

/** The receipt's purchase date, when it is a real ISO date. */
function receiptPurchaseDate(extraction: Extraction): string | null {
  const value = extraction.purchaseDate.value;
  return value !== null && isIsoDate(value) ? value : null;
}

function receiptShows(item: ReceiptItem, extraction: Extraction): boolean {
  switch (item) {
    case 'purchaseDate':
      return receiptPurchaseDate(extraction) !== null;
    case 'serialOrImei':
      return extraction.serial.value !== null || extraction.imei.value !== null;
    default:
      return extraction[item].value !== null;
  }
}

function requiredItems(family: Family | null, policy: Policy): ReceiptItem[] {
  return family ? family.requiredOnReceipt : policy.checks.unknownProduct.requiredOnReceipt;
}

function missingItemFlags(extraction: Extraction, family: Family | null, policy: Policy): Flag[] {
  const check = policy.checks.requiredItems;
  const products = family ? family.label : 'a product of unknown family';
  return requiredItems(family, policy)
    .filter((item) => !receiptShows(item, extraction))
    .map((item) =>
      flag(ITEM_FLAG[item], `The receipt does not show ${ITEM_LABEL[item]}, which it must for ${products}.`, {
        rule: check.id,
        clause: check.source,
        family: family?.id ?? null,
        item,
        ...(item === 'purchaseDate' && { readAs: extraction.purchaseDate.value }),
      }),
    );
}

// ---------------------------------------------------------------------------------------------
// Form vs receipt

type IdentifierKind = 'serial' | 'imei';
interface Identifier {
  kind: IdentifierKind;
  value: string;
}

/** The numbers the customer typed; a 15-digit "serial" is an IMEI typed into the serial field. */
function formIdentifiers(form: NormalisedForm): Identifier[] {
  const ids: Identifier[] = [];
  if (form.imei !== null) ids.push({ kind: 'imei', value: form.imei });
  if (form.serial !== null && form.serial !== form.imei) {
    ids.push({ kind: /^\d{15}$/.test(form.serial) ? 'imei' : 'serial', value: form.serial });
  }
  return ids;
}

function receiptIdentifiers(extraction: Extraction): Identifier[] {
  const ids: Identifier[] = [];
  if (extraction.serial.value !== null) ids.push({ kind: 'serial', value: extraction.serial.value });
  if (extraction.imei.value !== null) ids.push({ kind: 'imei', value: extraction.imei.value });
  return ids;
}

/**
 * Each typed number must match the receipt's number of the same kind; when the receipt shows only
 * the other kind, it must match that (else nothing ties the claimed unit to this receipt).
 * A receipt without any number is MISSING_SERIAL's business, not a mismatch.
 */
function serialConsistencyFlags(form: NormalisedForm, extraction: Extraction, policy: Policy): Flag[] {
  const check = policy.checks.serialConsistency;
  const onReceipt = receiptIdentifiers(extraction);
  if (onReceipt.length === 0) return [];
  return formIdentifiers(form).flatMap((typed) => {
    const sameKind = onReceipt.filter((r) => r.kind === typed.kind);
    const candidates = sameKind.length > 0 ? sameKind : onReceipt;
    if (candidates.some((r) => comparableSerial(r.value) === comparableSerial(typed.value))) return [];
    const shown = candidates.map(describeIdentifier).join(' / ');
    return [
      flag(
        'SERIAL_MISMATCH',
        `The ${describeIdentifier(typed)} on the form does not match the ${shown} on the receipt ` +
          '(compared upper-case, without separators, O read as 0 and S as 5).',
        {
          rule: check.id,
          clause: check.source,
          form: typed,
          receipt: candidates,
          compared: { form: comparableSerial(typed.value), receipt: candidates.map((r) => comparableSerial(r.value)) },
        },
      ),
    ];
  });
}

/**
 * The receipt prints a serial or IMEI label whose number could not be read: the number typed on the
 * form cannot be compared with it, so the comparison did not run and must not count as passed.
 * Only under tables that have the rule (2026.5 on).
 */
function unreadIdentifierFlags(form: NormalisedForm, extraction: Extraction, policy: Policy): Flag[] {
  const check = policy.checks.unreadIdentifier;
  const unread = extraction.facts.unreadIdentifiers ?? [];
  const typed = formIdentifiers(form);
  if (!check || unread.length === 0 || typed.length === 0 || receiptIdentifiers(extraction).length > 0) return [];
  const printed = unread[0]!;
  return [
    flag(
      'LOW_CONFIDENCE',
      `The receipt prints ${printed.kind === 'imei' ? 'an IMEI' : 'a serial number'} ("${printed.source}") that could not be read, ` +
        `so the ${typed.map(describeIdentifier).join(' and ')} on the form cannot be checked against it; a reviewer should read it on the document.`,
      {
        rule: check.id,
        clause: check.source,
        field: printed.kind,
        value: null,
        source: printed.source,
        location: printed.location ?? null,
        form: typed,
      },
    ),
  ];
}

function describeIdentifier(id: Identifier): string {
  return `${id.kind === 'imei' ? 'IMEI' : 'serial'} ${id.value}`;
}

/**
 * The receipt prints a model label whose code could not be read: the model typed on the form cannot
 * be compared with it, so the comparison did not run and must not count as passed, even for a
 * family that needs no model on the receipt. Only under tables that have the rule (2026.7 on).
 */
function unreadModelFlags(form: NormalisedForm, extraction: Extraction, policy: Policy): Flag[] {
  const check = policy.checks.unreadModel;
  const printed = extraction.facts.unreadModel;
  if (!check || !printed || form.model === null || extraction.model.value !== null) return [];
  return [
    flag(
      'LOW_CONFIDENCE',
      `The receipt prints a model ("${printed.source}") that could not be read, so the model ${form.model} on the form ` +
        'cannot be checked against it; a reviewer should read it on the document.',
      {
        rule: check.id,
        clause: check.source,
        field: 'model',
        value: null,
        source: printed.source,
        location: printed.location ?? null,
        form: form.model,
      },
    ),
  ];
}

function modelConsistencyFlags(form: NormalisedForm, extraction: Extraction, policy: Policy): Flag[] {
  const receiptModel = extraction.model.value;
  if (form.model === null || receiptModel === null) return [];
  if (comparableModel(form.model) === comparableModel(receiptModel)) return [];
  const check = policy.checks.modelConsistency;
  return [
    flag('MODEL_MISMATCH', `The form gives model ${form.model}, the receipt shows ${receiptModel}.`, {
      rule: check.id,
      clause: check.source,
      form: form.model,
      receipt: receiptModel,
    }),
  ];
}

function dateConsistencyFlags(form: NormalisedForm, extraction: Extraction, purchaseDate: string | null, policy: Policy): Flag[] {
  if (form.purchaseDate === null || purchaseDate === null || form.purchaseDate === purchaseDate) return [];
  const check = policy.checks.dateConsistency;
  // Customers often type the delivery or return-by date: say so when the receipt shows it.
  const sameAsOtherDate = extraction.facts.otherDates.find((d) => d.value === form.purchaseDate);
  const hint = sameAsOtherDate ? ` (the receipt shows ${form.purchaseDate} as its ${sameAsOtherDate.role} date)` : '';
  return [
    flag('DATE_MISMATCH', `The form gives purchase date ${form.purchaseDate}, the receipt shows ${purchaseDate}${hint}.`, {
      rule: check.id,
      clause: check.source,
      form: form.purchaseDate,
      receipt: purchaseDate,
      formDateOnReceiptAs: sameAsOtherDate?.role ?? null,
    }),
  ];
}

function receiptImeiFlags(extraction: Extraction, policy: Policy): Flag[] {
  if (extraction.imei.value === null) return [];
  const imei = compactCode(extraction.imei.value);
  const problem = checkImei(imei);
  if (!problem) return [];
  const check = policy.checks.imeiCheckDigit;
  return [
    flag('INVALID_IMEI', describeImeiProblem(imei, problem, 'on the receipt'), {
      rule: check.id,
      clause: check.source,
      imei,
      where: 'on the receipt',
      ...problem,
    }),
  ];
}

// ---------------------------------------------------------------------------------------------
// Confidence

/**
 * The receipt fields this decision rests on: the purchase date (expiry), the receipt's model
 * (family, coverage), the family's required items, and the retailer when it decides an extension.
 * A number that is only compared with the form is left out: a match at low confidence corroborates,
 * a mismatch is flagged anyway.
 */
function fieldsReliedOn(extraction: Extraction, product: Product, policy: Policy): Set<FieldName> {
  const fields = new Set<FieldName>(['purchaseDate']);
  if (product.modelSource === 'receipt') fields.add('model');
  for (const item of requiredItems(product.family, policy)) {
    if (item === 'serialOrImei') {
      fields.add('serial');
      fields.add('imei');
    } else {
      fields.add(item);
    }
  }
  if (product.family?.extension && extraction.facts.extendedWarranty) fields.add('retailer');
  return fields;
}

/**
 * A doubtful reading that equals what the customer typed is confirmed by an independent source:
 * an OCR error that happens to produce exactly the form's value is far less likely than a right read.
 */
function confirmedByForm(name: FieldName, value: string, form: NormalisedForm): boolean {
  switch (name) {
    case 'serial':
    case 'imei':
      return [form.serial, form.imei].some((typed) => typed !== null && comparableSerial(typed) === comparableSerial(value));
    case 'model':
      return form.model !== null && comparableModel(form.model) === comparableModel(value);
    case 'purchaseDate':
      return form.purchaseDate === value;
    default:
      return false;
  }
}

/**
 * `calibrated`: the table's calibration and the extraction as read, whose raw scores the flag shows
 * beside the probabilities for the reviewer.
 */
function lowConfidenceFlags(
  extraction: Extraction,
  form: NormalisedForm,
  product: Product,
  policy: Policy,
  calibrated: { calibration: ConfidenceCalibration; raw: Extraction } | null,
): Flag[] {
  const check = policy.checks.lowConfidence;
  return [...fieldsReliedOn(extraction, product, policy)].flatMap((name) => {
    const field = extraction[name];
    const threshold = check.minConfidence[name];
    if (field.value === null || field.confidence >= threshold || confirmedByForm(name, field.value, form)) return [];
    const rawConfidence = calibrated?.raw[name].confidence;
    const meaning = calibrated
      ? ` (the probability that such a reading is right, by calibration ${calibrated.calibration.version}, from the extractor's score ${rawConfidence!.toFixed(2)})`
      : '';
    return [
      flag(
        'LOW_CONFIDENCE',
        `The receipt's ${name} was read as "${field.value}" with confidence ${field.confidence.toFixed(2)}${meaning}, ` +
          `below ${threshold}; a reviewer should confirm it against the document.`,
        {
          rule: check.id,
          clause: check.source,
          field: name,
          value: field.value,
          source: field.source,
          confidence: field.confidence,
          threshold,
          ...(calibrated && { rawConfidence, calibration: calibrated.calibration.version }),
        },
      ),
    ];
  });
}

/**
 * Fields the decision rests on that could not be read surely, on a receipt printed smaller in the
 * customer's picture than the OCR reads reliably: what the picture does not resolve no reading can
 * recover, so the customer is asked for a sharper photo. It replaces the LOW_CONFIDENCE flags of
 * those fields; MISSING_* flags stay beside it, since the receipt may simply not print the item and
 * the reviewer (and the request pre-ticked) must still see which item is missing. Only under tables
 * that have the rule (2026.7 on), on OCR'd documents whose print was measured.
 */
function smallPrintFlag(extraction: Extraction, missingItems: Flag[], unsureReadings: Flag[], policy: Policy): Flag | null {
  const check = policy.checks.smallPrint;
  const size = extraction.facts.textSize;
  if (!check || !size || size.xHeight >= check.minCoreHeight) return null;
  const unsure = unsureReadings.map((f) => f.evidence.field).filter((field): field is FieldName => typeof field === 'string');
  // A missing serial-or-IMEI is the serial field's, as the flags of unsure readings name it.
  const missing = missingItems.map((f) => (f.evidence.item === 'serialOrImei' ? 'serial' : (f.evidence.item as FieldName)));
  const fields = [...new Set([...missing, ...unsure])];
  if (fields.length === 0) return null;
  return flag(
    'SHARPER_PHOTO_NEEDED',
    `The receipt's print is only ${size.xHeight} px high in the picture, smaller than the ${check.minCoreHeight} px OCR reads reliably, ` +
      `so its ${fields.join(', ')} could not be read with certainty; please send a sharper photo, taken closer, with the receipt filling the picture.`,
    {
      rule: check.id,
      clause: check.source,
      fields,
      coreHeight: size.xHeight,
      lineHeight: size.lineHeight,
      threshold: check.minCoreHeight,
      page: size.page,
      // What a reviewer would have seen without it: the unsure readings it stands for.
      readings: unsureReadings.map((f) => ({
        field: f.evidence.field,
        value: f.evidence.value ?? null,
        confidence: f.evidence.confidence ?? null,
      })),
    },
  );
}

// ---------------------------------------------------------------------------------------------
// Period and coverage

interface PeriodChoice {
  rule: { id: string; months: number; source: string };
  /** Why an extension the receipt shows was not applied, for the reviewer. */
  extensionNotApplied: string | null;
}

/** The extension when all its conditions hold, else a model-specific period, else the family's. */
function warrantyPeriod(family: Family, model: string, extraction: Extraction, country: string): PeriodChoice {
  const standard = family.periodVariants.find((v) => matches(v.modelPattern, model)) ?? family.period;
  const extension = family.extension;
  if (!extension || !extraction.facts.extendedWarranty) return { rule: standard, extensionNotApplied: null };

  const retailer = extraction.retailer.value;
  const problems = [
    ...(retailer !== null && extension.retailerPatterns.some((p) => matches(p, retailer))
      ? []
      : [`the retailer ${retailer ?? '(not on the receipt)'} is not the manufacturer's own shop`]),
    ...(extension.claimCountries.includes(country)
      ? []
      : [`the claim is made in ${country}, not in ${extension.claimCountries.join('/')}`]),
  ];
  return problems.length === 0
    ? { rule: extension, extensionNotApplied: null }
    : { rule: standard, extensionNotApplied: `extension ${extension.id} not applied: ${problems.join('; ')}` };
}

function expiredFlag(period: PeriodChoice, purchaseDate: string, expires: string, claimDate: string): Flag {
  const { rule } = period;
  const note = period.extensionNotApplied ? ` (${period.extensionNotApplied})` : '';
  return flag(
    'WARRANTY_EXPIRED',
    `The ${rule.months}-month warranty from ${purchaseDate} ended on ${expires}; the claim is dated ${claimDate}${note}.`,
    {
      rule: rule.id,
      clause: rule.source,
      purchaseDate,
      months: rule.months,
      expires,
      claimDate,
      extensionNotApplied: period.extensionNotApplied,
    },
  );
}

function futureDateFlag(purchaseDate: string, form: NormalisedForm, policy: Policy): Flag {
  const check = policy.checks.futureDate;
  return flag('FUTURE_DATE', `The receipt's purchase date ${purchaseDate} is after the claim date ${form.claimDate}.`, {
    rule: check.id,
    clause: check.source,
    purchaseDate,
    claimDate: form.claimDate,
  });
}

function coverageFlags(family: Family, model: string, country: string, policy: Policy): Flag[] {
  return policy.coverage
    .filter((rule) => rule.family === family.id)
    .flatMap((rule) => {
      const evidence = { rule: rule.id, clause: rule.source };
      if (rule.kind === 'modelSuffix') {
        if (rule.suffixes.some((s) => model.endsWith(s.toUpperCase()))) return [];
        return [
          flag(rule.flag, `Model ${model} does not end in ${rule.suffixes.join(', ')}: not covered by these terms.`, {
            ...evidence,
            model,
            allowedSuffixes: rule.suffixes,
          }),
        ];
      }
      if (rule.countries.includes(country)) return [];
      return [
        flag(rule.flag, `Claims for ${family.label} made in ${country} are not covered by these terms.`, {
          ...evidence,
          country,
          coveredCountries: rule.countries,
        }),
      ];
    });
}

function matches(pattern: string, text: string): boolean {
  return new RegExp(pattern, 'i').test(text);
}
