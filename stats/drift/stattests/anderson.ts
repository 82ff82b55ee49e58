// anderson: k-sample Anderson-Darling p-value (midrank variant), as Evidently's legacy
// anderson_darling_stattest.py = scipy.stats.anderson_ksamp([ref, cur]).significance_level
// (Scholz & Stephens 1987), interpolated from the critical-value table and clamped to
// [0.001, 0.25] (stats/special/anderson-ksamp.ts).

import { andersonKSamp } from "../../special/anderson-ksamp.ts";
import { notApplicable, numericalOnly, numericalPair, scored } from "../outcome.ts";
import { tieGroupsOf } from "../sorted.ts";
import type { DriftTest } from "../types.ts";

export const anderson: DriftTest = {
  id: "anderson",
  kinds: ["numerical"],
  defaultThreshold: 0.1,
  direction: "p_value",
  drifts: "lt",
  run(reference, current) {
    const pair = numericalPair(reference, current);
    if (pair === null) return numericalOnly("anderson");
    const groups = tieGroupsOf(pair[0], pair[1]);
    if (groups.values.length < 2) return notApplicable("anderson needs more than one distinct value across both samples");
    return scored(andersonKSamp(groups).pValue);
  },
};
