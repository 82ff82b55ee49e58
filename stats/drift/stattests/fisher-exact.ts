// fisher_exact: Fisher's exact test, two-sided, as Evidently's legacy
// fisher_exact_stattest.py: the two categories map to 1 and 0 (a placeholder category
// when only one is seen), table [[cur ones, cur zeros], [ref ones, ref zeros]],
// scipy.stats.fisher_exact (stats/special/hypergeometric.ts). The p-value does not
// depend on which category is "1". Evidently accepts only binary data with n_ref = n_cur.

import { fisherExactTwoSided } from "../../special/hypergeometric.ts";
import { categoryCounts } from "../distinct.ts";
import { notApplicable, scored } from "../outcome.ts";
import type { DriftTest } from "../types.ts";

export const fisherExact: DriftTest = {
  id: "fisher_exact",
  kinds: ["categorical"],
  defaultThreshold: 0.1,
  direction: "p_value",
  drifts: "lt",
  run(reference, current) {
    const counts = categoryCounts(reference, current);
    if (counts.keys.length > 2) return notApplicable(`fisher_exact needs at most 2 categories (got ${counts.keys.length})`);
    if (counts.nReference !== counts.nCurrent) {
      return notApplicable(
        `fisher_exact needs as many reference as current values (got ${counts.nReference} and ${counts.nCurrent})`,
      );
    }
    const refOnes = counts.reference[0] as number;
    const curOnes = counts.current[0] as number;
    return scored(
      fisherExactTwoSided([
        [curOnes, counts.nCurrent - curOnes],
        [refOnes, counts.nReference - refOnes],
      ]),
    );
  },
};
