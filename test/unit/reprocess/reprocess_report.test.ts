import { describe, expect, it } from 'vitest';
import type { ClaimOutcome } from '../../../src/domain/claim-outcome.js';
import { changesCsv, renderSummary, summarise } from '../../../src/reprocess/reprocess-report.js';

const outcome = (claimId: string, parts: Partial<ClaimOutcome>): ClaimOutcome => ({
  claimId,
  requestNumber: `WR-${claimId}`,
  outcome: 'updated',
  oldStatus: 'eligible',
  newStatus: 'eligible',
  addedFlags: [],
  droppedFlags: [],
  decidedBy: null,
  reason: null,
  ...parts,
});

const outcomes = [
  outcome('a', { newStatus: 'not_eligible', addedFlags: ['WARRANTY_EXPIRED'] }),
  outcome('b', { newStatus: 'not_eligible', addedFlags: ['WARRANTY_EXPIRED'] }),
  outcome('c', { oldStatus: 'needs_review', droppedFlags: ['LOW_CONFIDENCE'] }),
  // A new result that names the new policy but decides the same: not a changed decision.
  outcome('d', {}),
  outcome('e', { outcome: 'unchanged' }),
  outcome('f', { outcome: 'second_look', newStatus: 'not_eligible', addedFlags: ['WARRANTY_EXPIRED'], decidedBy: 'anna' }),
  outcome('g', { outcome: 'failed', reason: 'the receipt is not in the receipt store' }),
];

describe('reprocessing report', () => {
  it('counts old → new status and flag movements of the claims that get a new result', () => {
    const summary = summarise(outcomes);
    expect(summary.byOutcome).toEqual({ updated: 4, unchanged: 1, second_look: 1, skipped: 0, failed: 1 });
    expect(summary.statusChanges).toEqual([
      { from: 'eligible', to: 'not_eligible', count: 2 },
      { from: 'needs_review', to: 'eligible', count: 1 },
    ]);
    expect(summary.addedFlags).toEqual([{ code: 'WARRANTY_EXPIRED', count: 2 }]);
    expect(summary.droppedFlags).toEqual([{ code: 'LOW_CONFIDENCE', count: 1 }]);
  });

  it('lists every changed decision in the CSV, reviewer-decided ones included, and nothing else', () => {
    const csv = changesCsv(summarise(outcomes)).trim().split('\n');
    expect(csv).toEqual([
      'claim_id,request_number,outcome,old_status,new_status,added_flags,dropped_flags,decided_by',
      'a,WR-a,updated,eligible,not_eligible,WARRANTY_EXPIRED,,',
      'b,WR-b,updated,eligible,not_eligible,WARRANTY_EXPIRED,,',
      'c,WR-c,updated,needs_review,eligible,,LOW_CONFIDENCE,',
      'f,WR-f,second_look,eligible,not_eligible,WARRANTY_EXPIRED,,anna',
    ]);
  });

  it('quotes CSV cells that hold a comma, a quote or a line break', () => {
    const csv = changesCsv(summarise([outcome('x,"y"\nz', { newStatus: 'needs_review' })]));
    expect(csv).toContain('"x,""y""\nz","WR-x,""y""\nz",updated,eligible,needs_review,,,');
  });

  it.each(['=HYPERLINK("http://evil.example","open")', '+1+1', '-2+3', '@SUM(A1)'])(
    'keeps a client-chosen claim id %s from becoming a spreadsheet formula',
    (claimId) => {
      const row = changesCsv(summarise([outcome(claimId, { newStatus: 'needs_review' })])).split('\n')[1]!;
      expect(row).toMatch(/^"?'/);
    },
  );

  it('names the reviewer-decided claims and the claims that could not be re-run', () => {
    const text = renderSummary(summarise(outcomes), false);
    expect(text).toContain('7 claims: 4 would get a new result, 1 unchanged, 1 reviewer-decided for a second look, 0 skipped, 1 failed');
    expect(text).toContain('f (WR-f): anna decided eligible, machine says not_eligible');
    expect(text).toContain('g: failed, the receipt is not in the receipt store');
  });
});
