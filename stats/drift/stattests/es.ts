// es: Epps-Singleton p-value with t = (0.4, 0.8), as Evidently's legacy
// epps_singleton_stattest.py = scipy.stats.epps_singleton_2samp(ref, cur)
// (stats/special/epps-singleton.ts). Evidently refuses a pooled IQR of 0, so that is
// "not applicable" here; scipy also needs at least 5 observations per side.

import { eppsSingleton, iqrSorted } from "../../special/epps-singleton.ts";
import { notApplicable, numericalOnly, numericalPair, scored } from "../outcome.ts";
import { tieGroupsOf } from "../sorted.ts";
import type { DriftTest } from "../types.ts";

function pooledSorted(reference: Float64Array, current: Float64Array): Float64Array {
  const g = tieGroupsOf(reference, current);
  const out = new Float64Array(g.nA + g.nB);
  let k = 0;
  for (let i = 0; i < g.values.length; i++) {
    const c = (g.countA[i] as number) + (g.countB[i] as number);
    out.fill(g.values[i] as number, k, k + c);
    k += c;
  }
  return out;
}

export const es: DriftTest = {
  id: "es",
  kinds: ["numerical"],
  defaultThreshold: 0.05,
  direction: "p_value",
  drifts: "lt",
  run(reference, current) {
    const pair = numericalPair(reference, current);
    if (pair === null) return numericalOnly("es");
    if (pair[0].length < 5 || pair[1].length < 5) return notApplicable("es needs at least 5 observations on each side");
    const iqr = iqrSorted(pooledSorted(pair[0], pair[1]));
    if (iqr === 0) return notApplicable("es is not defined when the pooled interquartile range is 0");
    const distinct = tieGroupsOf(pair[0], pair[1]).values.length;
    return scored(eppsSingleton(pair[0], pair[1], iqr, distinct).pValue);
  },
};
