import { describe, expect, it } from 'vitest';
import { median, medianCiRanks, ratioSpread, spread } from '../harness/bench/stats.ts';

describe('bench statistics', () => {
  it('bounds the median by the order statistics of a 95% interval (binomial ranks)', () => {
    // Tables of the sign test: for n = 21 the interval of the median runs from the 6th to the 16th sample.
    expect(medianCiRanks(21)).toEqual([5, 15]);
    expect(medianCiRanks(100)).toEqual([39, 60]);
    // Up to 5 samples it is their whole range.
    for (const n of [2, 3, 4, 5]) expect(medianCiRanks(n)).toEqual([0, n - 1]);
  });

  it('a spread is the half-width of that interval over the median, and shrinks as samples are added', () => {
    expect(spread([1])).toBe(0);
    expect(spread([0.5, 1, 1.5])).toBeCloseTo(0.5);
    // Samples spread evenly over ±20%: the interval narrows with their number; max − min would stay 40%.
    const even = (n: number) => Array.from({ length: n }, (_, i) => 0.8 + (0.4 * i) / (n - 1));
    expect(spread(even(5))).toBeCloseTo(0.2);
    expect(spread(even(21))).toBeCloseTo((0.4 * 10) / 20 / 2);
    expect(spread(even(101))).toBeLessThan(0.05);
    expect(median(even(101))).toBeCloseTo(1);
  });

  it('the spread of a ratio of samples taken side by side is that of the ratios of each repetition, where drift cancels', () => {
    // The machine slows down over the run and both variants with it: the ratio is exactly 2 in every repetition.
    const fast = [0.5, 1, 1.5, 2, 2.5];
    const slow = fast.map((x) => 2 * x);
    expect(ratioSpread(slow, fast)).toBe(0);
    // Taken apart (different numbers of samples), the two spreads combine as relative errors do.
    expect(ratioSpread(slow, fast.slice(0, 3))).toBeCloseTo(Math.hypot(spread(slow), spread(fast.slice(0, 3))));
  });
});
