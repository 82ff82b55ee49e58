// One-sided Smirnov survival function Pr(D⁺_n ≥ x), as scipy.special.smirnov computes it
// (scipy/special/xsf/cephes/kolmogorov.h, P. van Mulbregt, arXiv:1802.06966), using the
// Birnbaum-Tingey / Smirnov lower sum
//   Pr(D⁺_n ≥ x) = x · Σ_{v=0}^{⌊n(1−x)⌋} C(n,v) (x + v/n)^{v−1} (1 − x − v/n)^{n−v}.
// scipy evaluates the terms in double-double arithmetic; here every term is formed in
// log space (binomial updated incrementally), which keeps ~1e-12 relative accuracy for
// the sample sizes drift tests see. The special cases and the large-n approximation
// (n > 10⁶: p ≈ exp(−(6nx+1)²/(18n))) are scipy's.

const MINLOG = -7.451332191019412076235e2;
const SMIRNOV_MAX_COMPUTE_N = 1_000_000;

export function smirnovSf(n: number, x: number): number {
  if (!(n > 0 && x >= 0 && x <= 1)) return NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  const nx = n * x;
  let nxfl = Math.floor(nx);
  let alpha = nx - nxfl;
  if (alpha === 1) {
    nxfl += 1;
    alpha = 0;
  }
  let n1mxfl = n - nxfl - (alpha === 0 ? 0 : 1);
  if (alpha === 0) n1mxfl -= 1;
  if (nxfl === 0 || (nxfl === 1 && alpha === 0)) {
    const cdf = x * Math.pow(1 + x, n - 1);
    return clamp01(1 - cdf);
  }
  if (-2 * n * x * x < MINLOG) return 0;
  if (nxfl >= n - 1) return clamp01(Math.pow(1 - x, n));
  if (n > SMIRNOV_MAX_COMPUTE_N) {
    const logp = -Math.pow(6 * n * x + 1, 2) / 18 / n;
    if (logp < -Math.LN2) return Math.exp(logp);
    return clamp01(1 + Math.expm1(logp));
  }
  const nTerms = n1mxfl + 1;
  const logX = Math.log(x);
  let sum = Math.pow(1 - x, n) / x; // v = 0 term without the leading x
  let logC = Math.log(n); // log C(n, 1)
  for (let v = 1; v < nTerms; v++) {
    const t1 = v / n + x;
    const t2 = (n - v) / n - x;
    const term = t2 > 0 ? Math.exp(logC + (v - 1) * Math.log(t1) + (n - v) * Math.log(t2)) : 0;
    sum += term;
    if (term !== 0 && 4 * (nTerms - v) * term < Number.EPSILON * sum) break;
    if (term === 0 && v > n / 2) break;
    logC += Math.log((n - v) / (v + 1));
  }
  return clamp01(Math.exp(logX) * sum);
}

function clamp01(p: number): number {
  return Math.min(1, Math.max(0, p));
}
