// k-sample Anderson-Darling test for two samples, midrank variant, with scipy's
// p-value: scipy.stats.anderson_ksamp (scipy/stats/_morestats.py) — statistic A²akN of
// Scholz & Stephens, "K-Sample Anderson-Darling Tests", JASA 82(399), 1987, eq. 7,
// standardised with the variance of eq. 4; the p-value interpolates log(significance)
// quadratically over the Table 2 critical values (numpy.polyfit degree 2) and is
// clamped to [0.001, 0.25] outside the table.

import type { TieGroups } from "./ties.ts";

const B0 = [0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085];
const B1 = [-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615];
const B2 = [-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154];
const SIG = [0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001];

/** Least-squares quadratic c0·x² + c1·x + c2 through (x, y), via 3×3 normal equations. */
export function quadraticFit(x: readonly number[], y: readonly number[]): [number, number, number] {
  const s = [0, 0, 0, 0, 0];
  const t = [0, 0, 0];
  for (let i = 0; i < x.length; i++) {
    const xi = x[i] as number;
    const yi = y[i] as number;
    let p = 1;
    for (let k = 0; k < 5; k++) {
      s[k] = (s[k] as number) + p;
      if (k < 3) t[k] = (t[k] as number) + p * yi;
      p *= xi;
    }
  }
  // Solve [[s4 s3 s2][s3 s2 s1][s2 s1 s0]] · [c0 c1 c2] = [t2 t1 t0] by Gaussian elimination.
  const M = [
    [s[4], s[3], s[2], t[2]],
    [s[3], s[2], s[1], t[1]],
    [s[2], s[1], s[0], t[0]],
  ] as number[][];
  for (let c = 0; c < 3; c++) {
    let piv = c;
    for (let r = c + 1; r < 3; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[piv]![c]!)) piv = r;
    [M[c], M[piv]] = [M[piv]!, M[c]!];
    for (let r = c + 1; r < 3; r++) {
      const f = M[r]![c]! / M[c]![c]!;
      for (let k = c; k < 4; k++) M[r]![k] = M[r]![k]! - f * M[c]![k]!;
    }
  }
  const sol = [0, 0, 0];
  for (let r = 2; r >= 0; r--) {
    let v = M[r]![3]!;
    for (let k = r + 1; k < 3; k++) v -= M[r]![k]! * sol[k]!;
    sol[r] = v / M[r]![r]!;
  }
  return [sol[0]!, sol[1]!, sol[2]!];
}

/** A²akN (Scholz & Stephens eq. 7) for two samples from their tie groups. */
export function andersonMidrankStatistic(groups: TieGroups): number {
  const { countA, countB, nA, nB } = groups;
  const N = nA + nB;
  const distinctAll = countA.length === N;
  let sumA = 0;
  let sumB = 0;
  let left = 0;
  let cumA = 0;
  let cumB = 0;
  for (let g = 0; g < countA.length; g++) {
    const ca = countA[g] as number;
    const cb = countB[g] as number;
    const lj = distinctAll ? 1 : ca + cb;
    const Bj = left + lj / 2;
    cumA += ca;
    cumB += cb;
    const MA = cumA - ca / 2;
    const MB = cumB - cb / 2;
    const denom = Bj * (N - Bj) - (N * lj) / 4;
    sumA += ((lj / N) * (N * MA - Bj * nA) ** 2) / denom;
    sumB += ((lj / N) * (N * MB - Bj * nB) ** 2) / denom;
    left += ca + cb;
  }
  return ((sumA / nA + sumB / nB) * (N - 1)) / N;
}

/** Standardised statistic and scipy's interpolated, clamped p-value. Needs ≥ 2 distinct values. */
export function andersonKSamp(groups: TieGroups): { statistic: number; pValue: number } {
  const { nA, nB } = groups;
  const k = 2;
  const N = nA + nB;
  const A2kN = andersonMidrankStatistic(groups);
  const H = 1 / nA + 1 / nB;
  let hsCum = 0;
  let g = 0;
  for (let i = N - 1, idx = 0; i > 1; i--, idx++) {
    hsCum += 1 / i;
    g += hsCum / (idx + 2);
  }
  const h = hsCum + 1;
  const a = (4 * g - 6) * (k - 1) + (10 - 6 * g) * H;
  const b = (2 * g - 4) * k ** 2 + 8 * h * k + (2 * g - 14 * h - 4) * H - 8 * h + 4 * g - 6;
  const c = (6 * h + 2 * g - 2) * k ** 2 + (4 * h - 4 * g + 6) * k + (2 * h - 6) * H + 4 * h;
  const d = (2 * h + 6) * k ** 2 - 4 * h * k;
  const sigmasq = (a * N ** 3 + b * N ** 2 + c * N + d) / ((N - 1) * (N - 2) * (N - 3));
  const m = k - 1;
  const A2 = (A2kN - m) / Math.sqrt(sigmasq);
  const critical = B0.map((b0, i) => b0 + (B1[i] as number) / Math.sqrt(m) + (B2[i] as number) / m);
  let p: number;
  if (A2 < Math.min(...critical)) p = 0.25;
  else if (A2 > Math.max(...critical)) p = 0.001;
  else {
    const [c0, c1, c2] = quadraticFit(critical, SIG.map(Math.log));
    p = Math.exp((c0 * A2 + c1) * A2 + c2);
  }
  return { statistic: A2, pValue: p };
}
