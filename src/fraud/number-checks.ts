import type { NormalisedForm } from '../domain/assessment.js';
import type { Extraction } from '../domain/extraction.js';
import { flag, type Flag } from '../domain/flags.js';
import { compactCode } from '../domain/identifiers.js';
import { identifyProduct } from '../policy/assess.js';
import type { FraudPolicy, Policy } from '../policy/policy-schema.js';

/**
 * Numbers that do not add up for the product they claim to be: a serial of another family's length
 * (on the form or the receipt), or a purchase date before the model was on sale.
 */
export function numberSignals(form: NormalisedForm, extraction: Extraction | null, policy: Policy, fraud: FraudPolicy): Flag[] {
  const product = identifyProduct(form, extraction, policy);
  const flags: Flag[] = [];
  if (product.family) {
    const rule = fraud.serialFormat;
    const allowed = rule.lengthsByFamily[product.family.id] ?? rule.otherFamilies;
    const serials = [
      { where: 'on the form', value: form.serial },
      { where: 'on the receipt', value: extraction?.serial.value ?? null },
    ];
    for (const { where, value } of serials) {
      if (value === null) continue;
      const serial = compactCode(value);
      // A 15-digit number is an IMEI typed or printed as the serial: the IMEI check judges it.
      if (allowed.includes(serial.length) || /^\d{15}$/.test(serial)) continue;
      flags.push(
        flag(
          'INVALID_SERIAL_FORMAT',
          `The serial ${serial} ${where} has ${serial.length} characters; ${product.family.label} serials have ${allowed.join(' or ')}.`,
          {
            signal: 'serial_format_for_family',
            rule: rule.id,
            clause: rule.source,
            policyVersion: policy.version,
            family: product.family.id,
            serial,
            where,
            score: serial.length,
            threshold: allowed,
          },
        ),
      );
    }
  }
  const purchase = extraction?.purchaseDate.value;
  const release =
    product.model && purchase ? fraud.modelReleases.models.find((m) => new RegExp(m.modelPattern, 'i').test(product.model!)) : undefined;
  if (release && purchase! < release.notSoldBefore) {
    const rule = fraud.modelReleases;
    flags.push(
      flag(
        'POSSIBLE_TAMPERING',
        `The receipt dates the purchase ${purchase}, before model ${product.model} was on sale (${release.note}; not before ${release.notSoldBefore}).`,
        {
          signal: 'sold_before_release',
          rule: rule.id,
          clause: rule.source,
          policyVersion: policy.version,
          model: product.model,
          purchaseDate: purchase,
          score: purchase,
          threshold: release.notSoldBefore,
          note: release.note,
          page: extraction?.purchaseDate.location?.page ?? null,
          box: extraction?.purchaseDate.location?.box ?? null,
        },
      ),
    );
  }
  return flags;
}
