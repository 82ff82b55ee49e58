// z: pooled two-proportion z-test, as Evidently's legacy z_stattest.py. p = 1 when both
// sides hold the same single value. Otherwise k0 = the smallest key (code-point order;
// numeric order when every key is a number, as Python sorts numbers), x = 0 for k0 and
// 1 otherwise, p1, p2 the shares of 1s, P = pooled share,
// z = (p1 − p2)/√(P(1 − P)(1/n1 + 1/n2)), p = 2·(1 − Φ(|z|)) computed in that form.

import { normalCdf } from "../../special/erf.ts";
import { categoryCounts } from "../distinct.ts";
import { scored } from "../outcome.ts";
import type { DriftTest } from "../types.ts";

function compareCodePoints(a: string, b: string): number {
  const ai = a[Symbol.iterator]();
  const bi = b[Symbol.iterator]();
  for (;;) {
    const x = ai.next();
    const y = bi.next();
    if (x.done || y.done) return x.done ? (y.done ? 0 : -1) : 1;
    const d = (x.value.codePointAt(0) as number) - (y.value.codePointAt(0) as number);
    if (d !== 0) return d;
  }
}

/** Index of the smallest key, in Python's sorted() order. */
export function smallestKeyIndex(keys: readonly (string | number)[]): number {
  const numeric = keys.every((k) => typeof k === "number" || (k.trim() !== "" && String(Number(k)) === k));
  let best = 0;
  for (let i = 1; i < keys.length; i++) {
    const a = keys[i] as string | number;
    const b = keys[best] as string | number;
    const less = numeric ? Number(a) < Number(b) : compareCodePoints(String(a), String(b)) < 0;
    if (less) best = i;
  }
  return best;
}

export const z: DriftTest = {
  id: "z",
  kinds: ["categorical"],
  defaultThreshold: 0.05,
  direction: "p_value",
  drifts: "lt",
  run(reference, current) {
    const counts = categoryCounts(reference, current);
    const refUnique = counts.reference.filter((c) => c > 0).length;
    const curUnique = counts.current.filter((c) => c > 0).length;
    if (counts.keys.length === 1 && refUnique === 1 && curUnique === 1) return scored(1);
    const k0 = smallestKeyIndex(counts.keys);
    const n1 = counts.nReference;
    const n2 = counts.nCurrent;
    const p1 = (n1 - (counts.reference[k0] as number)) / n1;
    const p2 = (n2 - (counts.current[k0] as number)) / n2;
    const P = (p1 * n1 + p2 * n2) / (n1 + n2);
    const zStat = (p1 - p2) / Math.sqrt(P * (1 - P) * (1 / n1 + 1 / n2));
    return scored(2 * (1 - normalCdf(Math.abs(zStat))));
  },
};
