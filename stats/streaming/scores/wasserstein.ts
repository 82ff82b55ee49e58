// Normed Wasserstein-1 distance from two quantile sketches (reference profile's sketch
// vs the live window's), on Evidently's scale.
//
// Definition: W1 = ∫₀¹ |F⁻¹_ref(q) − F⁻¹_cur(q)| dq = ∫ |F_ref(x) − F_cur(x)| dx, evaluated
// exactly for the sketches' step CDFs (equivalently, on the grid of every quantile
// level where either sketch's quantile function steps, so there is no grid error on
// top of the sketch error). Normed as Evidently's `wasserstein` stattest:
//   score = W1 / max(std_ref, 0.001), std_ref the reference population std (ddof 0)
// from the profile's exact moments.
// Error bound: with each sketch's CDF within ε of its stream's empirical CDF for every x,
// and both CDFs 0 below the stream min and 1 above its max,
//   |W1 − W1_exact| ≤ ∫|F̂_ref − F_ref| + ∫|F̂_cur − F_cur| ≤ ε_ref·(max_ref − min_ref) + ε_cur·(max_cur − min_cur),
// divided by the same max(std_ref, 0.001) for the normed score. ε is normalizedRankError(false)
// (0 for a sketch still holding every value). The bound grows with the value range, so
// it is loose for heavy tails; it is the guarantee, not the typical error.

import { rankErrorOf, walkStepCdfs } from "./quantile-summary.ts";
import type { QuantileSummary } from "./quantile-summary.ts";

export interface WassersteinResult {
  /** W1 / max(std_ref, 0.001). */
  normed: number;
  w1: number;
  /** Bound on |normed − exact normed|. */
  error_bound: number;
}

/** ∫ |F̂_a(x) − F̂_b(x)| dx for two step CDFs. */
export function wasserstein1(a: QuantileSummary, b: QuantileSummary): number {
  let area = 0;
  let previous = Number.NaN;
  let gap = 0;
  // |F̂_a − F̂_b| is constant from one point to the next: add gap × width, then step.
  walkStepCdfs(a, b, (x, ca, cb) => {
    if (!Number.isNaN(previous)) area += gap * (x - previous);
    gap = Math.abs(ca - cb);
    previous = x;
  });
  return area;
}

export function wassersteinNormed(reference: QuantileSummary, current: QuantileSummary, referenceStd: number): WassersteinResult {
  if (reference.n === 0 || current.n === 0) throw new Error("Wasserstein needs values on both sides");
  if (!(referenceStd >= 0)) throw new Error(`referenceStd must be >= 0: ${referenceStd}`);
  const scale = Math.max(referenceStd, 0.001);
  const w1 = wasserstein1(reference, current);
  const rangeError =
    rankErrorOf(reference) * (reference.max() - reference.min()) + rankErrorOf(current) * (current.max() - current.min());
  return { normed: w1 / scale, w1, error_bound: rangeError / scale };
}
