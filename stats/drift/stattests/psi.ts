// psi: Population Stability Index, as Evidently's legacy psi.py:
// Σ (r − c)·ln(r / c) over the shared bins with zero filling (binning.ts).

import { binnedFor } from "../binning.ts";
import { scored } from "../outcome.ts";
import type { DriftTest } from "../types.ts";

export const psi: DriftTest = {
  id: "psi",
  kinds: ["numerical", "categorical"],
  defaultThreshold: 0.1,
  direction: "distance",
  drifts: "gte",
  zeroFilling: true,
  run(reference, current) {
    const { reference: r, current: c } = binnedFor(psi, reference, current);
    let sum = 0;
    for (let i = 0; i < r.length; i++) {
      const ri = r[i] as number;
      const ci = c[i] as number;
      sum += (ri - ci) * Math.log(ri / ci);
    }
    return scored(sum);
  },
};
