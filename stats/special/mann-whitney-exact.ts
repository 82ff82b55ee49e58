// Exact null distribution of the Mann-Whitney U statistic (no ties), used by
// scipy.stats.mannwhitneyu(method="exact") — scipy builds the same frequencies with
// the Andreas Löffler / @toobaz sigma recurrence. The number of arrangements with
// U = u is the coefficient of q^u in the Gaussian binomial [m+n choose m]_q
// (Mann & Whitney 1947; Andrews, "The Theory of Partitions", 1976, §3.3), built here as
// Π_{k=1}^{m} (1 − q^{n+k}) / (1 − q^k), truncated at the degree needed: O(m · maxU).
// Low-order coefficients (the small tail that decides small p-values) stay exact integers.

/** Counts of U = 0..maxU for sample sizes m ≤ n (any order accepted). */
export function mannWhitneyCounts(n1: number, n2: number, maxU: number): Float64Array {
  const m = Math.min(n1, n2);
  const n = Math.max(n1, n2);
  const c = new Float64Array(maxU + 1);
  c[0] = 1;
  for (let k = 1; k <= m; k++) {
    const shift = n + k;
    for (let j = maxU; j >= shift; j--) c[j] = (c[j] as number) - (c[j - shift] as number);
    for (let j = k; j <= maxU; j++) c[j] = (c[j] as number) + (c[j - k] as number);
  }
  return c;
}

function binomial(n: number, k: number): number {
  let r = 1n;
  for (let i = 1; i <= k; i++) r = (r * BigInt(n - k + i)) / BigInt(i);
  return Number(r);
}

/** Pr(U ≥ u) under H0, as scipy's _MWU.sf (both tails include the mass at u). */
export function mannWhitneyExactSf(u: number, n1: number, n2: number): number {
  const total = binomial(n1 + n2, Math.min(n1, n2));
  const kc = n1 * n2 - u;
  const k = Math.min(u, kc);
  const counts = mannWhitneyCounts(n1, n2, k);
  let cdf = 0;
  for (let i = 0; i <= k; i++) cdf += (counts[i] as number) / total;
  if (u < kc) return 1 - cdf + (counts[k] as number) / total;
  return cdf;
}
