import { describe, expect, it } from "vitest";
import { specialValues } from "../streaming/fixtures/cases.ts";
import { kolmogorovSf } from "./kolmogorov.ts";

describe("kolmogorovSf", () => {
  it.each(specialValues.kolmogorov_sf.map((v) => [v.lambda, v.sf] as const))("Q(%d) matches scipy.special.kolmogorov", (lambda, sf) => {
    expect(Math.abs(kolmogorovSf(lambda) - sf)).toBeLessThanOrEqual(1e-14 + 1e-12 * sf);
  });

  it("is 1 at and below 0", () => {
    expect(kolmogorovSf(0)).toBe(1);
    expect(kolmogorovSf(-1)).toBe(1);
  });
});
