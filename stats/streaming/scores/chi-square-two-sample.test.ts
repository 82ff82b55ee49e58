import { describe, expect, it } from "vitest";
import { drawLabels } from "../../testing/arith-samples.ts";
import { buildCategorical, categoricalCases } from "../fixtures/cases.ts";
import { chiSquare } from "./chisquare.ts";
import { chiSquareTwoSample } from "./chi-square-two-sample.ts";

describe("chiSquareTwoSample", () => {
  it.each(categoricalCases.map((c) => [c.name, c] as const))("matches scipy.stats.chi2_contingency(correction=False): %s", (_name, c) => {
    const { feature, window } = buildCategorical(c);
    const reference = [...feature.categories.counts, feature.categories.other_count];
    const result = chiSquareTwoSample(reference, Array.from(window.cells));
    const expected = c.chi_square_two_sample;
    expect(result.df).toBe(expected.df);
    expect(Math.abs(result.statistic - expected.statistic)).toBeLessThanOrEqual(1e-9 * Math.max(1, expected.statistic));
    expect(Math.abs(result.p_value - expected.p_value)).toBeLessThanOrEqual(1e-12 + 1e-9 * expected.p_value);
  });

  it("keeps its null false-alarm rate near α when the window is 5× the reference, unlike goodness of fit", () => {
    const labels = ["a", "b", "c", "d", "e"];
    const weights = [40, 25, 15, 12, 8];
    const trials = 200;
    let twoSample = 0;
    let goodnessOfFit = 0;
    for (let t = 0; t < trials; t++) {
      const count = (seed: number, n: number) => {
        const cells = [0, 0, 0, 0, 0];
        for (const label of drawLabels(seed, n, labels, weights)) cells[labels.indexOf(label)]!++;
        return cells;
      };
      const reference = count(10_000 + t, 2000);
      const current = count(20_000 + t, 10_000);
      if (chiSquareTwoSample(reference, current).p_value < 0.05) twoSample++;
      if (chiSquare(reference, current).p_value < 0.05) goodnessOfFit++;
    }
    expect(twoSample / trials).toBeLessThanOrEqual(0.1);
    expect(goodnessOfFit / trials).toBeGreaterThan(0.5);
  });

  it("gives p = 1 for a single occupied cell and rejects empty sides", () => {
    expect(chiSquareTwoSample([5, 0], [3, 0])).toEqual({ statistic: 0, df: 0, p_value: 1 });
    expect(() => chiSquareTwoSample([0, 0], [1, 1])).toThrow(/counts on both sides/);
  });
});
