import { describe, expect, it } from 'vitest';
import { mean, percentiles, perSecond, quantile, sum } from '../../../../tools/lib/statistics.js';

describe('the measuring tools’ statistics', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 … 1, unsorted on purpose

  it('takes the value at index ⌊q·n⌋ of the sorted values, whatever their order, without changing them', () => {
    const copy = [...hundred];
    expect(quantile(hundred, 0.5)).toBe(51);
    expect(quantile(hundred, 0.95)).toBe(96);
    expect(quantile(hundred, 0.99)).toBe(100);
    expect(hundred).toEqual(copy);
  });

  it('gives the smallest value at q = 0, the largest at q = 1, and NaN for no values', () => {
    expect(quantile([3, 1, 2], 0)).toBe(1);
    expect(quantile([3, 1, 2], 1)).toBe(3);
    expect(quantile([7], 0.95)).toBe(7);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('sums, averages and reports p50/p95/p99 together', () => {
    expect(sum([1, 2, 3.5])).toBe(6.5);
    expect(mean([1, 2, 3, 6])).toBe(3);
    expect(mean([])).toBeNaN();
    expect(percentiles(hundred)).toEqual({ p50: 51, p95: 96, p99: 100 });
  });

  it('turns a count and the milliseconds it took into a rate per second', () => {
    expect(perSecond(30, 1500)).toBe(20);
  });
});
