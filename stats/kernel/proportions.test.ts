import { describe, expect, it } from "vitest";
import { checkSameCells, proportions, shares } from "./proportions.ts";

describe("proportions (scores)", () => {
  it("divides each weight by the total", () => {
    expect(proportions([1, 3], "reference")).toEqual([0.25, 0.75]);
    expect(proportions(Uint32Array.from([2, 0, 2]), "current")).toEqual([0.5, 0, 0.5]);
  });

  it("refuses negative, non-finite and all-zero sides, naming the side", () => {
    expect(() => proportions([1, -1], "reference")).toThrow("reference weights must be finite and >= 0: -1");
    expect(() => proportions([1, Number.NaN], "current")).toThrow("current weights must be finite and >= 0: NaN");
    expect(() => proportions([1, Infinity], "current")).toThrow(/must be finite/);
    expect(() => proportions([0, 0], "current")).toThrow("current weights are all zero: nothing to compare");
  });
});

describe("shares (display)", () => {
  it("divides as proportions does", () => {
    const w = [3, 1, 0, 6];
    expect(shares(w)).toEqual(proportions(w, "x"));
    expect(shares(Float64Array.from([1, 1]))).toEqual([0.5, 0.5]);
  });

  it("shows an empty side as zeros instead of throwing", () => {
    expect(shares([0, 0, 0])).toEqual([0, 0, 0]);
    expect(shares([])).toEqual([]);
  });
});

describe("checkSameCells", () => {
  it("needs the same, non-zero number of cells", () => {
    expect(() => checkSameCells([1], [1])).not.toThrow();
    expect(() => checkSameCells([1, 2], [1])).toThrow("same non-zero number of cells: 2 vs 1");
    expect(() => checkSameCells([], [])).toThrow("0 vs 0");
  });
});
