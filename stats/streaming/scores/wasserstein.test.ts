import { describe, expect, it } from "vitest";
import { KllSketch } from "../../sketch/kll.ts";
import { buildNumerical, numericalCases } from "../fixtures/cases.ts";
import { referenceSketch } from "../reference-cells.ts";
import { wasserstein1, wassersteinNormed } from "./wasserstein.ts";

const cases = numericalCases.map((c) => [c.name, c] as const);

describe("wassersteinNormed on sketches", () => {
  it.each(cases)("is within the stated bound of scipy's wasserstein_distance / std: %s", (_name, c) => {
    const { feature, window } = buildNumerical(c);
    expect(feature.moments.std).toBeCloseTo(c.ref_std, 12);
    const result = wassersteinNormed(referenceSketch(feature), window.sketch, feature.moments.std);
    expect(result.error_bound).toBeGreaterThan(0);
    expect(Math.abs(result.normed - c.wasserstein_normed)).toBeLessThanOrEqual(result.error_bound);
  });

  it("is exact for exact sketches", () => {
    const a = new KllSketch();
    const b = new KllSketch();
    for (const x of [0, 1, 3]) a.update(x);
    for (const x of [5, 6, 8]) b.update(x);
    expect(wasserstein1(a, b)).toBeCloseTo(5, 14);
    const result = wassersteinNormed(a, b, 0);
    expect(result.normed).toBeCloseTo(5 / 0.001, 8);
    expect(result.error_bound).toBe(0);
  });

  it("handles ties and unequal sizes like scipy", () => {
    const a = new KllSketch();
    const b = new KllSketch();
    for (const x of [1, 1, 2]) a.update(x);
    for (const x of [1, 2, 2, 2]) b.update(x);
    // ∫|F_a − F_b| = (2/3 − 1/4)·1 (scipy.stats.wasserstein_distance([1,1,2],[1,2,2,2]) = 0.41666…)
    expect(wasserstein1(a, b)).toBeCloseTo(5 / 12, 14);
  });
});
