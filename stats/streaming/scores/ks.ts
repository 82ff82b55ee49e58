// Two-sample Kolmogorov-Smirnov test on two quantile sketches (reference profile's
// sketch vs the live window's), after Apache DataSketches
// `KolmogorovSmirnov.kolmogorovSmirnovTest`.
//
// Statistic: D = sup_x |F̂_ref(x) − F̂_cur(x)|, F̂ the sketches' inclusive step CDFs. Both
// are constant between retained items, so the sup is attained on the union of the two
// sketches' sorted items, where it is evaluated exactly.
// Error bound: if each sketch's CDF is within ε of its stream's empirical CDF at every
// x (ε = normalizedRankError(false), 99% confidence; 0 for a sketch still holding every
// value), then |D − D_exact| ≤ ε_ref + ε_cur, D_exact = scipy.stats.ks_2samp's statistic.
// Decision (DataSketches): drifted when D > c(α)·√((n+m)/(n·m)) + ε_ref + ε_cur,
// c(α) = √(−ln(α/2)/2), n and m the stream counts. (DataSketches puts the retained
// item counts in place of n and m, which is more conservative; we use the counts so
// that, with exact sketches, the rule is the classical asymptotic KS test at level α.)
// p_approx: APPROXIMATE. The asymptotic Kolmogorov survival function (scipy's
// kstwobign.sf) at λ = √(n·m/(n+m))·max(0, D − ε_ref − ε_cur). Subtracting the errors
// makes it conservative: it is at least the asymptotic p of D_exact whenever the rank
// bounds hold. It is not the exact small-sample p-value of ks_2samp.

import { kolmogorovSf } from "../../special/kolmogorov.ts";
import { rankErrorOf, walkStepCdfs } from "./quantile-summary.ts";
import type { QuantileSummary } from "./quantile-summary.ts";

export const DEFAULT_KS_ALPHA = 0.05;

export interface KsResult {
  d: number;
  threshold: number;
  p_approx: number;
  drifted: boolean;
  /** ε_ref + ε_cur: the bound on |d − exact D|. */
  error_bound: number;
}

/** sup_x |F̂_a(x) − F̂_b(x)| over the union of both sketches' items. */
export function ksDistance(a: QuantileSummary, b: QuantileSummary): number {
  let d = 0;
  walkStepCdfs(a, b, (_x, ca, cb) => {
    d = Math.max(d, Math.abs(ca - cb));
  });
  return d;
}

export function ksTest(reference: QuantileSummary, current: QuantileSummary, alpha = DEFAULT_KS_ALPHA): KsResult {
  if (!(alpha > 0 && alpha < 1)) throw new Error(`alpha must be in (0, 1): ${alpha}`);
  if (reference.n === 0 || current.n === 0) throw new Error("KS needs values on both sides");
  const n = reference.n;
  const m = current.n;
  const errorBound = rankErrorOf(reference) + rankErrorOf(current);
  const d = ksDistance(reference, current);
  const cAlpha = Math.sqrt(-0.5 * Math.log(alpha / 2));
  const threshold = cAlpha * Math.sqrt((n + m) / (n * m)) + errorBound;
  const lambda = Math.sqrt((n * m) / (n + m)) * Math.max(0, d - errorBound);
  return { d, threshold, p_approx: kolmogorovSf(lambda), drifted: d > threshold, error_bound: errorBound };
}
