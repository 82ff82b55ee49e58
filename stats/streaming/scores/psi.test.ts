import { describe, expect, it } from "vitest";
import type { Binning } from "../../profile/bins.ts";
import { buildCategorical, buildNumerical, categoricalCases, numericalCases } from "../fixtures/cases.ts";
import { psi } from "./psi.ts";

const binnings: Binning[] = ["quantile", "equal_width"];
const numerical = numericalCases.flatMap((c) => binnings.map((b) => [`${c.name} ${b}`, c, b] as const));

describe("psi", () => {
  it.each(numerical)("matches the numpy batch value on the same bins: %s", (_name, c, binning) => {
    const { feature, window } = buildNumerical(c, binning);
    const expected = c.binnings[binning];
    expect(feature.bins.edges).toEqual(expected.edges);
    expect(Array.from(window.bins)).toEqual(expected.cur_counts);
    expect(Math.abs(psi(feature.bins.counts, Array.from(window.bins)) - expected.psi)).toBeLessThanOrEqual(1e-9);
  });

  it.each(categoricalCases.map((c) => [c.name, c] as const))("matches numpy on category cells: %s", (_name, c) => {
    const { feature, window } = buildCategorical(c);
    const reference = [...feature.categories.counts, feature.categories.other_count];
    expect(Math.abs(psi(reference, Array.from(window.cells)) - c.psi)).toBeLessThanOrEqual(1e-9);
  });

  it("is zero for identical proportions and grows with the shift", () => {
    expect(psi([10, 20, 30], [1, 2, 3])).toBeCloseTo(0, 15);
    expect(psi([10, 20, 30], [20, 20, 20])).toBeGreaterThan(psi([10, 20, 30], [12, 20, 28]));
  });

  it("fills zero cells with Evidently's eps in each array separately", () => {
    // zeroFill itself is tested in stats/kernel/zero-fill.test.ts.
    // r = [0.5, 0.5], c = [1, eps=1e-4]: the zero-filled PSI, no renormalisation.
    const expected = (0.5 - 1) * Math.log(0.5 / 1) + (0.5 - 1e-4) * Math.log(0.5 / 1e-4);
    expect(psi([5, 5], [7, 0])).toBeCloseTo(expected, 12);
  });

  it("rejects mismatched or empty inputs", () => {
    expect(() => psi([1, 2], [1, 2, 3])).toThrow(/same non-zero number of cells/);
    expect(() => psi([1, 2], [0, 0])).toThrow(/current weights are all zero/);
    expect(() => psi([1, -2], [1, 1])).toThrow(/reference weights must be finite/);
  });
});
