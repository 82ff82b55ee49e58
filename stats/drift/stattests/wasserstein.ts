// wasserstein: normed first Wasserstein distance, as Evidently's legacy
// wasserstein_distance_norm.py: W1(ref, cur) / max(std(ref, ddof 0), 0.001), with
// W1 = ∫ |F_ref − F_cur| dx (scipy.stats.wasserstein_distance, _cdf_distance p = 1;
// Ramdas, García Trillos & Cuturi, "On Wasserstein two-sample testing", 2017).

import type { TieGroups } from "../../special/ties.ts";
import { numericalOnly, numericalPair, scored } from "../outcome.ts";
import { sortedOf } from "../sorted.ts";
import type { DriftTest } from "../types.ts";

/** (∫ |F_A − F_B|^p dx)^(1/p) over the pooled values (scipy _cdf_distance). */
export function cdfDistance(groups: TieGroups, p: 1 | 2): number {
  let ca = 0;
  let cb = 0;
  let sum = 0;
  const { values, countA, countB, nA, nB } = groups;
  for (let g = 0; g < values.length - 1; g++) {
    ca += countA[g] as number;
    cb += countB[g] as number;
    const diff = Math.abs(ca / nA - cb / nB);
    const delta = (values[g + 1] as number) - (values[g] as number);
    sum += (p === 1 ? diff : diff * diff) * delta;
  }
  return p === 1 ? sum : Math.sqrt(sum);
}

/**
 * ∫ |F_A − F_B| dx from the two sorted samples, walking their merge without building tie
 * groups. Same terms in the same order as cdfDistance(groups, 1): inside a run of ties
 * the step is 0, so those terms add exactly nothing.
 */
export function w1Sorted(a: Float64Array, b: Float64Array): number {
  const nA = a.length;
  const nB = b.length;
  let i = 0;
  let j = 0;
  let sum = 0;
  let previous = Math.min(a[0] as number, b[0] as number);
  while (i < nA || j < nB) {
    const x = j >= nB || (i < nA && (a[i] as number) <= (b[j] as number)) ? (a[i] as number) : (b[j] as number);
    sum += Math.abs(i / nA - j / nB) * (x - previous);
    // Consume every value equal to x on both sides, so the CDFs step at x as in searchsorted(right).
    while (i < nA && a[i] === x) i++;
    while (j < nB && b[j] === x) j++;
    previous = x;
  }
  return sum;
}

/** Population standard deviation (numpy.std, ddof 0), two-pass. */
export function populationStd(x: Float64Array): number {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i] as number;
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = (x[i] as number) - mean;
    ss += d * d;
  }
  return Math.sqrt(ss / x.length);
}

export const wasserstein: DriftTest = {
  id: "wasserstein",
  kinds: ["numerical"],
  defaultThreshold: 0.1,
  direction: "distance",
  drifts: "gte",
  run(reference, current) {
    const pair = numericalPair(reference, current);
    if (pair === null) return numericalOnly("wasserstein");
    const norm = Math.max(populationStd(pair[0]), 0.001);
    return scored(w1Sorted(sortedOf(pair[0]), sortedOf(pair[1])) / norm);
  },
};
