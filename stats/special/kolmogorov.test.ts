import { describe, expect, it } from "vitest";
import { specialValues } from "../streaming/fixtures/cases.ts";
import { kolmogorovSf } from "./kolmogorov.ts";
import { kolmogorovNSf } from "./kolmogorov-n.ts";

describe("kolmogorovSf", () => {
  it.each(specialValues.kolmogorov_sf.map((v) => [v.lambda, v.sf] as const))("Q(%d) matches scipy.special.kolmogorov", (lambda, sf) => {
    expect(Math.abs(kolmogorovSf(lambda) - sf)).toBeLessThanOrEqual(1e-14 + 1e-12 * sf);
  });

  it("is 1 at and below 0", () => {
    expect(kolmogorovSf(0)).toBe(1);
    expect(kolmogorovSf(-1)).toBe(1);
  });
});

// scipy 1.17.1 stats.kstwo.sf(x, n) in the Durbin-matrix region (n·x^1.5 ≤ 1.4) on both
// sides of DURBIN_MAX_N, where kolmogorovNSf switches to the Pelz-Good series:
//   python3 -c "from scipy import stats; print(stats.kstwo.sf(0.00491596, 4001))"
const DURBIN_REGION: [n: number, x: number, sf: number][] = [
  [4000, 0.00347651, 0.9999999998330026], [4000, 0.00491678, 0.9999716310539088],
  [4001, 0.00347593, 0.9999999998333514], [4001, 0.00491596, 0.9999716600784339],
  [6000, 0.00265307, 0.9999999999955302], [6000, 0.0037522, 0.9999952008947902],
  [20000, 0.00168151, 0.9999999956533022], [100000, 0.00057507, 0.9999999999999989],
];

describe("kolmogorovNSf where scipy uses the Durbin matrix", () => {
  it.each(DURBIN_REGION)("kstwo.sf n=%d x=%d matches scipy to 1e-9 relative", (n, x, sf) => {
    expect(Math.abs(kolmogorovNSf(n, x) - sf)).toBeLessThanOrEqual(1e-9 * sf);
  });
});
