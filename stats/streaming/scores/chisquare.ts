// Chi-square goodness-of-fit of the current category counts against the reference
// frequencies: Vertex AI's categorical drift test, and Evidently's `chisquare`.
//
// Definition (scipy.stats.chisquare(f_obs, f_exp), as docs/drift-tests.md `chisquare`):
//   o_i = current count in cell i, e_i = reference count_i · n_cur / n_ref,
//   X² = Σ (o_i − e_i)² / e_i over the cells with e_i > 0, df = (number of such cells) − 1,
//   p = chi2.sf(X², df).
// Cells are the profile's kept categories plus "__other__". A current value in a cell
// the reference never saw (e_i = 0, o_i > 0: an unseen category when the reference
// pooled nothing into "__other__") makes X² = ∞ and p = 0, as docs/drift-tests.md says for a
// key seen only in current. With a single reference cell (df = 0) p is 1 when nothing
// falls outside it, else 0.
// Calibration: the reference frequencies are taken as exact, so when n_cur is comparable
// to n_ref or larger, null windows alarm well above α; chi-square-two-sample.ts is the
// calibrated alternative for large windows.
// Error bound: exact given the cells (the window counts them exactly); the p-value is
// stats/special's chi-square survival function (scipy's chdtrc algorithm), which the
// tests compare with scipy.stats.chisquare to 1e-9 relative.

import { chiSquareSf } from "../../special/distributions.ts";
import { checkSameCells } from "../../kernel/proportions.ts";

export interface ChiSquareResult {
  statistic: number;
  df: number;
  p_value: number;
}

/** Both sides' totals, for the chi-square tests here and in chi-square-two-sample.ts: same cells, counts on both sides. */
export function countTotals(referenceCounts: readonly number[], currentCounts: readonly number[]): { nRef: number; nCur: number } {
  checkSameCells(referenceCounts, currentCounts);
  let nRef = 0;
  let nCur = 0;
  for (const r of referenceCounts) nRef += r;
  for (const c of currentCounts) nCur += c;
  if (nRef === 0 || nCur === 0) throw new Error("chi-square needs counts on both sides");
  return { nRef, nCur };
}

export function chiSquare(referenceCounts: readonly number[], currentCounts: readonly number[]): ChiSquareResult {
  const { nRef, nCur } = countTotals(referenceCounts, currentCounts);
  let statistic = 0;
  let cells = 0;
  let unseen = false;
  for (let i = 0; i < referenceCounts.length; i++) {
    const observed = currentCounts[i] as number;
    const expected = ((referenceCounts[i] as number) * nCur) / nRef;
    if (expected > 0) {
      statistic += ((observed - expected) * (observed - expected)) / expected;
      cells++;
    } else if (observed > 0) {
      unseen = true;
    }
  }
  const df = cells - 1;
  if (unseen) return { statistic: Infinity, df, p_value: 0 };
  if (df === 0) return { statistic, df, p_value: statistic > 0 ? 0 : 1 };
  return { statistic, df, p_value: chiSquareSf(statistic, df) };
}
