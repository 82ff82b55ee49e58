// The alert evaluator's view of a tick (durable/alerts/metrics.ts), from the protocol's
// windows: only scored features, performance as a flat record, no nulls.
import type { FeatureDrift as AlertFeatureDrift, MonitorMetrics, WindowMetrics } from "../alerts/metrics.ts";
import type { FeatureDrift, WindowView } from "../protocol.ts";

function drift(f: FeatureDrift): AlertFeatureDrift | null {
  return f.score === null ? null : { feature: f.feature, method: f.method, direction: f.direction, score: f.score, threshold: f.threshold, drifted: f.drifted };
}

function latency(w: WindowView): WindowMetrics["latency"] {
  if (!w.latency) return null;
  const out: { p50?: number; p95?: number; p99?: number } = {};
  if (w.latency.p50 !== null) out.p50 = w.latency.p50;
  if (w.latency.p95 !== null) out.p95 = w.latency.p95;
  if (w.latency.p99 !== null) out.p99 = w.latency.p99;
  return out;
}

export function alertMetrics(windows: readonly WindowView[], lastEventAt: number | null, baseline: string | null): MonitorMetrics {
  return {
    lastEventAt,
    windows: windows.map((w) => ({
      window: w.window,
      from: w.from,
      to: w.to,
      rows: w.rows,
      features: w.features.map(drift).filter((f): f is AlertFeatureDrift => f !== null),
      prediction: w.prediction ? drift(w.prediction) : null,
      performance: w.performance?.metrics ?? {},
      quality: w.quality ? { missingRate: w.quality.missingRate, newCategoryRate: w.quality.newCategoryRate, outOfRangeRate: w.quality.outOfRangeRate } : null,
      latency: latency(w),
      baseline,
      volumeBaseline: null,
    })),
  };
}
