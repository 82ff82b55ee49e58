// Quantiles of Student's t distribution, for Welch's interval (mean-shift.ts): the t
// with P(T ≤ t) = p for ν degrees of freedom, found by bisection on the two-sided tail
// of stats/special/distributions.ts (the regularized incomplete beta, A&S 26.7.1), so it
// agrees with scipy.stats.t.ppf to the tail's own accuracy (about 1e-12 relative).
import { studentTTwoSided } from "../special/distributions.ts";

/** t such that P(T_ν ≤ t) = p, for 0 < p < 1 and ν > 0 (ν may be fractional, as Welch's is). */
export function studentTQuantile(p: number, nu: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`p must be in (0, 1): ${p}`);
  if (!(nu > 0)) throw new RangeError(`degrees of freedom must be > 0: ${nu}`);
  if (p === 0.5) return 0;
  const upper = p > 0.5;
  // Two-sided tail wanted at |t|: 2·min(p, 1 − p).
  const tail = 2 * (upper ? 1 - p : p);
  let lo = 0;
  let hi = 2;
  while (studentTTwoSided(hi, nu) > tail) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (studentTTwoSided(mid, nu) > tail) lo = mid;
    else hi = mid;
  }
  const t = (lo + hi) / 2;
  return upper ? t : -t;
}
