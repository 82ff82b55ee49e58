// jensenshannon: Jensen-Shannon distance, as Evidently's legacy jensenshannon.py =
// scipy.spatial.distance.jensenshannon(r, c) over the shared bins without zero filling:
// p = r/Σr, q = c/Σc, m = (p + q)/2, √((Σ rel_entr(p, m) + Σ rel_entr(q, m)) / 2), natural log.

import { binnedFor } from "../binning.ts";
import { scored } from "../outcome.ts";
import type { DriftTest } from "../types.ts";
import { relEntr, sumOf } from "./kl-div.ts";

export function jensenShannonDistance(r: Float64Array, c: Float64Array): number {
  const sr = sumOf(r);
  const sc = sumOf(c);
  let left = 0;
  let right = 0;
  for (let i = 0; i < r.length; i++) {
    const p = (r[i] as number) / sr;
    const q = (c[i] as number) / sc;
    const m = (p + q) / 2;
    left += relEntr(p, m);
    right += relEntr(q, m);
  }
  return Math.sqrt((left + right) / 2);
}

export const jensenshannon: DriftTest = {
  id: "jensenshannon",
  kinds: ["numerical", "categorical"],
  defaultThreshold: 0.1,
  direction: "distance",
  drifts: "gte",
  zeroFilling: false,
  run(reference, current) {
    const binned = binnedFor(jensenshannon, reference, current);
    return scored(jensenShannonDistance(binned.reference, binned.current));
  },
};
