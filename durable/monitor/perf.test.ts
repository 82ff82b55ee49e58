import { describe, expect, it } from "vitest";
import { PerfState, positiveClass } from "./perf.ts";

/** Labels each (actual, predicted) pair as classification, without scores. */
function perf(pairs: [number | boolean | string, number | boolean | string][]): Record<string, number> {
  const state = new PerfState();
  for (const [actual, predicted] of pairs) state.add("classification", predicted, actual, undefined);
  return state.view()!.metrics;
}

describe("PerfState classification metrics", () => {
  it("reports binary precision, recall and F1 for the positive class, and macro means beside them", () => {
    // y_true = [1,1,0,0,1], y_pred = [1,0,0,1,1]. Class 1: TP 2, FP 1, FN 1 → P = R = F1 = 2/3
    // (sklearn precision_recall_fscore_support(average="binary")). Class 0: TP 1, FP 1, FN 1 → 1/2.
    const m = perf([[1, 1], [1, 0], [0, 0], [0, 1], [1, 1]]);
    expect(m.accuracy).toBeCloseTo(3 / 5, 12);
    expect(m.precision).toBeCloseTo(2 / 3, 12);
    expect(m.recall).toBeCloseTo(2 / 3, 12);
    expect(m.f1).toBeCloseTo(2 / 3, 12);
    expect(m.macro_precision).toBeCloseTo((2 / 3 + 1 / 2) / 2, 12);
    expect(m.macro_recall).toBeCloseTo((2 / 3 + 1 / 2) / 2, 12);
  });

  it("treats true as the positive class of boolean labels", () => {
    // One true positive, one missed positive: recall 1/2, precision 1.
    const m = perf([[true, true], [true, false]]);
    expect(m.precision).toBe(1);
    expect(m.recall).toBe(0.5);
    expect(m.macro_recall).toBe(0.25); // class false has no actual: recall 0 (zero_division=0)
  });

  it("leaves binary precision and recall out while the positive class has not occurred", () => {
    const m = perf([[0, 0], [0, 0]]);
    expect(m.accuracy).toBe(1);
    expect(m.precision).toBeUndefined();
    expect(m.recall).toBeUndefined();
    expect(m.macro_precision).toBe(1);
  });

  it("reports macro means as precision, recall and F1 for multiclass labels", () => {
    const m = perf([["a", "a"], ["b", "a"], ["c", "c"]]);
    expect(m.precision).toBe(m.macro_precision);
    expect(m.recall).toBe(m.macro_recall);
    // Classes a (P 1/2, R 1), b (0, 0), c (1, 1): macro precision 1/2, macro recall 2/3.
    expect(m.precision).toBeCloseTo(0.5, 12);
    expect(m.recall).toBeCloseTo(2 / 3, 12);
  });
});

describe("positiveClass", () => {
  it("finds 1 or true among binary labels, null when it never occurred, undefined for other labels", () => {
    expect(positiveClass(["0", "1"])).toBe("1");
    expect(positiveClass(["false", "true"])).toBe("true");
    expect(positiveClass(["0"])).toBeNull();
    expect(positiveClass(["0", "1", "2"])).toBeUndefined();
    expect(positiveClass(["no", "yes"])).toBeUndefined();
  });
});
