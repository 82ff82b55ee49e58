// Survival function of the asymptotic Kolmogorov distribution (scipy.special.kolmogorov,
// scipy.stats.kstwobign.sf), for the approximate KS p-value on sketches.
//
// Q(λ) = P(K > λ) = 2 Σ_{k≥1} (−1)^{k−1} exp(−2k²λ²)              (λ ≥ 1.18)
//      = 1 − (√(2π)/λ) Σ_{k≥1} exp(−(2k−1)²π²/(8λ²))             (λ < 1.18)
// The two forms are Jacobi-theta duals (Kolmogorov 1933; see Marsaglia, Tsang & Wang
// 2003, J. Stat. Softw. 8(18)); each converges in a handful of terms on its side.

export function kolmogorovSf(lambda: number): number {
  if (!(lambda > 0)) return 1;
  if (lambda < 1.18) {
    const factor = -(Math.PI * Math.PI) / (8 * lambda * lambda);
    let sum = 0;
    for (let k = 1; k <= 20; k++) {
      const term = Math.exp(factor * (2 * k - 1) * (2 * k - 1));
      sum += term;
      if (term < 1e-17 * sum) break;
    }
    return Math.min(1, Math.max(0, 1 - (Math.sqrt(2 * Math.PI) / lambda) * sum));
  }
  let sum = 0;
  let sign = 1;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * lambda * lambda);
    sum += sign * term;
    if (term < 1e-17) break;
    sign = -sign;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}
