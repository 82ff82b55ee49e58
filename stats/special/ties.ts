// The pooled order of two sorted samples as tie groups: each distinct value with how
// many times it occurs in each sample. Rank statistics (KS, Mann-Whitney, Cramér-von
// Mises, Anderson-Darling k-sample, Wasserstein/energy) all read this in O(n), so a
// column pair is sorted once and merged once, whatever tests run on it.

export interface TieGroups {
  /** Distinct values, ascending. */
  readonly values: Float64Array;
  /** Occurrences of values[i] in the first sample. */
  readonly countA: Int32Array;
  /** Occurrences of values[i] in the second sample. */
  readonly countB: Int32Array;
  readonly nA: number;
  readonly nB: number;
}

/** Merge two ascending arrays into tie groups (−0 and 0 are one value, as in numpy). */
export function mergeTieGroups(a: Float64Array, b: Float64Array): TieGroups {
  const cap = a.length + b.length;
  const values = new Float64Array(cap);
  const countA = new Int32Array(cap);
  const countB = new Int32Array(cap);
  let i = 0;
  let j = 0;
  let g = 0;
  while (i < a.length || j < b.length) {
    const va = i < a.length ? (a[i] as number) : Infinity;
    const vb = j < b.length ? (b[j] as number) : Infinity;
    const v = va <= vb ? va : vb;
    let ca = 0;
    let cb = 0;
    while (i < a.length && a[i] === v) {
      i++;
      ca++;
    }
    while (j < b.length && b[j] === v) {
      j++;
      cb++;
    }
    values[g] = v;
    countA[g] = ca;
    countB[g] = cb;
    g++;
  }
  return { values: values.subarray(0, g), countA: countA.subarray(0, g), countB: countB.subarray(0, g), nA: a.length, nB: b.length };
}

/**
 * Midrank statistics of sample A in the pooled sample: rank sum R_A (average ranks for
 * ties), Σ (t³ − t) over tie groups, and Σ_i (r_i − i)² over A and over B (ranks of the
 * i-th smallest member, the Cramér-von Mises U of Anderson 1962, eq. 10).
 */
export function midrankStats(groups: TieGroups): { rankSumA: number; tieTerm: number; cvmA: number; cvmB: number } {
  let before = 0;
  let ia = 0;
  let ib = 0;
  let rankSumA = 0;
  let tieTerm = 0;
  let cvmA = 0;
  let cvmB = 0;
  const { countA, countB } = groups;
  for (let g = 0; g < countA.length; g++) {
    const ca = countA[g] as number;
    const cb = countB[g] as number;
    const t = ca + cb;
    const mid = before + (t + 1) / 2;
    rankSumA += ca * mid;
    tieTerm += t * t * t - t;
    for (let k = 0; k < ca; k++) {
      ia++;
      cvmA += (mid - ia) ** 2;
    }
    for (let k = 0; k < cb; k++) {
      ib++;
      cvmB += (mid - ib) ** 2;
    }
    before += t;
  }
  return { rankSumA, tieTerm, cvmA, cvmB };
}
