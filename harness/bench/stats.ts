/**
 * Medians and their spreads. A figure's spread is the relative half-width of a 95% confidence interval of its
 * median, taken from order statistics (no assumption on the distribution of the samples): the interval between
 * the samples of ranks n/2 ∓ 0.98·√n (the binomial's normal approximation), over twice the median. It shrinks
 * as repetitions are added, so "more repetitions where the spread is over 5%" converges, where (max − min) /
 * median, the spread of earlier reports, only grows with them. With 5 samples or fewer the interval is the whole
 * range, so the spread is (max − min) / (2 · median).
 */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The 0-based ranks bounding the 95% confidence interval of the median of n samples. */
export function medianCiRanks(n: number): [number, number] {
  const half = 0.98 * Math.sqrt(n);
  return [Math.max(0, Math.floor(n / 2 - half) - 1), Math.min(n - 1, Math.ceil(1 + n / 2 + half) - 1)];
}

/** The spread of the median of `xs` (see above); 0 for fewer than two samples. */
export function spread(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const [lo, hi] = medianCiRanks(s.length);
  return (s[hi]! - s[lo]!) / (2 * median(s));
}

/**
 * The spread of the ratio median(slow) / median(fast). Samples measured side by side (as many of each, the i-th of
 * both from the same repetition, as the bench interleaves them) give the spread of the median of their ratios,
 * where the drift of a noisy machine, which hits both alike, cancels out; otherwise the two spreads combine as
 * relative errors do.
 */
export function ratioSpread(slow: readonly number[], fast: readonly number[]): number {
  if (slow.length === fast.length && slow.length >= 2 && fast.every((x) => x > 0)) return spread(slow.map((x, i) => x / fast[i]!));
  return Math.hypot(spread(slow), spread(fast));
}

/** The spread a figure that has a target must get under, adding repetitions (issue 17). */
export const SPREAD_GOAL = 0.05;

/**
 * The spread goal of the figures that say a program which does not crossload costs what it costs with pristine
 * 5.3.0: issue 17 asks for enough repetitions to tell 2% apart.
 */
export const NO_COST_SPREAD_GOAL = 0.02;
