import { describe, expect, it } from "vitest";
import { zeroFill, zeroFillEps } from "./zero-fill.ts";

describe("zeroFill", () => {
  it("fills zeros with the eps rule, separately per array, without renormalising (typed arrays)", () => {
    expect(Array.from(zeroFill(Float64Array.from([0.5, 0, 0.5])))).toEqual([0.5, 0.0001, 0.5]);
    expect(Array.from(zeroFill(Float64Array.from([0.99995, 0, 0.00005])))).toEqual([0.99995, 0.00005 / 1e6, 0.00005]);
  });

  it("fills zero cells with Evidently's eps in each array separately (plain arrays)", () => {
    expect(zeroFill([0, 0.5, 0.5])).toEqual([1e-4, 0.5, 0.5]);
    expect(zeroFill([0, 0.00005, 0.99995])).toEqual([0.00005 / 1e6, 0.00005, 0.99995]);
  });

  it("keeps the kind of array it was given", () => {
    expect(zeroFill(Float64Array.from([0, 1]))).toBeInstanceOf(Float64Array);
    expect(Array.isArray(zeroFill([0, 1]))).toBe(true);
  });

  it("takes eps at the 1e-4 boundary from the minimum, and 1e-4 when nothing is nonzero", () => {
    expect(zeroFillEps([0, 1e-4, 1 - 1e-4])).toBe(1e-4 / 1e6);
    expect(zeroFillEps([0, 0.25, 0.75])).toBe(1e-4);
    expect(zeroFillEps([0, 0])).toBe(1e-4);
  });
});
