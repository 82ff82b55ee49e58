// t_test: Student's two-sample t-test with pooled variance, two-sided p-value, as
// Evidently's legacy t_test.py = scipy.stats.ttest_ind(ref, cur) (equal_var=True):
// t = (x̄ − ȳ)/√(s²_p (1/n1 + 1/n2)), s²_p = ((n1−1)s1² + (n2−1)s2²)/(n1+n2−2),
// p = I_{ν/(ν+t²)}(ν/2, 1/2) with ν = n1 + n2 − 2.

import { studentTTwoSided } from "../../special/distributions.ts";
import { numericalOnly, numericalPair, scored } from "../outcome.ts";
import type { DriftTest } from "../types.ts";

function meanVar(x: Float64Array): [number, number] {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i] as number;
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = (x[i] as number) - mean;
    ss += d * d;
  }
  return [mean, ss / (x.length - 1)];
}

export const tTest: DriftTest = {
  id: "t_test",
  kinds: ["numerical"],
  defaultThreshold: 0.05,
  direction: "p_value",
  drifts: "lt",
  run(reference, current) {
    const pair = numericalPair(reference, current);
    if (pair === null) return numericalOnly("t_test");
    const n1 = pair[0].length;
    const n2 = pair[1].length;
    const [m1, v1] = meanVar(pair[0]);
    const [m2, v2] = meanVar(pair[1]);
    const df = n1 + n2 - 2;
    const svar = ((n1 - 1) * v1 + (n2 - 1) * v2) / df;
    const t = (m1 - m2) / Math.sqrt(svar * (1 / n1 + 1 / n2));
    return scored(studentTTwoSided(t, df), "t_test is undefined here: both samples are constant and equal, or too small");
  },
};
