// Two-sample Kolmogorov-Smirnov on the reference grid (stats/profile/grid.ts): the
// current side counted exactly into the grid's cells, the reference's exact share at
// each edge.
//
// Statistic: D = max_j |F_ref(e_j) − F_cur(e_j)| over the grid edges, both ECDFs exact
// there. The exact statistic of scipy.stats.ks_2samp(ref, cur) is the sup over every x;
// between two edges each ECDF moves only within its cell's mass, so
//   D ≤ D_exact ≤ D_upper = max_j (|d_{j−1}| + max(r_j, c_j)),
// d_j = F_ref(e_j) − F_cur(e_j), r_j and c_j the cell shares (d_{−1} = 0; above the last
// edge F_ref = 1 and the gap only shrinks). With B reference quantiles r_j ≈ 1/B, so the
// reference binning costs at most about 1/B plus the current's largest cell share.
//
// p-value: scipy.stats.ks_2samp(…, method="asymp") at D: kstwo.sf(D, round(n·m/(n + m)))
// (Smirnov's two-sample limit through the one-sample distribution, scipy/stats/_stats_py.py;
// Simard & L'Ecuyer 2011 for kstwo). Because D ≤ D_exact the p-value is at least the one
// scipy gives on the raw data: a test that rejects when p < α keeps its level.

import type { ReferenceGrid } from "../../profile/grid.ts";
import { kolmogorovNSf } from "../../special/kolmogorov-n.ts";
import { roundHalfEven } from "../../drift/stattests/ks.ts";

export interface GridKsResult {
  /** max |F_ref − F_cur| at the grid edges (≤ the exact statistic). */
  d: number;
  /** Upper bound on the exact statistic. */
  d_upper: number;
  /** scipy ks_2samp method="asymp" p-value at d. */
  p_value: number;
}

/** `current`: the window's counts in the grid's edges.length + 1 cells. */
export function gridKs(grid: ReferenceGrid, current: ArrayLike<number>): GridKsResult {
  const edges = grid.edges.length;
  if (current.length !== edges + 1) throw new Error(`grid KS: ${current.length} current cells for ${edges + 1} grid cells`);
  let m = 0;
  for (let j = 0; j < current.length; j++) m += current[j] as number;
  if (m === 0 || grid.n === 0) throw new Error("grid KS needs values on both sides");
  let fc = 0;
  let d = 0;
  let upper = 0;
  let previous = 0;
  for (let j = 0; j < edges; j++) {
    const cj = (current[j] as number) / m;
    const rj = (grid.counts[j] as number) / grid.n;
    upper = Math.max(upper, Math.abs(previous) + Math.max(rj, cj));
    fc += cj;
    const dj = (grid.cdf[j] as number) - fc;
    d = Math.max(d, Math.abs(dj));
    previous = dj;
  }
  d = Math.min(d, 1);
  return { d, d_upper: Math.min(1, Math.max(d, upper)), p_value: ksAsymptoticP(d, grid.n, m) };
}

const memo = new Map<string, number>();
const MEMO_SIZE = 1024;

/** scipy ks_2samp method="asymp", two-sided: kstwo.sf(d, round(n·m/(n + m))); memoised (live windows repeat). */
export function ksAsymptoticP(d: number, n: number, m: number): number {
  const en = roundHalfEven((n * m) / (n + m));
  const key = `${en}|${d}`;
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  const p = Math.min(Math.max(kolmogorovNSf(Math.max(1, en), d), 0), 1);
  if (memo.size >= MEMO_SIZE) memo.delete(memo.keys().next().value as string);
  memo.set(key, p);
  return p;
}
