// Normed Wasserstein-1 distance on the reference grid (stats/profile/grid.ts), on
// Evidently's scale: W1(ref, cur) / max(std_ref, 0.001), as scipy.stats.wasserstein_distance
// divided by numpy.std(ref).
//
// W1 = ∫ |F_ref(x) − F_cur(x)| dx (Vallender 1973), evaluated in three parts:
// - below the reference minimum e_0, F_ref = 0: ∫ F_cur = Σ_{x < e_0} (e_0 − x) / m, exact
//   from the window's tail sum (grid-counts.ts);
// - above the reference maximum, F_ref = 1: ∫ (1 − F_cur) = Σ_{x > e_last} (x − e_last) / m, exact;
// - in each cell (e_{j−1}, e_j], the area under |line from d_{j−1} to d_j|, d_j = F_ref(e_j)
//   − F_cur(e_j) exact at the edges; on an atoms grid (a discrete reference, grid.ts) the
//   step |d_{j−1}|·width, exact when the window's values lie on the reference's support.
// Error bound: in cell j each ECDF departs from its line by at most its cell share, and the
// two departures have opposite room, so |F_ref − F_cur − line| ≤ max(r_j, c_j) there and
//   |W1 − W1_exact| ≤ Σ_j (e_j − e_{j−1})·max(r_j, c_j)
// (divided by the same scale for the normed score). r_j ≈ 1/B, so the bound is about
// range_ref/B plus the current's excess in wide cells: a guarantee, far above the typical
// error (scripts/fixtures/gen_grid.py measures both).

import type { ReferenceGrid } from "../../profile/grid.ts";
import { cellArea } from "../../profile/grid.ts";

export interface GridWassersteinResult {
  /** W1 / max(std_ref, 0.001). */
  normed: number;
  w1: number;
  /** Bound on |normed − exact normed|. */
  error_bound: number;
}

/**
 * `current`: counts in the grid's cells; `below` / `above`: the window's tail sums
 * Σ(e_0 − x) and Σ(x − e_last) (grid-counts.ts).
 */
export function gridWasserstein(grid: ReferenceGrid, current: ArrayLike<number>, below: number, above: number, referenceStd: number): GridWassersteinResult {
  const edges = grid.edges.length;
  if (current.length !== edges + 1) throw new Error(`grid Wasserstein: ${current.length} current cells for ${edges + 1} grid cells`);
  let m = 0;
  for (let j = 0; j < current.length; j++) m += current[j] as number;
  if (m === 0 || grid.n === 0) throw new Error("grid Wasserstein needs values on both sides");
  const scale = Math.max(referenceStd, 0.001);
  let fc = (current[0] as number) / m;
  let previous = (grid.cdf[0] as number) - fc;
  let area = (below + above) / m;
  let bound = 0;
  for (let j = 1; j < edges; j++) {
    const cj = (current[j] as number) / m;
    const rj = (grid.counts[j] as number) / grid.n;
    fc += cj;
    const dj = (grid.cdf[j] as number) - fc;
    const width = (grid.edges[j] as number) - (grid.edges[j - 1] as number);
    area += cellArea(grid, previous, dj, width);
    bound += width * Math.max(rj, cj);
    previous = dj;
  }
  return { normed: area / scale, w1: area, error_bound: bound / scale };
}
