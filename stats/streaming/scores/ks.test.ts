import { describe, expect, it } from "vitest";
import { KllSketch } from "../../sketch/kll.ts";
import { mulberry32, normalFrom } from "../../testing/rng.ts";
import { buildNumerical, numericalCases } from "../fixtures/cases.ts";
import { referenceSketch } from "../reference-cells.ts";
import { ksDistance, ksTest } from "./ks.ts";

const cases = numericalCases.map((c) => [c.name, c] as const);

describe("ksTest on sketches", () => {
  it.each(cases)("D is within ε_ref + ε_cur of scipy's ks_2samp statistic: %s", (_name, c) => {
    const { feature, window } = buildNumerical(c);
    const result = ksTest(referenceSketch(feature), window.sketch);
    expect(result.error_bound).toBeGreaterThan(0);
    expect(Math.abs(result.d - c.ks_d)).toBeLessThanOrEqual(result.error_bound);
  });

  it.each(cases)("p_approx is conservative against the asymptotic p of the exact D: %s", (_name, c) => {
    const { feature, window } = buildNumerical(c);
    const result = ksTest(referenceSketch(feature), window.sketch);
    expect(result.p_approx).toBeGreaterThanOrEqual(c.ks_p_asymptotic - 1e-12);
    expect(result.p_approx).toBeGreaterThanOrEqual(0);
    expect(result.p_approx).toBeLessThanOrEqual(1);
  });

  it.each(cases)("rejects the shifted cases and keeps the null ones: %s", (_name, c) => {
    const { feature, window } = buildNumerical(c);
    const result = ksTest(referenceSketch(feature), window.sketch);
    expect(result.drifted).toBe(!c.name.startsWith("normal_same"));
    expect(result.threshold).toBeCloseTo(
      Math.sqrt(-0.5 * Math.log(0.025)) * Math.sqrt((c.reference.n + c.current.n) / (c.reference.n * c.current.n)) + result.error_bound,
      12,
    );
  });

  it("charges no error to a sketch that still holds every value", () => {
    const { feature, window } = buildNumerical(numericalCases.find((c) => c.name.startsWith("small_window")) ?? numericalCases[0]!);
    const reference = referenceSketch(feature);
    const result = ksTest(reference, window.sketch);
    expect(result.error_bound).toBeCloseTo(reference.normalizedRankError(false), 15);
  });

  it("is exact for exact sketches", () => {
    const a = new KllSketch(200);
    const b = new KllSketch(200);
    for (const x of [1, 2, 2, 3, 4]) a.update(x);
    for (const x of [2, 3, 5]) b.update(x);
    // F_a: 1→.2, 2→.6, 3→.8, 4→1; F_b: 2→1/3, 3→2/3, 5→1. sup |diff| at x=4: 1 − 2/3
    // (scipy.stats.ks_2samp([1,2,2,3,4], [2,3,5]).statistic = 0.3333…).
    expect(ksDistance(a, b)).toBeCloseTo(1 / 3, 15);
    expect(ksTest(a, b).error_bound).toBe(0);
  });

  it("gives D = 0 and p = 1 for identical sketches", () => {
    const normal = normalFrom(mulberry32(7));
    const a = new KllSketch(200);
    for (let i = 0; i < 10_000; i++) a.update(normal());
    const result = ksTest(a, a);
    expect(result.d).toBe(0);
    expect(result.p_approx).toBe(1);
    expect(result.drifted).toBe(false);
  });

  it.each([100, 1000, 10_000])("keeps the false-alarm rate at or below α on null windows of %i events", (size) => {
    const normal = normalFrom(mulberry32(size));
    const reference = new KllSketch(200);
    for (let i = 0; i < 20_000; i++) reference.update(normal());
    let alarms = 0;
    let pBelowAlpha = 0;
    const trials = 100;
    for (let t = 0; t < trials; t++) {
      const window = new KllSketch(200);
      for (let i = 0; i < size; i++) window.update(normal());
      const result = ksTest(reference, window, 0.05);
      if (result.drifted) alarms++;
      if (result.p_approx <= 0.05) pBelowAlpha++;
    }
    // The rank-error terms make the test conservative; 0.10 leaves room for Monte Carlo noise
    // (binomial sd ≈ 0.022 at 100 trials) while still failing a test that alarms at 2α.
    expect(alarms / trials).toBeLessThanOrEqual(0.1);
    expect(pBelowAlpha / trials).toBeLessThanOrEqual(0.1);
  });

  it("validates its inputs", () => {
    const a = new KllSketch();
    a.update(1);
    expect(() => ksTest(a, new KllSketch())).toThrow(/values on both sides/);
    expect(() => ksTest(a, a, 0)).toThrow(/alpha must be in/);
  });
});
