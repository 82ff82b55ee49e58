// Hypergeometric distribution and Fisher's exact test for a 2×2 table, as
// scipy.stats.fisher_exact(alternative="two-sided") (scipy/stats/_stats_py.py): the
// p-value sums the probabilities of all tables no more likely than the observed one
// (relative tolerance 1e-14), found with a binary search on the far side of the mode.
// pmf(x) = C(K, x)·C(N−K, n−x)/C(N, n), formed in log space with lnBeta.

import { lnBeta } from "./gamma.ts";

/** ln C(n, k) = −ln(n + 1) − ln B(k + 1, n − k + 1), without cancelling large lnΓ values. */
function lnChoose(n: number, k: number): number {
  return -Math.log(n + 1) - lnBeta(k + 1, n - k + 1);
}

/** Hypergeometric law of the number of marked items in a draw of n from N with K marked. */
export function hypergeometric(N: number, K: number, n: number) {
  const lo = Math.max(0, n - (N - K));
  const hi = Math.min(n, K);
  const lnTotal = lnChoose(N, n);
  const pmf = (x: number): number => (x < lo || x > hi ? 0 : Math.exp(lnChoose(K, x) + lnChoose(N - K, n - x) - lnTotal));
  const cdf = (x: number): number => {
    let s = 0;
    for (let i = lo; i <= Math.min(x, hi); i++) s += pmf(i);
    return Math.min(1, s);
  };
  const sf = (x: number): number => {
    let s = 0;
    for (let i = hi; i > Math.max(x, lo - 1); i--) s += pmf(i);
    return Math.min(1, s);
  };
  return { pmf, cdf, sf, lo, hi };
}

/**
 * One draw from Hypergeometric(N, K, n) by inversion, walking outward from the mode
 * with the pmf ratio pmf(x+1)/pmf(x) = (K−x)(n−x)/((x+1)(N−K−n+x+1)); O(√var) steps
 * (Kachitvichyanukul & Schmeiser, "Computer generation of hypergeometric random
 * variates", J. Stat. Comput. Simul. 22, 1985, inversion from the mode).
 */
export function drawHypergeometric(random: () => number, N: number, K: number, n: number): number {
  if (n === 0 || K === 0) return 0;
  if (K === N) return n;
  if (n === N) return K;
  if (K <= 16) {
    // Few marked items: decide for each whether it is drawn (sequential sampling without replacement).
    let x = 0;
    for (let j = 0; j < K; j++) if (random() * (N - j) < n - x) x++;
    return x;
  }
  const lo = Math.max(0, n - (N - K));
  const hi = Math.min(n, K);
  const mode = Math.min(hi, Math.max(lo, Math.floor(((n + 1) * (K + 1)) / (N + 2))));
  const pMode = Math.exp(lnChoose(K, mode) + lnChoose(N - K, n - mode) - lnChoose(N, n));
  let u = random() - pMode;
  if (u <= 0) return mode;
  let down = mode;
  let up = mode;
  let pDown = pMode;
  let pUp = pMode;
  while (down > lo || up < hi) {
    if (down > lo) {
      pDown *= (down * (N - K - n + down)) / ((K - down + 1) * (n - down + 1));
      down--;
      u -= pDown;
      if (u <= 0) return down;
    }
    if (up < hi) {
      pUp *= ((K - up) * (n - up)) / ((up + 1) * (N - K - n + up + 1));
      up++;
      u -= pUp;
      if (u <= 0) return up;
    }
  }
  return mode; // rounding left a sliver of mass unassigned
}

function binarySearch(a: (x: number) => number, d: number, lo0: number, hi0: number): number {
  let lo = lo0;
  let hi = hi0;
  while (lo < hi) {
    const mid = lo + Math.floor((hi - lo) / 2);
    const v = a(mid);
    if (v < d) lo = mid + 1;
    else if (v > d) hi = mid - 1;
    else return mid;
  }
  return a(lo) <= d ? lo : lo - 1;
}

/** Two-sided p-value of Fisher's exact test on [[a, b], [c, d]]. */
export function fisherExactTwoSided(table: readonly [readonly [number, number], readonly [number, number]]): number {
  const [[a, b], [c, d]] = table;
  if (a + c === 0 || b + d === 0 || a + b === 0 || c + d === 0) return 1;
  const n1 = a + b;
  const n2 = c + d;
  const n = a + c;
  const h = hypergeometric(n1 + n2, n1, n);
  const mode = Math.floor(((n + 1) * (n1 + 1)) / (n1 + n2 + 2));
  const pexact = h.pmf(a);
  const pmode = h.pmf(mode);
  const epsilon = 1e-14;
  const gamma = 1 + epsilon;
  if (Math.abs(pexact - pmode) / Math.max(pexact, pmode) <= epsilon) return 1;
  let p: number;
  if (a < mode) {
    const plower = h.cdf(a);
    if (h.pmf(n) > pexact * gamma) return plower;
    const guess = binarySearch((x) => -h.pmf(x), -pexact * gamma, mode, n);
    p = plower + h.sf(guess);
  } else {
    const pupper = h.sf(a - 1);
    if (h.pmf(0) > pexact * gamma) return pupper;
    const guess = binarySearch(h.pmf, pexact * gamma, 0, mode);
    p = pupper + h.cdf(guess);
  }
  return Math.min(p, 1);
}
