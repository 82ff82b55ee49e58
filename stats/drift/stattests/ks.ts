// ks: two-sample Kolmogorov-Smirnov p-value, two-sided, as scipy.stats.ks_2samp with
// method "auto" (scipy/stats/_stats_py.py). D = max |F_ref − F_cur| over the pooled
// values; exact distribution when max(n_ref, n_cur) ≤ 10000 (Hodges 1958 / Viehmann
// 2021), otherwise kstwo.sf(D, round(n·m/(n+m))) (Simard & L'Ecuyer 2011).

import { kolmogorovNSf } from "../../special/kolmogorov-n.ts";
import { ksTwoSampleExactP } from "../../special/ks-exact.ts";
import type { TieGroups } from "../../special/ties.ts";
import { numericalOnly, numericalPair, scored } from "../outcome.ts";
import { tieGroupsOf } from "../sorted.ts";
import type { DriftTest } from "../types.ts";

const MAX_AUTO_N = 10000;

/** numpy.round: halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** The KS statistic D from tie groups (ECDFs compared at every distinct value). */
export function ksStatistic(groups: TieGroups): number {
  let ca = 0;
  let cb = 0;
  let maxS = -Infinity;
  let minS = Infinity;
  for (let g = 0; g < groups.values.length; g++) {
    ca += groups.countA[g] as number;
    cb += groups.countB[g] as number;
    const diff = ca / groups.nA - cb / groups.nB;
    if (diff > maxS) maxS = diff;
    if (diff < minS) minS = diff;
  }
  const minClipped = Math.min(Math.max(-minS, 0), 1);
  return minClipped > maxS ? minClipped : maxS;
}

/** scipy.stats.ks_2samp(a, b).pvalue from tie groups. */
export function ksPValue(groups: TieGroups): number {
  const n1 = groups.nA;
  const n2 = groups.nB;
  const d = ksStatistic(groups);
  if (Math.max(n1, n2) <= MAX_AUTO_N) {
    const exact = ksTwoSampleExactP(n1, n2, d);
    if (exact !== null) return Math.min(Math.max(exact, 0), 1);
  }
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const en = (m * n) / (m + n);
  return Math.min(Math.max(kolmogorovNSf(roundHalfEven(en), d), 0), 1);
}

export const ks: DriftTest = {
  id: "ks",
  kinds: ["numerical"],
  defaultThreshold: 0.05,
  direction: "p_value",
  drifts: "lte",
  run(reference, current) {
    const pair = numericalPair(reference, current);
    if (pair === null) return numericalOnly("ks");
    return scored(ksPValue(tieGroupsOf(pair[0], pair[1])));
  },
};
