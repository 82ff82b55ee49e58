// The ModelMonitor already builds one WindowView per window for its dashboard update
// (durable/protocol.ts). This turns those views into the evaluator's input, so the
// monitor scores once and both consumers read the same numbers.
import type { EmbeddingDriftView, MultivariateView, WindowView } from "../protocol.ts";
import type { FeatureDrift, MonitorMetrics, WindowMetrics } from "./metrics.ts";

type ViewDrift = WindowView["features"][number];

function drift(f: ViewDrift): FeatureDrift | null {
  // A column absent from the window has no score: nothing to compare, not "clear".
  if (f.score === null) return null;
  return { feature: f.feature, method: f.method, direction: f.direction, score: f.score, threshold: f.threshold, drifted: f.drifted };
}

export interface ViewExtras {
  lastEventAt: number | null;
  /** Expected rows per window from the trailing history, when the monitor knows it. */
  volumeBaseline?: Partial<Record<WindowView["window"], number | null>>;
  /** Baseline (reference profile) name or id, for evidence. */
  baseline?: string | null;
  /** The monitor's latest multivariate scores. */
  multivariate?: MultivariateView | null;
  embeddings?: EmbeddingDriftView[];
}

/**
 * Realised metrics by name, and the label-free estimates as `estimated_<metric>`, so a
 * performance rule can watch either ("estimated_accuracy below 0.8" fires before labels);
 * with a value matrix also `value.per_prediction`, `value.total` and `value_vs_baseline`.
 */
function performanceMetrics(v: WindowView): Record<string, number> {
  const out: Record<string, number> = { ...(v.performance?.metrics ?? {}) };
  const estimate = v.estimated_performance;
  if (estimate) {
    for (const metric of ["accuracy", "precision", "recall", "f1", "roc_auc"] as const) out[`estimated_${metric}`] = estimate[metric];
  }
  // The value of the labelled predictions (value matrix, stats/impact), watched like any metric.
  const value = v.value;
  if (value && value.per_prediction !== null) out["value.per_prediction"] = value.per_prediction;
  if (value && value.labeled > 0) out["value.total"] = value.total;
  if (typeof v.value_vs_baseline === "number") out["value_vs_baseline"] = v.value_vs_baseline;
  return out;
}

export function windowMetrics(v: WindowView, extras: ViewExtras): WindowMetrics {
  const latency = v.latency
    ? Object.fromEntries((["p50", "p95", "p99"] as const).flatMap((p) => (v.latency![p] === null ? [] : [[p, v.latency![p]]])))
    : null;
  return {
    window: v.window,
    from: v.from,
    to: v.to,
    rows: v.rows,
    features: v.features.map(drift).filter((f): f is FeatureDrift => f !== null),
    prediction: v.prediction ? drift(v.prediction) : null,
    performance: performanceMetrics(v),
    quality: v.quality ? { missingRate: v.quality.missingRate, newCategoryRate: v.quality.newCategoryRate, outOfRangeRate: v.quality.outOfRangeRate } : null,
    latency: latency && v.latency!.count > 0 ? latency : null,
    volumeBaseline: extras.volumeBaseline?.[v.window] ?? null,
    baseline: extras.baseline ?? null,
  };
}

export function monitorMetrics(views: readonly WindowView[], extras: ViewExtras): MonitorMetrics {
  const v = extras.multivariate ?? null;
  return {
    windows: views.map((view) => windowMetrics(view, extras)),
    lastEventAt: extras.lastEventAt,
    embeddings: extras.embeddings ?? [],
    multivariate:
      v === null
        ? null
        : {
            computedAt: v.computed_at,
            rows: v.rows.current,
            domainClassifier: { auc: v.domain_classifier.auc, drifted: v.domain_classifier.drifted, topFeatures: v.domain_classifier.top_features.map((f) => f.feature) },
            reconstruction: { error: v.reconstruction.error, upper: v.reconstruction.upper, drifted: v.reconstruction.drifted },
          },
  };
}
