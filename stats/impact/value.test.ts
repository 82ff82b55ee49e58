// Value of predictions: the mergeable sums give exactly what summing each labelled pair's
// value gives, for binary, multiclass and asymmetric regression matrices.
import { describe, expect, it } from "vitest";
import { ConfusionMatrix } from "../perf/confusion.ts";
import { RegressionMetrics } from "../perf/regression.ts";
import { mulberry32, normalFrom } from "../testing/rng.ts";
import { matrixLabels, missingCells, valueOf, valueVsBaseline, type ValueMatrix } from "./value.ts";

const binary: ValueMatrix = { kind: "binary", currency: "USD", tp: 120, fp: -15, fn: -300, tn: 0 };

describe("valueOf", () => {
  it("binary: Σ count × value over the confusion matrix, pair by pair", () => {
    const random = mulberry32(7);
    const cm = new ConfusionMatrix();
    let expected = 0;
    for (let i = 0; i < 5_000; i++) {
      const actual = random() < 0.3 ? 1 : 0;
      const predicted = random() < (actual ? 0.7 : 0.1) ? 1 : 0;
      cm.update(actual, predicted);
      expected += actual ? (predicted ? 120 : -300) : predicted ? -15 : 0;
    }
    const v = valueOf(binary, { cells: cm.toJSON().cells });
    expect(v.total).toBe(expected);
    expect(v.labeled).toBe(5_000);
    expect(v.per_prediction).toBe(expected / 5_000);
    expect(v.unvalued).toBe(0);
  });

  it("binary with true/false labels and an explicit positive label", () => {
    expect(valueOf(binary, { cells: [["true", "true", 2], ["false", "true", 1]] }).total).toBe(2 * 120 - 15);
    const approved: ValueMatrix = { ...binary, positive_label: "approved" } as ValueMatrix;
    expect(valueOf(approved, { cells: [["approved", "rejected", 1], ["rejected", "rejected", 4]] }).total).toBe(-300);
  });

  it("multiclass: cells outside the matrix are counted as unvalued, not as zero", () => {
    const m: ValueMatrix = { kind: "multiclass", currency: "EUR", matrix: { a: { a: 10, b: -5 }, b: { a: -1, b: 3 } } };
    const v = valueOf(m, { cells: [["a", "a", 3], ["a", "b", 1], ["b", "b", 2], ["c", "a", 4]] });
    expect(v).toEqual({ total: 30 - 5 + 6, per_prediction: 31 / 6, labeled: 6, currency: "EUR", unvalued: 4 });
  });

  it("regression: asymmetric under/over costs from Σ|e| and Σe equal the pairwise sum", () => {
    const normal = normalFrom(mulberry32(11));
    const r = new RegressionMetrics();
    let expected = 0;
    for (let i = 0; i < 2_000; i++) {
      const actual = 100 + 20 * normal();
      const predicted = actual + 5 * normal() + 1;
      r.update(actual, predicted);
      const e = predicted - actual;
      expected += e > 0 ? -0.5 * e : -2 * -e;
    }
    const { n, sumAbs, sumErr } = r.toJSON();
    const v = valueOf({ kind: "regression", currency: "USD", under: -2, over: -0.5 }, { regression: { n, sumAbs, sumErr } });
    expect(Math.abs(v.total - expected)).toBeLessThan(1e-9 * Math.abs(expected));
    expect(v.labeled).toBe(2_000);
  });

  it("no labels: zero total and no per-prediction value", () => {
    expect(valueOf(binary, {})).toEqual({ total: 0, per_prediction: null, labeled: 0, currency: "USD", unvalued: 0 });
  });
});

describe("valueVsBaseline", () => {
  it("is the window's value minus its labelled volume at the baseline's value per prediction", () => {
    const window = valueOf(binary, { cells: [["1", "1", 10], ["1", "0", 5], ["0", "0", 85]] });
    const reference = valueOf(binary, { cells: [["1", "1", 14], ["1", "0", 1], ["0", "0", 85]] });
    expect(valueVsBaseline(window, reference)).toBe(window.total - 100 * (reference.total / 100));
    expect(valueVsBaseline(window, null)).toBeNull();
  });
});

describe("multiclass matrix checks", () => {
  it("names the missing cells of a non-square matrix", () => {
    expect(missingCells({ a: { a: 1, b: 0 }, b: { b: 1 } })).toEqual(["b → a"]);
    expect(missingCells({ a: { a: 1 } })).toEqual([]);
    expect(matrixLabels({ b: { a: 1 }, a: { c: 2 } })).toEqual(["a", "b", "c"]);
  });
});
