// Correlation between a model metric series and a KPI series, with the figures a reader
// needs to trust it: Pearson's r with its Fisher-z interval and t-test p-value, Spearman's
// rank correlation likewise, and an autocorrelation-adjusted p-value, since neighbouring
// time buckets are rarely independent.
//
// Pearson (1896):  r = Σ(x−x̄)(y−ȳ) / √(Σ(x−x̄)² · Σ(y−ȳ)²).
// p-value: t = r·√((n−2)/(1−r²)) has Student's t with n−2 degrees of freedom under
//   independence and bivariate normality; two-sided p = P(|T| ≥ |t|). This is the value
//   scipy.stats.pearsonr returns (it writes the same law as a beta distribution on r).
// Interval: Fisher (1921) z = atanh(r) is nearly normal with standard error 1/√(n−3), so
//   ci95 = tanh(z ± 1.959964/√(n−3)), as scipy's PearsonRResult.confidence_interval().
// Spearman (1904): Pearson's r of the ranks (ties take their average rank); p from the
//   same t law with n−2 degrees of freedom, as scipy.stats.spearmanr. Interval: Fisher z
//   with the standard error √(1.06/(n−3)) of Fieller, Hartley & Pearson (1957),
//   Biometrika 44, 470–481 (scipy gives none).
// Autocorrelation: with lag-one autocorrelations ρx, ρy of the two series, the effective
//   number of independent pairs is n_eff = n·(1 − ρx·ρy)/(1 + ρx·ρy) (Bretherton et al.
//   1999, J. Climate 12, eq. 31; Bartlett 1935). `p_adjusted` is the t-test p-value with
//   n_eff − 2 degrees of freedom (n_eff clipped to [3, n]); `p` stays the textbook value.
import { studentTTwoSided } from "../special/distributions.ts";

/** z with Φ(z) = 0.975. */
export const Z_975 = 1.959963984540054;

/** At least this many aligned pairs before a correlation is reported. */
export const MIN_PAIRS = 10;

export interface Correlation {
  r: number;
  ci95: [number, number];
  /** Two-sided p-value of r = 0 (t-test with n − 2 degrees of freedom). */
  p: number;
  /** The same test with the autocorrelation-adjusted effective n. */
  p_adjusted: number;
  n: number;
  n_effective: number;
}

/** A correlation, or why there is none. */
export type CorrelationResult = { ok: true; value: Correlation } | { ok: false; reason: string };

function mean(v: readonly number[]): number {
  let s = 0;
  for (const x of v) s += x;
  return s / v.length;
}

/** Pearson's r of two equally long series; NaN when either is constant. */
export function pearsonR(x: readonly number[], y: readonly number[]): number {
  if (x.length !== y.length) throw new RangeError(`series lengths differ: ${x.length} and ${y.length}`);
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    const dx = (x[i] as number) - mx;
    const dy = (y[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return NaN;
  const r = sxy / Math.sqrt(sxx * syy);
  return Math.max(-1, Math.min(1, r));
}

/** Ranks 1..n with ties given their average rank (scipy.stats.rankdata, method="average"). */
export function averageRanks(v: readonly number[]): number[] {
  const order = v.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(v.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && (order[j + 1] as readonly [number, number])[0] === (order[i] as readonly [number, number])[0]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[(order[k] as readonly [number, number])[1]] = rank;
    i = j + 1;
  }
  return ranks;
}

/** Lag-one autocorrelation Σ(x_t−x̄)(x_{t+1}−x̄)/Σ(x_t−x̄)² (Box & Jenkins' estimator); 0 for a constant series. */
export function lagOneAutocorrelation(x: readonly number[]): number {
  const m = mean(x);
  let num = 0;
  let den = 0;
  for (let i = 0; i < x.length; i++) {
    const d = (x[i] as number) - m;
    den += d * d;
    if (i + 1 < x.length) num += d * ((x[i + 1] as number) - m);
  }
  return den === 0 ? 0 : num / den;
}

function tTestP(r: number, df: number): number {
  if (Math.abs(r) === 1) return 0;
  const t = r * Math.sqrt(df / (1 - r * r));
  return studentTTwoSided(t, df);
}

function describe(r: number, x: readonly number[], y: readonly number[], se: number, autocorrelation: { x: number; y: number }): Correlation {
  const n = x.length;
  const z = Math.atanh(r);
  const ci95: [number, number] = [Math.tanh(z - Z_975 * se), Math.tanh(z + Z_975 * se)];
  const rho = autocorrelation.x * autocorrelation.y;
  const nEff = Math.min(n, Math.max(3, (n * (1 - rho)) / (1 + rho)));
  return { r, ci95, p: tTestP(r, n - 2), p_adjusted: tTestP(r, nEff - 2), n, n_effective: nEff };
}

function check(x: readonly number[], y: readonly number[]): string | null {
  if (x.length !== y.length) throw new RangeError(`series lengths differ: ${x.length} and ${y.length}`);
  if (x.length < MIN_PAIRS) return `n = ${x.length} aligned points; a correlation needs at least ${MIN_PAIRS}`;
  return null;
}

/** Pearson's r with Fisher's interval and the t-test p-values; the series are in time order (for the autocorrelation). */
export function pearson(x: readonly number[], y: readonly number[]): CorrelationResult {
  const problem = check(x, y);
  if (problem) return { ok: false, reason: problem };
  const r = pearsonR(x, y);
  if (Number.isNaN(r)) return { ok: false, reason: "one of the series is constant over the range, so it correlates with nothing" };
  const ac = { x: lagOneAutocorrelation(x), y: lagOneAutocorrelation(y) };
  return { ok: true, value: describe(r, x, y, 1 / Math.sqrt(x.length - 3), ac) };
}

/** Spearman's rank correlation, its Fieller–Hartley–Pearson interval and t-test p-values. */
export function spearman(x: readonly number[], y: readonly number[]): CorrelationResult {
  const problem = check(x, y);
  if (problem) return { ok: false, reason: problem };
  const rx = averageRanks(x);
  const ry = averageRanks(y);
  const r = pearsonR(rx, ry);
  if (Number.isNaN(r)) return { ok: false, reason: "one of the series is constant over the range, so it correlates with nothing" };
  const ac = { x: lagOneAutocorrelation(rx), y: lagOneAutocorrelation(ry) };
  return { ok: true, value: describe(r, rx, ry, Math.sqrt(1.06 / (x.length - 3)), ac) };
}
