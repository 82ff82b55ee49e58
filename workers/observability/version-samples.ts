// One model version's numbers as metric samples: the same for a scrape (the monitor's
// live view, GET /metrics) and for an OTLP push (an outbox row). Only what is known is
// emitted: a window without events has no drift scores, a version without actuals no
// performance, and nothing is ever NaN.
import type { Totals, WindowView } from "../../durable/protocol.ts";
import type { Labels, MetricSet } from "./families.ts";

export const SEVERITIES = ["info", "warning", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** An outbox sink as a monitor reports it (durable/monitor/metrics-view.ts SinkReport). */
export interface SinkNumbers {
  name: string;
  failuresTotal: number;
  consecutiveFailures: number;
  backlog: number;
}

export interface VersionNumbers {
  model: string;
  version: string;
  windows: readonly WindowView[];
  totals: Totals;
  ingestToCountMs: number | null;
  /** Absent in an outbox row (the push reports what the row carries). */
  baselineReady?: boolean;
  sinks?: readonly SinkNumbers[];
  /** Open alerts by severity; absent when not read. */
  openAlerts?: Readonly<Partial<Record<Severity, number>>>;
}

const QUALITY_CHECKS = [
  ["missingRate", "missing"],
  ["absentRate", "absent"],
  ["typeViolationRate", "type_violation"],
  ["outOfRangeRate", "out_of_range"],
  ["newCategoryRate", "new_category"],
] as const;

const PERCENTILES = ["p50", "p95", "p99"] as const;

const finite = (v: number | null | undefined): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

function windowSamples(set: MetricSet, base: Labels, w: WindowView): void {
  const at = { ...base, window: w.window };
  set.add("windowEvents", at, w.rows);
  for (const f of w.features) {
    set.add("featureDriftScore", { ...at, feature: f.feature, method: f.method }, finite(f.score));
    if (f.score !== null) set.add("featureDrifted", { ...at, feature: f.feature }, f.drifted ? 1 : 0);
  }
  if (w.prediction && w.prediction.score !== null) {
    set.add("predictionDriftScore", { ...at, method: w.prediction.method }, finite(w.prediction.score));
    set.add("predictionDrifted", at, w.prediction.drifted ? 1 : 0);
  }
  set.add("driftShare", at, finite(w.driftShare));
  if (w.performance) {
    for (const [metric, value] of Object.entries(w.performance.metrics)) set.add("performance", { ...at, metric }, finite(value));
    set.add("labeled", at, w.performance.labeled);
    if (w.rows > 0) set.add("labelCoverage", at, Math.min(1, w.performance.labeled / w.rows));
  }
  if (w.quality) {
    // Only the schema's features: keys outside it come from clients and are counted, not labelled.
    const features = new Set(w.features.map((f) => f.feature));
    for (const [field, check] of QUALITY_CHECKS) {
      for (const [feature, rate] of Object.entries(w.quality[field])) {
        if (features.has(feature)) set.add("dataQuality", { ...at, feature, check }, finite(rate));
      }
    }
    set.add("unknownFeatures", at, Object.keys(w.quality.unknownFeatureRate).length);
  }
  if (w.latency) {
    // "percentile", not "quantile": Prometheus reserves that label for summaries.
    for (const percentile of PERCENTILES) {
      const ms = finite(w.latency[percentile]);
      set.add("latency", { ...at, percentile }, ms === null ? null : ms / 1000);
    }
  }
}

/** Adds every sample of one model version to the set. */
export function addVersionSamples(set: MetricSet, v: VersionNumbers): void {
  const base: Labels = { model: v.model, version: v.version };
  set.add("eventsIngested", base, v.totals.events);
  set.add("eventsRejected", base, v.totals.rejectedEvents ?? 0);
  set.add("eventsLate", base, v.totals.lateEvents ?? 0);
  set.add("duplicateBatches", base, v.totals.duplicateBatches);
  set.add("actuals", { ...base, result: "matched" }, v.totals.actuals);
  set.add("actuals", { ...base, result: "unmatched" }, v.totals.unmatchedActuals);
  for (const w of v.windows) windowSamples(set, base, w);
  if (v.baselineReady !== undefined) set.add("baselineReady", base, v.baselineReady ? 1 : 0);
  set.add("ingestToScore", base, v.ingestToCountMs === null ? null : v.ingestToCountMs / 1000);
  set.add("lastIngest", base, v.totals.lastEventAt === null ? null : v.totals.lastEventAt / 1000);
  if (v.openAlerts) for (const severity of SEVERITIES) set.add("openAlerts", { ...base, severity }, v.openAlerts[severity] ?? 0);
  for (const s of v.sinks ?? []) {
    const at = { ...base, sink: s.name };
    set.add("sinkFailures", at, s.failuresTotal);
    set.add("sinkBacklog", at, s.backlog);
    set.add("sinkUp", at, s.consecutiveFailures === 0 ? 1 : 0);
  }
}
