// How much a KPI moved across an event (a drift onset, an alert): the difference of its
// bucket means after and before, with Welch's interval, which does not assume the two
// stretches share a variance.
//
//   d = ȳ_after − ȳ_before,   se = √(s²_a/n_a + s²_b/n_b)   (s² with n − 1)
//   ν = se⁴ / ((s²_a/n_a)²/(n_a−1) + (s²_b/n_b)²/(n_b−1))     (Welch 1947; Satterthwaite 1946)
//   ci95 = d ± t_{0.975, ν}·se,  p = P(|T_ν| ≥ |d/se|)
// scipy.stats.ttest_ind(after, before, equal_var=False) gives the same statistic, p-value
// and confidence_interval(0.95).
import { studentTTwoSided } from "../special/distributions.ts";
import { studentTQuantile } from "./t-quantile.ts";

export interface MeanShift {
  before: { mean: number; n: number };
  after: { mean: number; n: number };
  difference: number;
  ci95: [number, number];
  p: number;
  df: number;
}

function moments(v: readonly number[]): { mean: number; variance: number } {
  let m = 0;
  for (const x of v) m += x;
  m /= v.length;
  let ss = 0;
  for (const x of v) ss += (x - m) * (x - m);
  return { mean: m, variance: v.length > 1 ? ss / (v.length - 1) : NaN };
}

/** Welch's difference of means after − before, or why there is none. */
export function meanShift(before: readonly number[], after: readonly number[]): { ok: true; value: MeanShift } | { ok: false; reason: string } {
  if (before.length < 2 || after.length < 2) {
    return { ok: false, reason: `needs at least 2 KPI points on each side (before: ${before.length}, after: ${after.length})` };
  }
  const b = moments(before);
  const a = moments(after);
  const vb = b.variance / before.length;
  const va = a.variance / after.length;
  const se = Math.sqrt(va + vb);
  const difference = a.mean - b.mean;
  const common = { before: { mean: b.mean, n: before.length }, after: { mean: a.mean, n: after.length }, difference };
  if (se === 0) {
    // Both stretches constant: the difference is exact.
    return { ok: true, value: { ...common, ci95: [difference, difference], p: difference === 0 ? 1 : 0, df: before.length + after.length - 2 } };
  }
  const df = (va + vb) ** 2 / (va ** 2 / (after.length - 1) + vb ** 2 / (before.length - 1));
  const half = studentTQuantile(0.975, df) * se;
  return { ok: true, value: { ...common, ci95: [difference - half, difference + half], p: studentTTwoSided(difference / se, df), df } };
}
