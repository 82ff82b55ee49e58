// Exponentially scaled modified Bessel function of the second kind, e^x·K_ν(x), for
// real ν and x > 0, from the integral representation
//   K_ν(x) = ∫_0^∞ exp(−x cosh t) cosh(ν t) dt      (DLMF 10.32.9)
// evaluated with the trapezoidal rule. The integrand is analytic in the strip
// |Im t| < π/2 and decays double-exponentially, so a step h gives an error of order
// exp(−π²/h) (Trefethen & Weideman, SIAM Review 56(3), 2014). For large x the integrand
// is a Gaussian of width 1/√x, so the step also stays below 0.5/√x (error ~ exp(−2π²/(x h²))).

export function besselKScaled(nu: number, x: number): number {
  const H = Math.min(1 / 16, 0.5 / Math.sqrt(x));
  let sum = 0.5;
  for (let i = 1; ; i++) {
    const t = i * H;
    const term = Math.exp(-x * (Math.cosh(t) - 1)) * Math.cosh(nu * t);
    sum += term;
    if (term < 1e-18 * sum) break;
  }
  return sum * H;
}

/** K_ν(x). */
export function besselK(nu: number, x: number): number {
  return besselKScaled(nu, x) * Math.exp(-x);
}
