import { describe, expect, it } from "vitest";
import { buildCategorical, categoricalCases } from "../fixtures/cases.ts";
import { chiSquare } from "./chisquare.ts";

describe("chiSquare", () => {
  it.each(categoricalCases.map((c) => [c.name, c] as const))("matches scipy.stats.chisquare: %s", (_name, c) => {
    const { feature, window } = buildCategorical(c);
    const reference = [...feature.categories.counts, feature.categories.other_count];
    const result = chiSquare(reference, Array.from(window.cells));
    expect(result.df).toBe(c.chi_square.df);
    if (c.chi_square.statistic === null) {
      expect(result.statistic).toBe(Infinity);
      expect(result.p_value).toBe(0);
    } else {
      expect(Math.abs(result.statistic - c.chi_square.statistic)).toBeLessThanOrEqual(1e-9 * Math.max(1, c.chi_square.statistic));
      expect(Math.abs(result.p_value - c.chi_square.p_value)).toBeLessThanOrEqual(1e-12 + 1e-9 * c.chi_square.p_value);
    }
  });

  it("gives p = 1 for counts exactly proportional to the reference", () => {
    expect(chiSquare([10, 20, 30], [5, 10, 15])).toEqual({ statistic: 0, df: 2, p_value: 1 });
  });

  it("gives p = 0 for a category the reference never saw", () => {
    expect(chiSquare([10, 20, 0], [10, 20, 1]).p_value).toBe(0);
  });

  it("handles a single reference cell", () => {
    expect(chiSquare([10, 0], [3, 0]).p_value).toBe(1);
    expect(chiSquare([10, 0], [3, 1]).p_value).toBe(0);
  });
});
