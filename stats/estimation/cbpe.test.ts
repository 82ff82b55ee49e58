// CBPE against scripts/fixtures/gen_cbpe.py (scipy's PAV, numpy), and its promises:
// under pure covariate shift the estimate tracks the realised accuracy; under concept
// shift the realised metrics leave the band (the warning).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mulberry32, normalFrom } from "../testing/rng.ts";
import { CbpeAccumulator, divergedMetrics } from "./cbpe.ts";
import { calibrate, fitIsotonic } from "./isotonic.ts";

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", "cbpe.json"), "utf8")) as {
  reference: { scores: number[]; labels: number[] };
  current: { scores: number[]; labels: number[] };
  threshold: number;
  isotonic: { x: number[]; y: number[] };
  calibrated_current: number[];
  estimate: Record<string, number> & { ci95: Record<string, [number, number]>; roc_auc_exact: number };
};

const close = (actual: number, expected: number, tolerance = 1e-12) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected)));

describe("isotonic calibration", () => {
  it("fits the same steps as scipy's pool-adjacent-violators and interpolates as numpy.interp", () => {
    const fit = fitIsotonic(Float64Array.from(fixture.reference.scores), Uint8Array.from(fixture.reference.labels));
    expect(fit.x.length).toBe(fixture.isotonic.x.length);
    fit.x.forEach((x, i) => close(x, fixture.isotonic.x[i]!));
    fit.y.forEach((y, i) => close(y, fixture.isotonic.y[i]!, 1e-12));
    fixture.current.scores.forEach((score, i) => close(calibrate(fit, score), fixture.calibrated_current[i]!, 1e-12));
  });

  it("is non-decreasing and clips outside the fitted scores", () => {
    const fit = fitIsotonic(Float64Array.of(0.1, 0.2, 0.3, 0.4), Uint8Array.of(0, 1, 0, 1));
    expect([...fit.y]).toEqual([0, 0.5, 0.5, 1]);
    expect(calibrate(fit, -5)).toBe(0);
    expect(calibrate(fit, 5)).toBe(1);
    expect(calibrate(fit, 0.15)).toBeCloseTo(0.25, 15);
  });
});

