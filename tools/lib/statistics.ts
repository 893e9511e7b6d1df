/** The measuring tools' statistics, with no I/O: one definition of a percentile for every report. */

/**
 * The q-quantile of `values` (in any order; not changed): the value at index ⌊q·n⌋ of them sorted,
 * i.e. the smallest value with more than a share q of the values at or below it (q = 1 gives the
 * largest). NaN when there are none.
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(q * sorted.length)))]!;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? NaN : sum(values) / values.length;
}

export function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** p50, p95 and p99 of `values`. */
export function percentiles(values: readonly number[]): { p50: number; p95: number; p99: number } {
  return { p50: quantile(values, 0.5), p95: quantile(values, 0.95), p99: quantile(values, 0.99) };
}

/** Events per second, from a count and the milliseconds they took. */
export const perSecond = (count: number, ms: number): number => count / (ms / 1000);
