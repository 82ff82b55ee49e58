// psi: Population Stability Index, as Evidently's legacy psi.py:
// Σ (r − c)·ln(r / c) over the shared bins with zero filling (binning.ts).

import { binnedPercents, fillZeros } from "../binning.ts";
import { scored } from "../outcome.ts";
import type { DriftTest } from "../types.ts";

export const psi: DriftTest = {
  id: "psi",
  kinds: ["numerical", "categorical"],
  defaultThreshold: 0.1,
  direction: "distance",
  drifts: "gte",
  run(reference, current) {
    const binned = binnedPercents(reference, current);
    const r = fillZeros(binned.reference);
    const c = fillZeros(binned.current);
    let sum = 0;
    for (let i = 0; i < r.length; i++) {
      const ri = r[i] as number;
      const ci = c[i] as number;
      sum += (ri - ci) * Math.log(ri / ci);
    }
    return scored(sum);
  },
};
