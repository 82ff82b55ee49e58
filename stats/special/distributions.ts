// Survival functions of the chi-square and Student t distributions, as scipy computes
// them (scipy.special.chdtrc and stdtr): chi2.sf(x, k) = Q(k/2, x/2) and the two-sided
// t p-value 2·P(T ≤ −|t|) = I_{ν/(ν+t²)}(ν/2, 1/2) (Abramowitz & Stegun 26.5.27, 26.7.1).

import { incompleteBeta } from "./beta.ts";
import { gammaQ } from "./gamma.ts";

/** P(χ²_k ≥ x). NaN for k ≤ 0, like scipy (chdtrc(0, 0) is NaN). */
export function chiSquareSf(x: number, k: number): number {
  if (!(k > 0)) return x > 0 ? 0 : NaN;
  if (x === Infinity) return 0;
  return gammaQ(k / 2, x / 2);
}

/** Two-sided p-value of a t statistic with ν degrees of freedom. */
export function studentTTwoSided(t: number, nu: number): number {
  if (Number.isNaN(t)) return NaN;
  if (!Number.isFinite(t)) return 0;
  const t2 = t * t;
  return incompleteBeta(nu / 2, 0.5, nu / (nu + t2), t2 / (nu + t2));
}
