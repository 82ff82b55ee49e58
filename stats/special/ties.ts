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
 * ties) and Σ (t³ − t) over tie groups (the Mann-Whitney tie correction).
 */
export function midrankStats(groups: TieGroups): { rankSumA: number; tieTerm: number } {
  let before = 0;
  let rankSumA = 0;
  let tieTerm = 0;
  const { countA, countB } = groups;
  for (let g = 0; g < countA.length; g++) {
    const t = (countA[g] as number) + (countB[g] as number);
    rankSumA += (countA[g] as number) * (before + (t + 1) / 2);
    tieTerm += t * t * t - t;
    before += t;
  }
  return { rankSumA, tieTerm };
}

// The float accumulators move into a BigInt once they reach 2^52: each square is at most
// (2N)² < 2^50 for a pooled N below 2^24, so a float sum below 2^52 plus one square stays
// under 2^53, where every integer is exact. A column pair is checked to be under 2^24 rows.
const FLUSH_AT = 2 ** 52;
const MAX_POOLED = 2 ** 24;

/**
 * 4·Σ_i (r_i − i)² over sample A and over sample B, exactly: r_i is the midrank of the
 * i-th smallest member in the pooled sample, so 2(r_i − i) is an integer and its square
 * is summed in integers. The Cramér-von Mises U = n_x Σ_A + n_y Σ_B (Anderson 1962,
 * eq. 10) grows like n³: at a million rows per side it passes 2^53, where summing the
 * squares in floats (as scipy does, pairwise) drops digits that the p-value's tail then
 * magnifies.
 */
export function cvmRankGaps4(groups: TieGroups): { a4: bigint; b4: bigint } {
  if (groups.nA + groups.nB >= MAX_POOLED) throw new RangeError(`cvmRankGaps4 sums exactly below ${MAX_POOLED} pooled rows`);
  let before = 0;
  let ia = 0;
  let ib = 0;
  let a4 = 0n;
  let b4 = 0n;
  let loA = 0;
  let loB = 0;
  const { countA, countB } = groups;
  for (let g = 0; g < countA.length; g++) {
    const ca = countA[g] as number;
    const cb = countB[g] as number;
    const t = ca + cb;
    const twiceMid = 2 * before + t + 1;
    for (let k = 0; k < ca; k++) {
      ia++;
      const d = twiceMid - 2 * ia;
      loA += d * d;
      if (loA >= FLUSH_AT) {
        a4 += BigInt(loA);
        loA = 0;
      }
    }
    for (let k = 0; k < cb; k++) {
      ib++;
      const d = twiceMid - 2 * ib;
      loB += d * d;
      if (loB >= FLUSH_AT) {
        b4 += BigInt(loB);
        loB = 0;
      }
    }
    before += t;
  }
  return { a4: a4 + BigInt(loA), b4: b4 + BigInt(loB) };
}
