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

const T = [0.4, 0.8];

function characteristicMoments(x: Float64Array, ts: readonly number[]): { mean: number[]; cov: number[] } {
  const d = 2 * ts.length;
  const n = x.length;
  const mean = new Array<number>(d).fill(0);
  const g = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const xi = x[i] as number;
    for (let k = 0; k < ts.length; k++) {
      mean[k] = mean[k]! + Math.cos(ts[k]! * xi);
      mean[ts.length + k] = mean[ts.length + k]! + Math.sin(ts[k]! * xi);
    }
  }
  for (let k = 0; k < d; k++) mean[k] = mean[k]! / n;
  const cov = new Array<number>(d * d).fill(0);
  for (let i = 0; i < n; i++) {
    const xi = x[i] as number;
    for (let k = 0; k < ts.length; k++) {
      g[k] = Math.cos(ts[k]! * xi) - mean[k]!;
      g[ts.length + k] = Math.sin(ts[k]! * xi) - mean[ts.length + k]!;
    }
    for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) cov[r * d + c] = cov[r * d + c]! + (g[r] as number) * (g[c] as number);
  }
  // numpy.cov (ddof 1) · (n − 1)/n, the biased estimate the test uses
  for (let k = 0; k < d * d; k++) cov[k] = ((cov[k]! / (n - 1)) * (n - 1)) / n;
  return { mean, cov };
}

/** W statistic and p-value. pooledIqr must be > 0 (the caller reports "not applicable" otherwise). */
export function eppsSingleton(x: Float64Array, y: Float64Array, pooledIqr: number): { statistic: number; pValue: number } {
  const nx = x.length;
  const ny = y.length;
  const n = nx + ny;
  const sigma = pooledIqr / 2;
  const ts = T.map((t) => t / sigma);
  const mx = characteristicMoments(x, ts);
  const my = characteristicMoments(y, ts);
  const d = 2 * ts.length;
  const est = mx.cov.map((cx, i) => (n / nx) * cx + (n / ny) * my.cov[i]!);
  const { inverse, rank } = symmetricPinv(est, d, d * Number.EPSILON);
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
