import type { ClaimResult } from './result.js';

/**
 * What a re-run did (or, in a dry-run, would do) to one claim:
 * - unchanged: the new result equals the stored one;
 * - updated: a new result replaces the stored one, which is kept as a prior version;
 * - second_look: a reviewer decided this claim and the machine now decides differently; the human
 *   decision stays, the claim is listed for a reviewer to look at again;
 * - skipped: nothing to re-run (refused at the door, or stored before its inputs were kept);
 * - failed: the re-run could not be done (e.g. the receipt is no longer available); nothing changed.
 */
export type OutcomeKind = 'unchanged' | 'updated' | 'second_look' | 'skipped' | 'failed';

export interface ClaimOutcome {
  claimId: string;
  requestNumber: string;
  outcome: OutcomeKind;
  /** The stored status (a reviewer's, when decidedBy is set). */
  oldStatus: string;
  /** The machine's new status; equals oldStatus for skipped and failed claims. */
  newStatus: string;
  addedFlags: string[];
  droppedFlags: string[];
  decidedBy: string | null;
  /** Why a claim was skipped or failed. */
  reason: string | null;
}

/** Whether the decision changes, as an operator sees it: another status or another set of flags. */
export const decisionChanges = (o: ClaimOutcome): boolean =>
  o.oldStatus !== o.newStatus || o.addedFlags.length > 0 || o.droppedFlags.length > 0;

export function flagDifference(before: ClaimResult, after: ClaimResult): { added: string[]; dropped: string[] } {
  const old = new Set(before.flags.map((f) => f.code));
  const now = new Set(after.flags.map((f) => f.code));
  return { added: [...now].filter((c) => !old.has(c)).sort(), dropped: [...old].filter((c) => !now.has(c)).sort() };
}
