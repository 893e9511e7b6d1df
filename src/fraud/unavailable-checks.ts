import { flag, type Flag } from '../domain/flags.js';
import type { DocumentSignals } from '../domain/fraud.js';
import type { Policy } from '../policy/policy-schema.js';

/** A check a decision needs, and the policy rule that judges its output (none for the file's metadata, judged under every table). */
type Requirement = { required: false } | { required: true; rule: { id: string; source: string } | null };

/**
 * Whether the policy's decision rests on a check: it does when the table has the rule that judges
 * the check's output. A table without that rule decided without the check, and still does. A check
 * not named here is required under every table: an unknown gap is never taken for a pass.
 */
function requirement(check: string, policy: Policy): Requirement {
  const judgedBy = (rule: { id: string; source: string } | undefined): Requirement =>
    rule ? { required: true, rule } : { required: false };
  switch (check) {
    case 'pdf_render':
      return judgedBy(policy.fraud?.pdfTextRender);
    case 'image_forensics':
      return judgedBy(policy.fraud?.errorLevel);
    case 'image_hash':
      // Supporting evidence of a reused receipt only: the receipt's numbers or unit confirm a match.
      return { required: false };
    default:
      return { required: true, rule: null };
  }
}

const CHECK_NAMES: Record<string, string> = {
  pdf_render: "the check of the PDF's text layer against its drawn pages",
  image_forensics: "the pixel check of the photo's key fields (JPEG error level, paper shade)",
  file_metadata: "the reading of the file's own metadata (editing software, dates)",
};

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * A check the policy needs that could not run is not a check that passed: one review flag per such
 * check, saying which, where and why, so the claim is never approved without it.
 */
export function unavailableCheckFlags(signals: DocumentSignals, policy: Policy): Flag[] {
  const checks = [...new Set(signals.unavailable.map((u) => u.check))];
  return checks.flatMap((check) => {
    const need = requirement(check, policy);
    if (!need.required) return [];
    const failures = signals.unavailable.filter((u) => u.check === check);
    const pages = failures.flatMap((u) => (u.page === undefined ? [] : [u.page]));
    const reasons = [...new Set(failures.map((u) => u.reason))];
    const where = pages.length > 0 ? ` on page ${pages.join(', ')}` : '';
    return [
      flag(
        'CHECK_UNAVAILABLE',
        `${capitalised(CHECK_NAMES[check] ?? `the check "${check}"`)} could not run${where}: ${reasons.join('; ')}. ` +
          'The claim cannot be approved without it.',
        {
          signal: 'check_unavailable',
          check,
          pages,
          reasons,
          rule: need.rule?.id ?? null,
          clause: need.rule?.source ?? null,
          policyVersion: policy.version,
        },
      ),
    ];
  });
}
