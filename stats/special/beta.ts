// Regularized incomplete beta I_x(a, b) by Lentz's continued fraction
// (Numerical Recipes, 3rd ed., §6.4). The caller passes both x and 1 − x so that
// values near 1 are never formed by subtraction; the fraction is evaluated on the
// side where it converges (x < (a+1)/(a+b+2)) and the prefactor is built in log space.

import { lnBeta } from "./gamma.ts";

const EPS = 1e-16;
const TINY = 1e-300;
const MAX_ITER = 100000;

function betaCf(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < MAX_ITER; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}

/** I_x(a, b), with y = 1 − x supplied exactly by the caller. */
export function incompleteBeta(a: number, b: number, x: number, y: number = 1 - x): number {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const logFront = -lnBeta(a, b) + a * Math.log(x) + b * Math.log(y);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaCf(a, b, x)) / a;
  return 1 - (Math.exp(logFront) * betaCf(b, a, y)) / b;
}
