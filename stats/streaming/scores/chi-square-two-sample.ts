// Two-sample chi-square test of homogeneity between the reference and current category
// counts: the 2 × K contingency table [reference counts; current counts].
//
// Definition (scipy.stats.chi2_contingency(table, correction=False)):
//   N = n_ref + n_cur, column total t_i = r_i + c_i, expected E_ref,i = n_ref·t_i/N and
//   E_cur,i = n_cur·t_i/N; X² = Σ over both rows and the cells with t_i > 0 of (O − E)²/E;
//   df = (number of cells with t_i > 0) − 1; p = chi2.sf(X², df). No Yates correction.
// Why beside chisquare.ts: the goodness-of-fit test there treats the reference
// frequencies as exact. When the window is about as large as the reference or larger,
// the reference's own sampling noise inflates X² by about (1 + n_cur/n_ref), and null
// windows alarm far above α (90% at p < 0.05 for n_cur = 5·n_ref, 5 categories, in a
// seeded simulation). This test accounts for both samples' noise, so its null false-alarm
// rate stays near α at any window size.
// Error bound: exact given the cells (the window counts them exactly).

import { chiSquareSf } from "../../special/distributions.ts";
import { countTotals } from "./chisquare.ts";
import type { ChiSquareResult } from "./chisquare.ts";

export function chiSquareTwoSample(referenceCounts: readonly number[], currentCounts: readonly number[]): ChiSquareResult {
  const { nRef, nCur } = countTotals(referenceCounts, currentCounts);
  const total = nRef + nCur;
  let statistic = 0;
  let cells = 0;
  for (let i = 0; i < referenceCounts.length; i++) {
    const r = referenceCounts[i] as number;
    const c = currentCounts[i] as number;
    const column = r + c;
    if (column === 0) continue;
    cells++;
    const expectedRef = (nRef * column) / total;
    const expectedCur = (nCur * column) / total;
    statistic += ((r - expectedRef) * (r - expectedRef)) / expectedRef + ((c - expectedCur) * (c - expectedCur)) / expectedCur;
  }
  const df = cells - 1;
  if (df === 0) return { statistic: 0, df, p_value: 1 };
  return { statistic, df, p_value: chiSquareSf(statistic, df) };
}
