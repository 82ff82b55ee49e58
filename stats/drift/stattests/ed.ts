// ed: energy distance, as Evidently's legacy energy_distance.py =
// scipy.stats.energy_distance(ref, cur) = √2 · (∫ (F_ref − F_cur)² dx)^{1/2}
// (Székely & Rizzo, "Energy statistics", 2013; scipy _cdf_distance with p = 2).

import { numericalOnly, numericalPair, scored } from "../outcome.ts";
import { tieGroupsOf } from "../sorted.ts";
import type { DriftTest } from "../types.ts";
import { cdfDistance } from "./wasserstein.ts";

export const ed: DriftTest = {
  id: "ed",
  kinds: ["numerical"],
  defaultThreshold: 0.1,
  direction: "distance",
  drifts: "gt",
  run(reference, current) {
    const pair = numericalPair(reference, current);
    if (pair === null) return numericalOnly("ed");
    return scored(Math.SQRT2 * cdfDistance(tieGroupsOf(pair[0], pair[1]), 2));
  },
};
