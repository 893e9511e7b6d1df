import type { ClaimResult } from '../domain/result.js';
import { FIELD_NAMES } from '../domain/extraction.js';

/** Progress on stderr, redrawn in place; silent when stderr is not a terminal. */
export class ProgressBar {
  private readonly started = Date.now();
  private readonly initial: number;
  constructor(
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    /** Already done before this run (a resumed batch): counted in the bar, not in the rate. */
    private done = 0,
  ) {
    this.initial = done;
  }

  get active(): boolean {
    return Boolean(this.stream.isTTY) && this.total > 3;
  }

  tick(count = 1): void {
    this.done += count;
    if (!this.active) return;
    const width = 30;
    const filled = Math.round((this.done / this.total) * width);
    const seconds = (Date.now() - this.started) / 1000;
    const rate = (this.done - this.initial) / Math.max(seconds, 0.001);
    const eta = Math.round((this.total - this.done) / Math.max(rate, 0.001));
    this.stream.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.done}/${this.total}  ${rate.toFixed(2)}/s  ETA ${eta}s `,
    );
    if (this.done === this.total) this.stream.write('\n');
  }
}

const COLUMNS = ['file', 'status', ...FIELD_NAMES, 'flags'] as const;

export function tableRow(r: ClaimResult): string[] {
  return [
    r.file ?? '(no receipt)',
    r.status,
    ...FIELD_NAMES.map((f) => r.fields[f].value ?? '-'),
    r.flags.map((f) => f.code).join(',') || '-',
  ];
}

/** A plain-text table sized to its content, for people reading a terminal. */
export function renderTable(rows: string[][]): string {
  const all = [[...COLUMNS], ...rows];
  const widths = COLUMNS.map((_, c) => Math.min(40, Math.max(...all.map((r) => r[c]!.length))));
  const fit = (cell: string, w: number) => (cell.length > w ? `${cell.slice(0, w - 1)}…` : cell.padEnd(w));
  return all
    .map((r) =>
      r
        .map((cell, c) => fit(cell, widths[c]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function summaryLine(results: ClaimResult[], seconds: number): string {
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  const parts = ['eligible', 'not_eligible', 'needs_review', 'rejected_input'].map((s) => `${counts.get(s) ?? 0} ${s}`);
  return `${results.length} claims in ${seconds.toFixed(1)} s: ${parts.join(', ')}`;
}
