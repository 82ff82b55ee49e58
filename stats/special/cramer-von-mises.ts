// Two-sample Cramér-von Mises distribution, as Evidently's legacy stattest
// (evidently/legacy/calculations/stattests/cramer_von_mises_stattest.py, itself a copy of
// scipy.stats.cramervonmises_2samp).
// Exact: Xiao, Gordon & Yakovlev, "A C++ Program for the Cramér-von Mises Two-Sample
// Test", J. Stat. Softw. 17(8), 2006, with T. W. Anderson, Ann. Math. Statist. 33(3),
// 1962, eq. 9 to map U to ζ. Asymptotic: limiting one-sample CDF from Csörgő & Faraway,
// "The exact and asymptotic distributions of Cramér-von Mises statistics", JRSS B 58(1),
// 1996, eq. 1.2/1.3, adding terms while they are ≥ 1e-7.

import { besselKScaled } from "./bessel-k.ts";
import { lnGamma } from "./gamma.ts";

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Python's float floor division a // b (CPython float_floor_div), exact for exact inputs. */
export function pyFloorDiv(a: number, b: number): number {
  let mod = a % b;
  let div = (a - mod) / b;
  if (mod !== 0 && b < 0 !== mod < 0) {
    mod += b;
    div -= 1;
  }
  if (div === 0) return 0;
  let fl = Math.floor(div);
  if (div - fl > 0.5) fl += 1;
  return fl;
}

function binomialFloat(n: number, k: number): number {
  let r = 1n;
  for (let i = 1; i <= k; i++) r = (r * BigInt(n - k + i)) / BigInt(i);
  return Number(r);
}

/** Exact Pr(U ≥ s) for sample sizes m, n (Xiao et al. 2006, Algorithm 1 / eq. 11). */
export function cvmExactSf(s: number, m: number, n: number): number {
  const lcm = (m * n) / gcd(m, n);
  const a = lcm / m;
  const b = lcm / n;
  const mn = m * n;
  const zeta = pyFloorDiv(lcm ** 2 * (m + n) * (6 * s - mn * (4 * mn - 1)), 6 * mn ** 2);
  const combinations = binomialFloat(m + n, n);
  let gs: Map<number, number>[] = [new Map([[0, 1]])];
  for (let v = 0; v < m; v++) gs.push(new Map());
  for (let u = 0; u <= n; u++) {
    const next: Map<number, number>[] = [];
    let tmp = new Map<number, number>();
    for (let v = 0; v < gs.length; v++) {
      const g = gs[v] as Map<number, number>;
      const merged = new Map<number, number>();
      const shift = (a * v - b * u) ** 2;
      for (const [val, f] of tmp) merged.set(val + shift, f);
      for (const [val, f] of g) merged.set(val + shift, (merged.get(val + shift) ?? 0) + f);
      tmp = merged;
      next.push(tmp);
    }
    gs = next;
  }
  let count = 0;
  for (const [val, f] of gs[m] as Map<number, number>) if (val >= zeta) count += f;
  return count / combinations;
}

/** CDF of the limiting Cramér-von Mises distribution (Csörgő & Faraway 1996, eq. 1.3). */
export function cvmInfCdf(x: number): number {
  let total = 0;
  for (let k = 0; ; k++) {
    const u = Math.exp(lnGamma(k + 0.5) - lnGamma(k + 1)) / (Math.PI ** 1.5 * Math.sqrt(x));
    const y = 4 * k + 1;
    const q = (y * y) / (16 * x);
    const term = u * Math.sqrt(y) * besselKScaled(0.25, q) * Math.exp(-2 * q);
    total += term;
    if (!(Math.abs(term) >= 1e-7)) break;
  }
  return total;
}

/**
 * p-value of the two-sample statistic from U (eq. 10 of Anderson 1962) given exactly as
 * 4U, as Evidently: exact when max(nx, ny) ≤ 20, otherwise 1 − CDF∞ of the normalised
 * T (eq. 15), with p = 1 when that is below 0.003.
 * T = U/(kN) − (4k − 1)/(6N), k = nx·ny, N = nx + ny, subtracts two numbers of size ~k/N
 * that agree in most of their digits; it is formed here as one exact integer numerator,
 * T = (6·4U − 4k(4k − 1)) / (24kN), so only the final division rounds.
 */
export function cvmTwoSampleP(u4: bigint, nx: number, ny: number): number {
  if (Math.max(nx, ny) <= 20) return cvmExactSf(Number(u4) / 4, nx, ny);
  const k = nx * ny;
  const N = nx + ny;
  const bigK = BigInt(k);
  const t = Number(6n * u4 - 4n * bigK * (4n * bigK - 1n)) / (24 * k * N);
  const et = (1 + 1 / N) / 6;
  let vt = (N + 1) * (4 * k * N - 3 * (nx ** 2 + ny ** 2) - 2 * k);
  vt = vt / (45 * N ** 2 * 4 * k);
  const tn = 1 / 6 + (t - et) / Math.sqrt(45 * vt);
  if (tn < 0.003) return 1;
  return Math.max(0, 1 - cvmInfCdf(tn));
}
