// g_test: G-test (log-likelihood power divergence) p-value, per docs/drift-tests.md "g_test":
// scipy.stats.power_divergence(current counts, reference counts, lambda_="log-likelihood"),
// G = 2 Σ o·ln(o/e) with k − 1 degrees of freedom, expected counts not rescaled, so
// scipy accepts it only when n_ref = n_cur (its sums must agree).

import { chiSquareSf } from "../../special/distributions.ts";
import { categoryCounts } from "../distinct.ts";
import { notApplicable, scored } from "../outcome.ts";
import type { DriftTest } from "../types.ts";

export const gTest: DriftTest = {
  id: "g_test",
  kinds: ["categorical"],
  defaultThreshold: 0.1,
  direction: "p_value",
  drifts: "lt",
  run(reference, current) {
    const counts = categoryCounts(reference, current);
    if (counts.nReference !== counts.nCurrent) {
      return notApplicable(
        `g_test needs as many reference as current values (got ${counts.nReference} and ${counts.nCurrent})`,
      );
    }
    const k = counts.keys.length;
    if (k < 2) return notApplicable("g_test needs at least two distinct values (one value leaves 0 degrees of freedom)");
    let g = 0;
    for (let i = 0; i < k; i++) {
      const o = counts.current[i] as number;
      const e = counts.reference[i] as number;
      if (o > 0) g += 2 * o * Math.log(o / e);
    }
    return scored(chiSquareSf(g, k - 1));
  },
};
