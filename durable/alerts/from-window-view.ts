// The ModelMonitor already builds one WindowView per window for its dashboard update
// (durable/protocol.ts). This turns those views into the evaluator's input, so the
// monitor scores once and both consumers read the same numbers.
import type { WindowView } from "../protocol.ts";
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
    performance: v.performance?.metrics ?? {},
    quality: v.quality ? { missingRate: v.quality.missingRate, newCategoryRate: v.quality.newCategoryRate, outOfRangeRate: v.quality.outOfRangeRate } : null,
    latency: latency && v.latency!.count > 0 ? latency : null,
    volumeBaseline: extras.volumeBaseline?.[v.window] ?? null,
    baseline: extras.baseline ?? null,
  };
}

export function monitorMetrics(views: readonly WindowView[], extras: ViewExtras): MonitorMetrics {
  return { windows: views.map((v) => windowMetrics(v, extras)), lastEventAt: extras.lastEventAt };
}