describe("CBPE", () => {
  function currentAccumulator(): CbpeAccumulator {
    const fit = fitIsotonic(Float64Array.from(fixture.reference.scores), Uint8Array.from(fixture.reference.labels));
    const accumulator = new CbpeAccumulator();
    fixture.current.scores.forEach((score) => accumulator.add(calibrate(fit, score), score >= fixture.threshold));
    return accumulator;
  }

  it("estimates every metric and band as the numpy reference", () => {
    const estimate = currentAccumulator().estimate()!;
    for (const metric of ["accuracy", "precision", "recall", "f1", "roc_auc", "roc_auc_bin_error"] as const) close(estimate[metric], fixture.estimate[metric]!, 1e-9);
    for (const metric of ["accuracy", "precision", "recall", "f1", "roc_auc"] as const) {
      close(estimate.ci95[metric][0], fixture.estimate.ci95[metric]![0], 1e-9);
      close(estimate.ci95[metric][1], fixture.estimate.ci95[metric]![1], 1e-9);
    }
    expect(Math.abs(estimate.roc_auc - fixture.estimate.roc_auc_exact)).toBeLessThanOrEqual(estimate.roc_auc_bin_error);
    expect(estimate.count).toBe(fixture.current.scores.length);
  });

  it("merges windows exactly and survives its JSON form", () => {
    const whole = currentAccumulator();
    const fit = fitIsotonic(Float64Array.from(fixture.reference.scores), Uint8Array.from(fixture.reference.labels));
    const first = new CbpeAccumulator();
    const second = new CbpeAccumulator();
    fixture.current.scores.forEach((score, i) => (i % 3 === 0 ? first : second).add(calibrate(fit, score), score >= 0.5));
    first.merge(CbpeAccumulator.fromJSON(JSON.parse(JSON.stringify(second))));
    const a = whole.estimate()!;
    const b = first.estimate()!;
    for (const metric of ["accuracy", "precision", "recall", "f1", "roc_auc"] as const) close(b[metric], a[metric], 1e-12);
  });

  // Calibrated by construction: p = σ(x), y ~ Bernoulli(p); the model predicts p ≥ 0.5.
  function stream(seed: number, n: number, mean: number, concept: (p: number) => number) {
    const uniform = mulberry32(seed);
    const normal = normalFrom(uniform);
    const rows: Array<{ p: number; y: number }> = [];
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-(mean + normal()) * 1.5));
      rows.push({ p, y: uniform() < concept(p) ? 1 : 0 });
    }
    return rows;
  }

  function realised(rows: Array<{ p: number; y: number }>) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    let tn = 0;
    for (const { p, y } of rows) {
      if (p >= 0.5) y ? tp++ : fp++;
      else y ? fn++ : tn++;
    }
    return { accuracy: (tp + tn) / rows.length, precision: tp / (tp + fp), recall: tp / (tp + fn), f1: (2 * tp) / (2 * tp + fp + fn) };
  }

  it("tracks the realised accuracy within 0.02 under pure covariate shift, over seeds and shifts", () => {
    for (const [seed, mean] of [[1, 0], [2, 0.8], [3, -1.2], [4, 1.5], [5, 0.3]] as const) {
      const rows = stream(seed, 20_000, mean, (p) => p);
      const accumulator = new CbpeAccumulator();
      for (const { p } of rows) accumulator.add(p, p >= 0.5);
      const estimate = accumulator.estimate()!;
      const truth = realised(rows);
      expect(Math.abs(estimate.accuracy - truth.accuracy)).toBeLessThan(0.02);
      expect(divergedMetrics(estimate, truth)).toEqual([]);
    }
  });

  it("warns when the realised metrics leave the band under concept shift", () => {
    // The same scores, but labels now follow a weaker relation: the model is over-confident.
    const rows = stream(9, 20_000, 0.5, (p) => 0.5 + (p - 0.5) * 0.4);
    const accumulator = new CbpeAccumulator();
    for (const { p } of rows) accumulator.add(p, p >= 0.5);
    const diverged = divergedMetrics(accumulator.estimate()!, realised(rows));
    expect(diverged).toContain("accuracy");
  });

  it("refuses a probability outside [0, 1] and estimates nothing for an empty window", () => {
    expect(() => new CbpeAccumulator().add(1.2, true)).toThrow(RangeError);
    expect(new CbpeAccumulator().estimate()).toBeUndefined();
  });
});

describe("baseline calibration", () => {
  it("compacts a fitted map without changing a single prediction", async () => {
    const { compactIsotonic } = await import("./isotonic.ts");
    const fit = fitIsotonic(Float64Array.from(fixture.reference.scores), Uint8Array.from(fixture.reference.labels));
    const compact = compactIsotonic(fit);
    expect(compact.x.length).toBeLessThan(fit.x.length);
    for (let score = -0.05; score <= 1.05; score += 0.0007) expect(calibrate(compact, score)).toBe(calibrate(fit, score));
    fixture.current.scores.forEach((score) => expect(calibrate(compact, score)).toBe(calibrate(fit, score)));
  });

  it("fits from raw cells (numbers or text, 0/1 or true/false) and says why when it cannot", async () => {
    const { fitCalibration, calibrator } = await import("./calibration.ts");
    const scores = fixture.reference.scores.map((s, i) => (i % 2 === 0 ? s : String(s)));
    const actuals = fixture.reference.labels.map((y, i) => (i % 3 === 0 ? y === 1 : y));
    const map = fitCalibration([...scores, "n/a", 1.5], [...actuals, 1, 0]);
    if ("reason" in map) throw new Error(map.reason);
    expect(map.rows).toBe(fixture.reference.scores.length);
    const fit = fitIsotonic(Float64Array.from(fixture.reference.scores), Uint8Array.from(fixture.reference.labels));
    fixture.current.scores.forEach((score) => expect(calibrator(map)(score)).toBe(calibrate(fit, score)));
    expect(fitCalibration([0.1, 0.2], [0, 1])).toEqual({ reason: expect.stringContaining("at least 100") });
    expect(fitCalibration(Array(200).fill(0.3), Array(200).fill(1))).toEqual({ reason: expect.stringContaining("same class") });
  });
});
