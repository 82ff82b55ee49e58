import { describe, expect, it } from "vitest";
import type { Binning } from "../../profile/bins.ts";
import { buildCategorical, buildNumerical, categoricalCases, numericalCases } from "../fixtures/cases.ts";
import { hellinger } from "./hellinger.ts";

const binnings: Binning[] = ["quantile", "equal_width"];
const numerical = numericalCases.flatMap((c) => binnings.map((b) => [`${c.name} ${b}`, c, b] as const));

describe("hellinger", () => {
  it.each(numerical)("matches numpy on the same bins: %s", (_name, c, binning) => {
    const { feature, window } = buildNumerical(c, binning);
    const value = hellinger(feature.bins.counts, Array.from(window.bins));
    expect(Math.abs(value - c.binnings[binning].hellinger)).toBeLessThanOrEqual(1e-9);
  });

  it.each(categoricalCases.map((c) => [c.name, c] as const))("matches numpy on category cells: %s", (_name, c) => {
    const { feature, window } = buildCategorical(c);
    const reference = [...feature.categories.counts, feature.categories.other_count];
    expect(Math.abs(hellinger(reference, Array.from(window.cells)) - c.hellinger)).toBeLessThanOrEqual(1e-9);
  });

  it("is 0 for equal distributions and 1 for disjoint ones", () => {
    expect(hellinger([1, 2, 3], [2, 4, 6])).toBeLessThan(1e-7);
    expect(hellinger([1, 0], [0, 1])).toBe(1);
  });
});
