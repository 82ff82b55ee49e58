// Alert rule definitions: what a rule watches (its condition) and how it behaves over
// time (severity, window, hysteresis, cooldown, auto-resolve). Pure data; the API
// validates them (workers/routes/alert-rules.ts) and the evaluator reads them.
import type { WindowName } from "./metrics.ts";

export type Severity = "info" | "warning" | "critical";
export const SEVERITIES: readonly Severity[] = ["info", "warning", "critical"];

export type QualityCheck = "missing_rate" | "new_categories" | "out_of_range";

export type RuleCondition =
  /** Any of `features` (all when omitted) drifted; `threshold` overrides the scorer's own. */
  | { kind: "feature_drift"; features?: string[]; threshold?: number }
  /** At least `share` (0..1) of the scored features drifted. */
  | { kind: "dataset_drift"; share: number }
  | { kind: "prediction_drift"; threshold?: number }
  /** e.g. accuracy below 0.8, or rmse above 4. */
  | { kind: "performance"; metric: string; op: "below" | "above"; value: number }
  /** Any of `features` (all when omitted) has a rate above `max` (0..1). */
  | { kind: "data_quality"; check: QualityCheck; max: number; features?: string[] }
  | { kind: "latency"; percentile: "p95" | "p99"; above_ms: number }
  /** Rows against the trailing baseline: drop below `min_ratio`, spike above `max_ratio`. */
  | { kind: "volume"; min_ratio?: number; max_ratio?: number }
  | { kind: "no_data"; minutes: number }
  /** The features together drifted (docs/ml-drift.md): by `method`, or by either when omitted. */
  | { kind: "multivariate"; method?: "domain_classifier" | "reconstruction" }
  | { kind: "embedding_drift"; features?: string[]; method?: "model" | "distance" | "ratio" };

export type RuleKind = RuleCondition["kind"];
export const RULE_KINDS: readonly RuleKind[] = [
  "feature_drift", "dataset_drift", "prediction_drift", "performance", "data_quality", "latency", "volume", "no_data", "multivariate", "embedding_drift",
];

export interface AlertRule {
  id: string;
  name: string;
  severity: Severity;
  window: WindowName;
  condition: RuleCondition;
  /** Fire only after the condition held for this many consecutive evaluations (hysteresis). */
  forEvaluations: number;
  /** After an alert of this rule resolves, no new one opens for this long. */
  cooldownMs: number;
  /** Resolve by itself once the condition was clear this many consecutive evaluations; 0 = never. */
  autoResolveAfter: number;
  enabled: boolean;
}
