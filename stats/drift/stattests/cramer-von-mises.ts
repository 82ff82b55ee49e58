// cramer_von_mises: two-sample Cramér-von Mises p-value, as Evidently's legacy
// cramer_von_mises_stattest.py. From midranks, U = n_x Σ(r_i − i)² + n_y Σ(s_j − j)²
// (Anderson 1962, eq. 10), summed exactly in integers (stats/special/ties.ts
// cvmRankGaps4); exact distribution when max(n) ≤ 20 (Xiao et al. 2006), otherwise
// 1 − CDF∞ of the normalised T (Csörgő & Faraway 1996), p = 1 when T < 0.003.

import { cvmTwoSampleP } from "../../special/cramer-von-mises.ts";
import { cvmRankGaps4 } from "../../special/ties.ts";
import { notApplicable, numericalOnly, numericalPair, scored } from "../outcome.ts";
import { tieGroupsOf } from "../sorted.ts";
import type { DriftTest } from "../types.ts";

export const cramerVonMises: DriftTest = {
  id: "cramer_von_mises",
  kinds: ["numerical"],
  defaultThreshold: 0.1,
  direction: "p_value",
  drifts: "lte",
  run(reference, current) {
    const pair = numericalPair(reference, current);
    if (pair === null) return numericalOnly("cramer_von_mises");
    const nx = pair[0].length;
    const ny = pair[1].length;
    if (nx <= 1 || ny <= 1) return notApplicable("cramer_von_mises needs at least two observations on each side");
    const { a4, b4 } = cvmRankGaps4(tieGroupsOf(pair[0], pair[1]));
    return scored(cvmTwoSampleP(BigInt(nx) * a4 + BigInt(ny) * b4, nx, ny));
  },
};
