// The rules every model version gets with zero configuration. Conservative bounds:
// they should catch a broken pipeline or a real shift, not page anyone for noise.
// Performance rules need a bound that depends on the model, so none is default.
import type { AlertRule } from "./rules.ts";

export type DefaultRule = Omit<AlertRule, "id" | "enabled"> & { key: string };

const MIN = 60_000;

export const DEFAULT_RULES: readonly DefaultRule[] = [
  { key: "feature_drift", name: "Feature drift", severity: "warning", window: "5m", condition: { kind: "feature_drift" }, forEvaluations: 3, cooldownMs: 30 * MIN, autoResolveAfter: 30 },
  { key: "dataset_drift", name: "Dataset drift", severity: "critical", window: "1h", condition: { kind: "dataset_drift", share: 0.5 }, forEvaluations: 3, cooldownMs: 60 * MIN, autoResolveAfter: 30 },
  { key: "prediction_drift", name: "Prediction drift", severity: "warning", window: "1h", condition: { kind: "prediction_drift" }, forEvaluations: 3, cooldownMs: 60 * MIN, autoResolveAfter: 30 },
  { key: "missing_values", name: "Missing values", severity: "warning", window: "5m", condition: { kind: "data_quality", check: "missing_rate", max: 0.1 }, forEvaluations: 5, cooldownMs: 30 * MIN, autoResolveAfter: 30 },
  { key: "new_categories", name: "New categories", severity: "info", window: "1h", condition: { kind: "data_quality", check: "new_categories", max: 0.05 }, forEvaluations: 5, cooldownMs: 60 * MIN, autoResolveAfter: 30 },
  { key: "out_of_range", name: "Out-of-range values", severity: "info", window: "1h", condition: { kind: "data_quality", check: "out_of_range", max: 0.05 }, forEvaluations: 5, cooldownMs: 60 * MIN, autoResolveAfter: 30 },
  { key: "latency_p99", name: "Latency p99", severity: "warning", window: "5m", condition: { kind: "latency", percentile: "p99", above_ms: 1_000 }, forEvaluations: 5, cooldownMs: 30 * MIN, autoResolveAfter: 30 },
  { key: "volume_anomaly", name: "Volume anomaly", severity: "warning", window: "1h", condition: { kind: "volume", min_ratio: 0.2, max_ratio: 5 }, forEvaluations: 5, cooldownMs: 60 * MIN, autoResolveAfter: 30 },
  { key: "no_data", name: "No data", severity: "warning", window: "5m", condition: { kind: "no_data", minutes: 30 }, forEvaluations: 1, cooldownMs: 60 * MIN, autoResolveAfter: 1 },
];
