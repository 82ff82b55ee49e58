// chisquare: Pearson chi-square p-value, as Evidently's legacy chisquare_stattest.py =
// scipy.stats.chisquare(f_obs = current counts, f_exp = reference counts · n_cur/n_ref)
// over every key of either side; χ² = Σ (o − e)²/e with k − 1 degrees of freedom.
// A key seen only in current has e = 0, so χ² = ∞ and p = 0.

import { chiSquareSf } from "../../special/distributions.ts";
import { categoryCounts } from "../distinct.ts";
import { notApplicable, scored } from "../outcome.ts";
import type { DriftTest } from "../types.ts";

export const chisquare: DriftTest = {
  id: "chisquare",
  kinds: ["categorical"],
  defaultThreshold: 0.05,
  direction: "p_value",
  drifts: "lt",
  run(reference, current) {
    const counts = categoryCounts(reference, current);
    const k = counts.keys.length;
    if (k < 2) return notApplicable("chisquare needs at least two distinct values (one value leaves 0 degrees of freedom)");
    const norm = counts.nCurrent / counts.nReference;
    let stat = 0;
    for (let i = 0; i < k; i++) {
      const o = counts.current[i] as number;
      const e = (counts.reference[i] as number) * norm;
      stat += ((o - e) * (o - e)) / e;
    }
    return scored(chiSquareSf(stat, k - 1));
  },
};
