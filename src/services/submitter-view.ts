import type { Flag, FlagCode } from '../domain/flags.js';
import type { ClaimResult } from '../domain/result.js';

/**
 * How a flag is worded for the submitter where the machine's wording would reveal another claim
 * (its id, request number, file name) or how fraud and reading are scored (signals, scores,
 * thresholds): the reason in general words. Reviewers and admins read the machine's wording.
 */
const SUBMITTER_WORDING: Partial<Record<FlagCode, (flag: Flag) => string>> = {
  DUPLICATE_RECEIPT: () => 'This receipt was already used for another claim; a reviewer will look at this claim.',
  DUPLICATE_SERIAL: () => 'This serial number or IMEI was already claimed in another claim; a reviewer will look at this claim.',
  POSSIBLE_TAMPERING: () => 'The receipt needs a closer look; a reviewer will check it.',
  LOW_CONFIDENCE: (flag) =>
    `The receipt's ${typeof flag.evidence.field === 'string' ? flag.evidence.field : 'details'} could not be read with certainty; a reviewer will confirm it.`,
  SHARPER_PHOTO_NEEDED: (flag) =>
    `The receipt's print is too small in the picture to read its ${Array.isArray(flag.evidence.fields) ? flag.evidence.fields.join(', ') : 'details'} with certainty; please send a sharper photo, taken closer, with the receipt filling the picture.`,
};

/** Evidence a submitter sees: which rule of which policy applied; never scores, thresholds or other claims. */
const SUBMITTER_EVIDENCE = ['rule', 'clause', 'policyVersion'];

/** A claim's result as its submitter may read it. */
export function resultForSubmitter(result: ClaimResult): ClaimResult {
  return { ...result, flags: result.flags.map(flagForSubmitter) };
}

function flagForSubmitter(flag: Flag): Flag {
  return {
    code: flag.code,
    message: SUBMITTER_WORDING[flag.code]?.(flag) ?? flag.message,
    evidence: Object.fromEntries(Object.entries(flag.evidence).filter(([key]) => SUBMITTER_EVIDENCE.includes(key))),
  };
}
