// Epps-Singleton two-sample test on the empirical characteristic function, as
// scipy.stats.epps_singleton_2samp with t = (0.4, 0.8) (scipy/stats/_hypotests.py):
// Epps & Singleton, "An omnibus test for the two-sample problem using the empirical
// characteristic function", J. Stat. Comput. Simul. 26, 1986; t is rescaled by the
// semi-IQR of the pooled sample; W = n·gᵀ Σ⁺ g is χ² with rank(Σ⁺) degrees of freedom,
// with the small-sample correction of the paper when max(nx, ny) < 25.

import { chiSquareSf } from "./distributions.ts";
import { symmetricPinv } from "./symmetric-eigen.ts";

/** numpy.percentile(sorted, q·100, method="linear") on an ascending array. */
export function percentileLinear(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  const virtual = (n - 1) * q;
  const lo = Math.floor(virtual);
  const gamma = virtual - lo;
  const a = sorted[lo] as number;
  const b = sorted[Math.min(lo + 1, n - 1)] as number;
  const diff = b - a;
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}

/** Pooled IQR (75th − 25th percentile, linear interpolation) of an ascending array. */
export function iqrSorted(sorted: Float64Array): number {
  return percentileLinear(sorted, 0.75) - percentileLinear(sorted, 0.25);
}

/** Σ g[start], g[start + stride], … with Neumaier's compensation (Neumaier 1974). */
function neumaierSum(g: Float64Array, start: number, stride: number): number {
  let sum = 0;
  let comp = 0;
  for (let i = start; i < g.length; i += stride) {
    const v = g[i] as number;
    const t = sum + v;
    comp += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + comp;
}

const T = [0.4, 0.8]; // T[1] = 2·T[0] is used by characteristicMoments

/**
 * Means and biased covariance of g(x) = (cos t0x, cos t1x, sin t0x, sin t1x) with t1 = 2·t0
 * (t = 0.4, 0.8): the t1 terms come from the double-angle formulas, halving the
 * trigonometric calls; the values are cached so the covariance pass reuses them.
 * Sums are compensated (Neumaier): the test reads the difference of two means that agree
 * to ~1e-3 at a million rows, so a plain running sum's error (scipy sums pairwise) shows
 * as ~5e-9 relative in the p-value (stats/drift/large-n.test.ts).
 */
function characteristicMoments(x: Float64Array, t0: number): { mean: number[]; cov: number[] } {
  const n = x.length;
  const g = new Float64Array(4 * n);
  const mean = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    const a = t0 * (x[i] as number);
    const c = Math.cos(a);
    const s = Math.sin(a);
    const row = 4 * i;
    g[row] = c;
    g[row + 1] = 2 * c * c - 1;
    g[row + 2] = s;
    g[row + 3] = 2 * s * c;
  }
  for (let k = 0; k < 4; k++) mean[k] = neumaierSum(g, k, 4) / n;
  const cov = new Array<number>(16).fill(0);
  const comp = new Array<number>(16).fill(0);
  for (let i = 0; i < 4 * n; i += 4) {
    const d0 = (g[i] as number) - mean[0]!;
    const d1 = (g[i + 1] as number) - mean[1]!;
    const d2 = (g[i + 2] as number) - mean[2]!;
    const d3 = (g[i + 3] as number) - mean[3]!;
    const d = [d0, d1, d2, d3];
    for (let r = 0; r < 4; r++) {
      for (let c = r; c < 4; c++) {
        const j = r * 4 + c;
        const v = d[r]! * d[c]!;
        const t = cov[j]! + v;
        comp[j] = comp[j]! + (Math.abs(cov[j]!) >= Math.abs(v) ? cov[j]! - t + v : v - t + cov[j]!);
        cov[j] = t;
      }
    }
  }
  for (let j = 0; j < 16; j++) cov[j] = cov[j]! + comp[j]!;
  // numpy.cov (ddof 1) · (n − 1)/n is the biased estimate Σ/n the test uses
  for (let r = 0; r < 4; r++) {
    for (let c = r; c < 4; c++) {
      cov[r * 4 + c] = cov[r * 4 + c]! / n;
      cov[c * 4 + r] = cov[r * 4 + c]!;
    }
  }
  return { mean, cov };
}

/**
 * W statistic and p-value. pooledIqr must be > 0 (the caller reports "not applicable"
 * otherwise). With d distinct pooled values g(x) spans at most d − 1 dimensions, so the
 * covariance has rank ≤ d − 1; scipy's SVD cutoff (4ε·σ_max) normally drops the rounding
 * noise of the other directions, and capping the rank at d − 1 makes that deterministic.
 */
export function eppsSingleton(
  x: Float64Array,
  y: Float64Array,
  pooledIqr: number,
  distinctPooled: number = Infinity,
): { statistic: number; pValue: number } {
  const nx = x.length;
  const ny = y.length;
  const n = nx + ny;
  const sigma = pooledIqr / 2;
  const t0 = T[0]! / sigma;
  const mx = characteristicMoments(x, t0);
  const my = characteristicMoments(y, t0);
  const d = 4;
  const est = mx.cov.map((cx, i) => (n / nx) * cx + (n / ny) * my.cov[i]!);
  const { inverse, rank } = symmetricPinv(est, d, d * Number.EPSILON, Math.min(d, distinctPooled - 1));
  const diff = mx.mean.map((m, i) => m - my.mean[i]!);
  let w = 0;
  for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) w += diff[r]! * inverse[r * d + c]! * diff[c]!;
  w *= n;
  if (Math.max(nx, ny) < 25) {
    const corr = 1 / (1 + n ** -0.45 + 10.1 * (nx ** -1.7 + ny ** -1.7));
    w *= corr;
  }
  return { statistic: w, pValue: chiSquareSf(w, rank) };
}
