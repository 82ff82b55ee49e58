import { describe, expect, it } from "vitest";
import { buildCategorical, categoricalCases } from "../fixtures/cases.ts";
import { lInfinity } from "./l-infinity.ts";

describe("lInfinity", () => {
  it.each(categoricalCases.map((c) => [c.name, c] as const))("matches numpy on category cells: %s", (_name, c) => {
    const { feature, window } = buildCategorical(c);
    expect(feature.categories.values).toEqual(c.kept);
    expect(Array.from(window.cells)).toEqual(c.cur_cells);
    const reference = [...feature.categories.counts, feature.categories.other_count];
    expect(reference).toEqual(c.ref_cells);
    expect(Math.abs(lInfinity(reference, Array.from(window.cells)) - c.l_infinity)).toBeLessThanOrEqual(1e-12);
  });

  it("is the largest single change in share", () => {
    expect(lInfinity([50, 50, 0], [40, 40, 20])).toBeCloseTo(0.2, 15);
    expect(lInfinity([1, 1], [1, 1])).toBe(0);
  });
});
