import { describe, expect, it } from "vitest";
import type { Binning } from "../../profile/bins.ts";
import { buildCategorical, buildNumerical, categoricalCases, numericalCases } from "../fixtures/cases.ts";
import { jensenShannon } from "./jensenshannon.ts";

const binnings: Binning[] = ["quantile", "equal_width"];
const numerical = numericalCases.flatMap((c) => binnings.map((b) => [`${c.name} ${b}`, c, b] as const));

describe("jensenShannon", () => {
  it.each(numerical)("matches scipy's jensenshannon on the same bins: %s", (_name, c, binning) => {
    const { feature, window } = buildNumerical(c, binning);
    const value = jensenShannon(feature.bins.counts, Array.from(window.bins));
    expect(Math.abs(value - c.binnings[binning].js)).toBeLessThanOrEqual(1e-9);
  });

  it.each(categoricalCases.map((c) => [c.name, c] as const))("matches scipy on category cells: %s", (_name, c) => {
    const { feature, window } = buildCategorical(c);
    const reference = [...feature.categories.counts, feature.categories.other_count];
    expect(Math.abs(jensenShannon(reference, Array.from(window.cells)) - c.js)).toBeLessThanOrEqual(1e-9);
  });

  it("is 0 for equal distributions and √ln2 for disjoint ones", () => {
    expect(jensenShannon([1, 2, 3], [2, 4, 6])).toBe(0);
    expect(jensenShannon([1, 0], [0, 1])).toBeCloseTo(Math.sqrt(Math.LN2), 14);
  });
});
