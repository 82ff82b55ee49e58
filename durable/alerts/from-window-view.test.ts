import { describe, expect, it } from "vitest";
import type { WindowView } from "../protocol.ts";
import { checkRule } from "./conditions.ts";
import { monitorMetrics } from "./from-window-view.ts";
import type { AlertRule } from "./rules.ts";

const view: WindowView = {
  window: "5m", from: 1_000, to: 301_000, rows: 400,
  features: [
    { feature: "income", kind: "numerical", method: "wasserstein_normed", direction: "distance", score: 0.3, threshold: 0.1, drifted: true, count: 400, scores: { psi: 0.5 }, distribution: null },
    { feature: "city", kind: "categorical", method: "chi_square_p_value", direction: "p_value", score: 0.5, threshold: 0.05, drifted: false, count: 400, scores: {}, distribution: null },
    { feature: "empty", kind: "numerical", method: "ks_p_value", direction: "p_value", score: null, threshold: 0.05, drifted: false, count: 0, scores: {}, distribution: null },
  ],
  prediction: null,
  driftShare: 0.5,
  quality: { missingRate: { income: 0.01 }, newCategoryRate: { city: 0 }, outOfRangeRate: {}, typeViolationRate: {}, absentRate: {}, unknownFeatureRate: {} },
  latency: { p50: 10, p95: null, p99: 90, count: 400 },
  performance: { task: "classification", labeled: 50, metrics: { accuracy: 0.9 } },
};

