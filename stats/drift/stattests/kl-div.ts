// kl_div: Kullback-Leibler divergence of reference from current, as Evidently's legacy
// kl_div.py = scipy.stats.entropy(r, c): with r' = r/Σr and c' = c/Σc over the shared
// bins with zero filling, Σ r'·ln(r'/c') (terms with r' = 0 count 0).

import { binnedFor } from "../binning.ts";
import { scored } from "../outcome.ts";
import type { DriftTest } from "../types.ts";

/** scipy.special.rel_entr(x, y). */
export function relEntr(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Infinity;
}

export function sumOf(a: Float64Array): number {
  let s = 0;
  for (const v of a) s += v;
  return s;
}

export const klDiv: DriftTest = {
  id: "kl_div",
  kinds: ["numerical", "categorical"],
  defaultThreshold: 0.1,
  direction: "distance",
  drifts: "gte",
  zeroFilling: true,
  run(reference, current) {
    const { reference: r, current: c } = binnedFor(klDiv, reference, current);
    const sr = sumOf(r);
    const sc = sumOf(c);
    let s = 0;
    for (let i = 0; i < r.length; i++) s += relEntr((r[i] as number) / sr, (c[i] as number) / sc);
    return scored(s);
  },
};
