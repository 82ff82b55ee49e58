// Exact two-sided p-value of the two-sample Kolmogorov-Smirnov statistic, ported from
// scipy.stats._stats_py (_attempt_exact_2kssamp, _compute_prob_outside_square) and
// scipy.stats._stats_pythran (_compute_outer_prob_inside_method).
// Sources: Hodges, "The Significance Probability of the Smirnov Two-Sample Test",
// Arkiv för Matematik 3 (1958); Viehmann, "Numerically more stable computation of the
// p-values for the two-sample Kolmogorov-Smirnov test", arXiv:2102.08037 (the 1 − p
// recursion, which avoids the cancellation of computing p as 1 − inside).

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * Pr(D_{n,n} ≥ h/n) = 2·Σ_k (−1)^{k+1} C(2n, n−kh)/C(2n, n), evaluated with a
 * Horner-like nesting P = 2·A0·(1 − A1·(1 − A2·(…))) to avoid subtractive cancellation.
 */
export function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    p = p1 * (1 - p);
  }
  return 2 * p;
}

/**
 * Proportion of lattice paths (0,0)→(m,n) that leave the band |x/m − y/n| < h/lcm(m,n),
 * computed directly as 1 − inside with a sliding window over one column (Viehmann 2021).
 */
export function outerProbInsideMethod(m0: number, n0: number, g: number, h: number): number {
  let m = m0;
  let n = n0;
  if (m < n) [m, n] = [n, m];
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1);
  // 1/(i + j) from a table: a multiply instead of a divide per lattice cell (≤ 1 ulp apart)
  const reciprocal = new Float64Array(m + n + 2);
  for (let k = 1; k < reciprocal.length; k++) reciprocal[k] = 1 / k;
  for (let j = minj; j < maxj; j++) A[j] = 0;
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.max(Math.floor((ng * i - h) / mg) + 1, 0);
    minj = Math.min(minj, n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = ((A[jj + minj - lastminj] as number) * i + val * j) * (reciprocal[i + j] as number);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, maxj - minj, Math.min(maxj - minj + (lastlen - curlen), lenA));
  }
  return A[maxj - minj - 1] as number;
}

/**
 * scipy's exact two-sided p-value for statistic d with sample sizes n1, n2.
 * Returns null when the computation is not representable (scipy then falls back
 * to the asymptotic distribution).
 */
export function ksTwoSampleExactP(n1: number, n2: number, d: number): number | null {
  const g = gcd(n1, n2);
  const lcm = (n1 / g) * n2;
  const h = Math.round(d * lcm); // d·lcm is never exactly a half-integer away from an integer here
  if (h === 0) return 1;
  const prob = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInsideMethod(n1, n2, g, h);
  if (!Number.isFinite(prob) || prob < 0 || prob > 1) return null;
  return prob;
}
