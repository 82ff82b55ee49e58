// mannw: Mann-Whitney U p-value, as Evidently's legacy mann_whitney_urank_stattest.py =
// scipy.stats.mannwhitneyu(ref, cur, alternative="less") with continuity correction and
// method "auto" (scipy/stats/_mannwhitneyu.py): U2 = n1·n2 − (R1 − n1(n1+1)/2); exact
// null distribution when min(n) ≤ 8 and there are no ties, otherwise the normal
// approximation z = (U2 − n1n2/2 − 0.5)/σ with the tie-corrected σ, p = Φ(−z).

import { normalCdf } from "../../special/erf.ts";
import { mannWhitneyExactSf } from "../../special/mann-whitney-exact.ts";
import { midrankStats } from "../../special/ties.ts";
import { numericalOnly, numericalPair, scored } from "../outcome.ts";
import { tieGroupsOf } from "../sorted.ts";
import type { DriftTest } from "../types.ts";

export const mannw: DriftTest = {
  id: "mannw",
  kinds: ["numerical"],
  defaultThreshold: 0.05,
  direction: "p_value",
  drifts: "lt",
  run(reference, current) {
    const pair = numericalPair(reference, current);
    if (pair === null) return numericalOnly("mannw");
    const groups = tieGroupsOf(pair[0], pair[1]);
    const n1 = groups.nA;
    const n2 = groups.nB;
    const { rankSumA, tieTerm } = midrankStats(groups);
    const u1 = rankSumA - (n1 * (n1 + 1)) / 2;
    const u = n1 * n2 - u1;
    const ties = groups.values.length < n1 + n2;
    const exact = !(n1 > 8 && n2 > 8) && !ties;
    let p: number;
    if (exact) p = mannWhitneyExactSf(u, n1, n2);
    else {
      const n = n1 + n2;
      const s = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
      const z = (u - (n1 * n2) / 2 - 0.5) / s;
      p = normalCdf(-z);
    }
    return scored(Math.min(Math.max(p, 0), 1));
  },
};