describe("monitorMetrics", () => {
  it("carries scores with their direction, drops unscored columns and null percentiles", () => {
    const m = monitorMetrics([view], { lastEventAt: 301_000, volumeBaseline: { "5m": 380 }, baseline: "training-2026-11" });
    const w = m.windows[0]!;
    expect(w.features.map((f) => f.feature)).toEqual(["income", "city"]);
    expect(w.features[1]!.direction).toBe("p_value");
    expect(w.latency).toEqual({ p50: 10, p99: 90 });
    expect(w.performance).toEqual({ accuracy: 0.9 });
    expect(w.volumeBaseline).toBe(380);
    expect(w.baseline).toBe("training-2026-11");
  });

  it("feeds the rules: a p-value threshold override drifts below it", () => {
    const m = monitorMetrics([view], { lastEventAt: 301_000 });
    const rule = (threshold: number): AlertRule => ({ id: "r", name: "r", severity: "info", window: "5m", condition: { kind: "feature_drift", features: ["city"], threshold }, forEvaluations: 1, cooldownMs: 0, autoResolveAfter: 0, enabled: true });
    expect(checkRule(rule(0.6), m, 301_000).breached).toBe(true);
    expect(checkRule(rule(0.4), m, 301_000).breached).toBe(false);
  });

  it("lets a performance rule watch the label-free estimate before any label arrives", () => {
    const estimated: WindowView = {
      ...view,
      performance: null,
      estimated_performance: {
        accuracy: 0.71, precision: 0.6, recall: 0.5, f1: 0.55, roc_auc: 0.74, roc_auc_bin_error: 0.001,
        ci95: { accuracy: [0.69, 0.73], precision: [0.55, 0.65], recall: [0.45, 0.55], f1: [0.5, 0.6], roc_auc: [0.72, 0.76] },
        count: 400, diverged: [],
      },
    };
    const m = monitorMetrics([estimated], { lastEventAt: 301_000 });
    expect(m.windows[0]!.performance).toEqual({ estimated_accuracy: 0.71, estimated_precision: 0.6, estimated_recall: 0.5, estimated_f1: 0.55, estimated_roc_auc: 0.74 });
    const rule = (value: number): AlertRule => ({ id: "r", name: "r", severity: "warning", window: "5m", condition: { kind: "performance", metric: "estimated_accuracy", op: "below", value }, forEvaluations: 1, cooldownMs: 0, autoResolveAfter: 0, enabled: true });
    expect(checkRule(rule(0.8), m, 301_000).breached).toBe(true);
    expect(checkRule(rule(0.7), m, 301_000).breached).toBe(false);
  });

  it("lets a performance rule watch value.per_prediction once a value matrix is set", () => {
    const valued: WindowView = { ...view, value: { total: -1_200, per_prediction: -24, labeled: 50, currency: "USD", unvalued: 0 }, value_vs_baseline: -900 };
    const m = monitorMetrics([valued], { lastEventAt: 301_000 });
    expect(m.windows[0]!.performance).toEqual({ accuracy: 0.9, "value.per_prediction": -24, "value.total": -1_200, value_vs_baseline: -900 });
    const rule = (value: number): AlertRule => ({ id: "r", name: "r", severity: "warning", window: "5m", condition: { kind: "performance", metric: "value.per_prediction", op: "below", value }, forEvaluations: 1, cooldownMs: 0, autoResolveAfter: 0, enabled: true });
    expect(checkRule(rule(-10), m, 301_000).breached).toBe(true);
    expect(checkRule(rule(-30), m, 301_000).breached).toBe(false);
    // No matrix: the metric is absent, so the rule has nothing to compare (not "clear").
    expect(checkRule(rule(-10), monitorMetrics([view], { lastEventAt: 301_000 }), 301_000).breached).toBeNull();
  });

  it("fires a multivariate rule on the monitor's joint scores, by method or either", () => {
    const multivariate = {
      domain_classifier: { auc: 0.9, ci95: [0.88, 0.92], drifted: true, top_features: [{ feature: "age", importance: 0.5 }, { feature: "income", importance: 0.49 }] },
      reconstruction: { error: 1.0, lower: 0.8, upper: 1.1, drifted: false, components: 2 },
      computed_at: 300_000,
      rows: { reference: 5_000, current: 4_000 },
      reference: "first_events" as const,
    };
    const m = monitorMetrics([view], { lastEventAt: 301_000, multivariate });
    const rule = (method?: "domain_classifier" | "reconstruction"): AlertRule => ({
      id: "r", name: "r", severity: "warning", window: "5m", condition: { kind: "multivariate", ...(method ? { method } : {}) }, forEvaluations: 1, cooldownMs: 0, autoResolveAfter: 0, enabled: true,
    });
    const either = checkRule(rule(), m, 301_000);
    expect(either.breached).toBe(true);
    expect(either.evidence!.summary).toContain("moving most: age, income");
    expect(checkRule(rule("domain_classifier"), m, 301_000).breached).toBe(true);
    expect(checkRule(rule("reconstruction"), m, 301_000).breached).toBe(false);
    expect(checkRule(rule(), monitorMetrics([view], { lastEventAt: 301_000 }), 301_000).breached).toBeNull();
  });

  it("fires an embedding_drift rule on the drifting embedding features, by the chosen method, and names them", () => {
    const embedding = (feature: string, model: boolean, distance: boolean) => ({
      feature, dimension: 768, components: 64, drifted: model,
      methods: {
        model: { score: model ? 0.8 : 0.51, threshold: 0.55, drifted: model, ci95: [0.5, 0.9] },
        distance: { score: distance ? 0.5 : 0.1, threshold: 0.2, drifted: distance, distance: "euclidean" as const },
        ratio: { score: 0, threshold: 0.2, drifted: false, drifted_components: 0 },
      },
      rows: { reference: 2_000, current: 1_500 }, reference: "first_events" as const, computed_at: 300_000,
    });
    const m = monitorMetrics([view], { lastEventAt: 301_000, embeddings: [embedding("title", true, false), embedding("image", false, true)] });
    const rule = (condition: Extract<AlertRule["condition"], { kind: "embedding_drift" }>): AlertRule => ({
      id: "r", name: "r", severity: "warning", window: "5m", condition, forEvaluations: 1, cooldownMs: 0, autoResolveAfter: 0, enabled: true,
    });
    const byModel = checkRule(rule({ kind: "embedding_drift" }), m, 301_000);
    expect(byModel.breached).toBe(true);
    expect(byModel.evidence!.features).toEqual([{ feature: "title", method: "embedding_model", score: 0.8, threshold: 0.55 }]);
    expect(byModel.evidence!.summary).toContain("title 0.8");
    expect(checkRule(rule({ kind: "embedding_drift", features: ["image"] }), m, 301_000).breached).toBe(false);
    expect(checkRule(rule({ kind: "embedding_drift", features: ["image"], method: "distance" }), m, 301_000).evidence!.features.map((f) => f.feature)).toEqual(["image"]);
    expect(checkRule(rule({ kind: "embedding_drift", method: "ratio" }), m, 301_000).breached).toBe(false);
    // No embedding scores yet: the rule cannot be evaluated.
    expect(checkRule(rule({ kind: "embedding_drift" }), monitorMetrics([view], { lastEventAt: 301_000 }), 301_000).breached).toBeNull();
  });
});

