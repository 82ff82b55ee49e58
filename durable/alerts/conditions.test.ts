import { describe, expect, it } from "vitest";
import { checkRule } from "./conditions.ts";
import type { MonitorMetrics, WindowMetrics } from "./metrics.ts";
import type { AlertRule, RuleCondition } from "./rules.ts";

const T0 = Date.UTC(2026, 10, 26, 9, 0, 0);
const base: WindowMetrics = {
  window: "1h", from: T0 - 3_600_000, to: T0, rows: 500,
  features: [
    { feature: "age", method: "wasserstein_normed", score: 0.05, threshold: 0.1, drifted: false },
    { feature: "city", method: "chi_square_p_value", score: 0.001, threshold: 0.05, drifted: true },
  ],
  prediction: { feature: "prediction", method: "psi", score: 0.3, threshold: 0.2, drifted: true },
  performance: { accuracy: 0.72, rmse: 3 },
  quality: { missingRate: { age: 0.2, city: 0.01 }, newCategoryRate: { city: 0.02 }, outOfRangeRate: { age: 0 } },
  latency: { p95: 80, p99: 400 },
  volumeBaseline: 2000,
};
const m: MonitorMetrics = { windows: [base], lastEventAt: T0 - 45 * 60_000 };
const rule = (condition: RuleCondition): AlertRule => ({ id: "r", name: "r", severity: "info", window: "1h", condition, forEvaluations: 1, cooldownMs: 0, autoResolveAfter: 0, enabled: true });

describe("checkRule", () => {
  it.each<[string, RuleCondition, boolean | null, number]>([
    ["feature drift uses the scorer's verdict", { kind: "feature_drift" }, true, 0.001],
    ["feature drift limited to stable features", { kind: "feature_drift", features: ["age"] }, false, 0],
    ["an explicit threshold on a distance", { kind: "feature_drift", features: ["age"], threshold: 0.04 }, true, 0.05],
    ["an explicit threshold on a p-value drifts below it", { kind: "feature_drift", features: ["city"], threshold: 0.0001 }, false, 0],
    ["dataset drift share reached", { kind: "dataset_drift", share: 0.5 }, true, 0.5],
    ["dataset drift share not reached", { kind: "dataset_drift", share: 0.6 }, false, 0.5],
    ["prediction drift", { kind: "prediction_drift" }, true, 0.3],
    ["accuracy below a bound", { kind: "performance", metric: "accuracy", op: "below", value: 0.8 }, true, 0.72],
    ["rmse not above its bound", { kind: "performance", metric: "rmse", op: "above", value: 4 }, false, 3],
    ["a metric not reported yet", { kind: "performance", metric: "auc", op: "below", value: 0.8 }, null, 0],
    ["missing rate", { kind: "data_quality", check: "missing_rate", max: 0.1 }, true, 0.2],
    ["new categories within bound", { kind: "data_quality", check: "new_categories", max: 0.05 }, false, 0.02],
    ["latency p99", { kind: "latency", percentile: "p99", above_ms: 300 }, true, 400],
    ["latency p95 fine", { kind: "latency", percentile: "p95", above_ms: 300 }, false, 80],
    ["volume drop", { kind: "volume", min_ratio: 0.5 }, true, 0.25],
    ["volume spike only", { kind: "volume", max_ratio: 3 }, false, 0.25],
    ["no data for 30 min", { kind: "no_data", minutes: 30 }, true, 45],
    ["no data for 60 min", { kind: "no_data", minutes: 60 }, false, 45],
  ])("%s", (_, condition, breached, value) => {
    const v = checkRule(rule(condition), m, T0);
    expect(v.breached).toBe(breached);
    if (breached !== null) expect(v.evidence?.value).toBeCloseTo(value, 9);
  });

  it("skips a window that was not scored and a version that never sent data", () => {
    expect(checkRule({ ...rule({ kind: "feature_drift" }), window: "24h" }, m, T0).breached).toBeNull();
    expect(checkRule(rule({ kind: "no_data", minutes: 1 }), { windows: [], lastEventAt: null }, T0).breached).toBeNull();
  });

  it("lists drifted features worst first in the evidence", () => {
    const w: WindowMetrics = { ...base, features: [
      { feature: "a", method: "psi", score: 0.25, threshold: 0.2, drifted: true },
      { feature: "b", method: "psi", score: 0.9, threshold: 0.2, drifted: true },
    ] };
    const v = checkRule(rule({ kind: "feature_drift" }), { windows: [w], lastEventAt: T0 }, T0);
    expect(v.evidence?.features.map((f) => f.feature)).toEqual(["b", "a"]);
  });
});
