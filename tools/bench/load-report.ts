/** The distributed load benchmark's figures, with no I/O: timings in, summary and report lines out. */
import { percentiles, perSecond } from '../lib/statistics.js';

export interface LoadTimings {
  claims: number;
  /** performance.now() when the first upload was due, when the last was acknowledged, when the last claim was decided. */
  started: number;
  submitted: number;
  finished: number;
  /** Each upload's acknowledgement time, ms. */
  acksMs: readonly number[];
  /** Each claim's time from upload to decision, ms. */
  endToEndMs: readonly number[];
}

export interface LoadSummary {
  claims: number;
  submitSeconds: number;
  totalSeconds: number;
  throughput: number;
  ackMs: { p50: number; p95: number; p99: number };
  endToEndSeconds: { p50: number; p95: number; p99: number };
}

export function loadSummary(t: LoadTimings): LoadSummary {
  const endToEnd = percentiles(t.endToEndMs);
  return {
    claims: t.claims,
    submitSeconds: (t.submitted - t.started) / 1000,
    totalSeconds: (t.finished - t.started) / 1000,
    throughput: perSecond(t.claims, t.finished - t.started),
    ackMs: percentiles(t.acksMs),
    endToEndSeconds: { p50: endToEnd.p50 / 1000, p95: endToEnd.p95 / 1000, p99: endToEnd.p99 / 1000 },
  };
}

export function loadReport(
  result: LoadSummary,
  receipts: number,
  peakMemory: { api: string; workers: string[] },
  cli: { rate: number; peakMemory: string },
): string[] {
  return [
    `\nDistributed mode (API + 2 worker processes), ${result.claims} claims over ${receipts} receipts:`,
    `  throughput          ${result.throughput.toFixed(2)} claims/s (all submitted in ${result.submitSeconds.toFixed(1)} s, all decided in ${result.totalSeconds.toFixed(1)} s)`,
    `  upload ack          p50 ${result.ackMs.p50.toFixed(0)} ms, p95 ${result.ackMs.p95.toFixed(0)} ms, p99 ${result.ackMs.p99.toFixed(0)} ms`,
    `  end-to-end          p50 ${result.endToEndSeconds.p50.toFixed(1)} s, p95 ${result.endToEndSeconds.p95.toFixed(1)} s, p99 ${result.endToEndSeconds.p99.toFixed(1)} s (a queue of ${result.claims} drains)`,
    `  peak memory         api ${peakMemory.api}, workers ${peakMemory.workers.join(', ')}`,
    `CLI (one process, 2 OCR threads), same claims: ${cli.rate.toFixed(2)} claims/s, peak memory ${cli.peakMemory}`,
    `Ratio distributed / CLI: ${((result.throughput / cli.rate) * 100).toFixed(0)} % (target ≥ 90 %); upload ack p95 target < 100 ms`,
  ];
}
