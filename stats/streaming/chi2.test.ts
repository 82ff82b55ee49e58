import { describe, expect, it } from "vitest";
import { chi2Sf, gammaQ, lnGamma } from "./chi2.ts";
import { specialValues } from "./fixtures/cases.ts";

describe("chi2Sf", () => {
  it.each(specialValues.chi2_sf.map((v) => [v.x, v.df, v.sf] as const))("chi2.sf(%d, df=%d) matches scipy", (x, df, sf) => {
    const value = chi2Sf(x, df);
    if (sf < 1e-300) expect(value).toBeLessThan(1e-290);
    else expect(Math.abs(value - sf)).toBeLessThanOrEqual(1e-13 * sf + 1e-15);
  });

  it("has the closed forms for df = 2 and Γ", () => {
    expect(chi2Sf(3, 2)).toBeCloseTo(Math.exp(-1.5), 14);
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(gammaQ(1, 0)).toBe(1);
    expect(() => chi2Sf(1, 0)).toThrow(/df must be > 0/);
  });
});
