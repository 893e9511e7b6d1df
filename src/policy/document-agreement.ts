import { flag, type Flag } from '../domain/flags.js';
import type { Disagreement } from '../extract/merge-documents.js';
import type { Policy } from './policy-schema.js';

const FIELD_WORDS: Record<Disagreement['field'], string> = {
  purchaseDate: 'purchase date',
  serial: 'serial number',
  imei: 'IMEI',
  model: 'model',
};

/**
 * DOCUMENTS_DISAGREE for each field the claim's documents show differently: every document's value
 * and the text it was read from, so a reviewer sees what the merge had to choose between. Raised
 * under every table (a silent pick is never right); the rule is named where the table has it.
 */
export function disagreementFlags(disagreements: Disagreement[], policy: Policy): Flag[] {
  const check = policy.checks.documentsDisagree;
  return disagreements.map((d) =>
    flag(
      'DOCUMENTS_DISAGREE',
      `The claim's documents show different ${FIELD_WORDS[d.field]}s: ` +
        `${d.values.map((v) => `document ${v.document + 1} shows ${v.value}${v.source ? ` ("${v.source}")` : ''}`).join(', ')}.`,
      {
        rule: check?.id ?? null,
        clause: check?.source ?? null,
        policyVersion: policy.version,
        field: d.field,
        values: d.values,
      },
    ),
  );
}
