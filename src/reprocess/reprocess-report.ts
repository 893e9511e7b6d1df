import { stringify } from 'csv-stringify/sync';
import { decisionChanges, type ClaimOutcome } from '../domain/claim-outcome.js';

export interface ReprocessSummary {
  total: number;
  byOutcome: Record<ClaimOutcome['outcome'], number>;
  /** "old → new" status counts, for machine-decided claims whose status changes. */
  statusChanges: Array<{ from: string; to: string; count: number }>;
  addedFlags: Array<{ code: string; count: number }>;
  droppedFlags: Array<{ code: string; count: number }>;
  /** Claims whose decision changes (status or flags), reviewer-decided ones included: the CSV's rows. */
  changed: ClaimOutcome[];
  /** Skipped and failed claims with the reason, for the operator to follow up. */
  notRerun: ClaimOutcome[];
}

const counted = (counts: Map<string, number>) =>
  [...counts].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));

export function summarise(outcomes: ClaimOutcome[]): ReprocessSummary {
  const byOutcome = { unchanged: 0, updated: 0, second_look: 0, skipped: 0, failed: 0 };
  const transitions = new Map<string, number>();
  const added = new Map<string, number>();
  const dropped = new Map<string, number>();
  for (const o of outcomes) {
    byOutcome[o.outcome]++;
    if (o.outcome !== 'updated') continue;
    if (o.oldStatus !== o.newStatus)
      transitions.set(`${o.oldStatus}\u0000${o.newStatus}`, (transitions.get(`${o.oldStatus}\u0000${o.newStatus}`) ?? 0) + 1);
    for (const code of o.addedFlags) added.set(code, (added.get(code) ?? 0) + 1);
    for (const code of o.droppedFlags) dropped.set(code, (dropped.get(code) ?? 0) + 1);
  }
  return {
    total: outcomes.length,
    byOutcome,
    statusChanges: [...transitions]
      .map(([key, count]) => ({ from: key.split('\u0000')[0]!, to: key.split('\u0000')[1]!, count }))
      .sort((a, b) => b.count - a.count),
    addedFlags: counted(added),
    droppedFlags: counted(dropped),
    changed: outcomes.filter((o) => (o.outcome === 'updated' || o.outcome === 'second_look') && decisionChanges(o)),
    notRerun: outcomes.filter((o) => o.outcome === 'skipped' || o.outcome === 'failed'),
  };
}

/** What an operator reads before applying (or after): counts, flag movements, what needs a person. */
export function renderSummary(s: ReprocessSummary, applied: boolean): string {
  const lines = [
    `${s.total} claims: ${s.byOutcome.updated} ${applied ? 'got a new result' : 'would get a new result'}, ${s.byOutcome.unchanged} unchanged, ` +
      `${s.byOutcome.second_look} reviewer-decided for a second look, ${s.byOutcome.skipped} skipped, ${s.byOutcome.failed} failed`,
  ];
  if (s.statusChanges.length > 0) {
    lines.push('status changes:');
    const width = Math.max(...s.statusChanges.map((t) => `${t.from} → ${t.to}`.length));
    for (const t of s.statusChanges) lines.push(`  ${`${t.from} → ${t.to}`.padEnd(width)}  ${t.count}`);
  }
  const flagLine = (label: string, flags: ReprocessSummary['addedFlags']) =>
    flags.length > 0 && lines.push(`${label}: ${flags.map((f) => `${f.code} ${f.count}`).join(', ')}`);
  flagLine('new flags', s.addedFlags);
  flagLine('dropped flags', s.droppedFlags);
  const secondLooks = s.changed.filter((o) => o.outcome === 'second_look');
  if (secondLooks.length > 0) {
    lines.push('kept as the reviewer decided, though the machine now differs (second look):');
    for (const o of secondLooks.slice(0, 20))
      lines.push(`  ${o.claimId} (${o.requestNumber}): ${o.decidedBy} decided ${o.oldStatus}, machine says ${o.newStatus}`);
    if (secondLooks.length > 20) lines.push(`  … ${secondLooks.length - 20} more in the CSV`);
  }
  if (s.notRerun.length > 0) {
    lines.push('not re-run:');
    for (const o of s.notRerun.slice(0, 10)) lines.push(`  ${o.claimId}: ${o.outcome}, ${o.reason}`);
    if (s.notRerun.length > 10) lines.push(`  … ${s.notRerun.length - 10} more`);
  }
  return lines.join('\n');
}

const CSV_COLUMNS = ['claim_id', 'request_number', 'outcome', 'old_status', 'new_status', 'added_flags', 'dropped_flags', 'decided_by'];

/**
 * Every claim whose decision changes, one row each (flags separated by spaces). Claim ids are the
 * client's: a cell starting with = + - @ is prefixed with ' so a spreadsheet shows it as text
 * instead of running it as a formula.
 */
export function changesCsv(s: ReprocessSummary): string {
  const rows = s.changed.map((o) => [
    o.claimId,
    o.requestNumber,
    o.outcome,
    o.oldStatus,
    o.newStatus,
    o.addedFlags.join(' '),
    o.droppedFlags.join(' '),
    o.decidedBy ?? '',
  ]);
  return stringify([CSV_COLUMNS, ...rows], { escape_formulas: true, record_delimiter: 'unix' });
}
