import type { FeatureDrift, SnapshotMessage, UpdateMessage, VolumePoint, WindowView } from "../../../durable/protocol.ts";
import type { Distribution, EstimatedPerformance, FeatureScore, LiveSnapshot, Multivariate, Performance, QualityRow, UnknownFeature, WindowName, WindowSnapshot } from "../state/live-types.ts";

// Turns the Durable Object's messages (already parsed against the protocol) into the
// dashboard's view of a model version. Pure: no signals, no DOM.

function featureScore(f: FeatureDrift): FeatureScore {
  return { feature: f.feature, kind: f.kind, test: f.method, score: f.score, threshold: f.threshold, direction: f.direction, drifted: f.drifted };
}

/** The metric shown as "the" performance number: ROC AUC or accuracy for classifiers, RMSE for regressors. */
export function keyMetric(p: NonNullable<WindowView["performance"]>): Performance | null {
  const order = p.task === "classification" ? ["roc_auc", "accuracy", "f1"] : ["rmse", "mae", "r2"];
  for (const name of order) {
    const value = p.metrics[name];
    if (value !== undefined) return { metric: name, value, higherIsBetter: !["rmse", "mae", "log_loss", "brier", "mape"].includes(name) };
  }
  const [first] = Object.entries(p.metrics);
  return first ? { metric: first[0], value: first[1], higherIsBetter: true } : null;
}

/** The estimate of the metric the realised tile shows (ROC AUC unless the realised one is accuracy). */
export function estimatedMetric(w: WindowView): EstimatedPerformance | null {
  const e = w.estimated_performance;
  if (!e) return null;
  const realised = w.performance ? keyMetric(w.performance) : null;
  const metric = realised?.metric === "accuracy" ? "accuracy" : "roc_auc";
  const [low, high] = e.ci95[metric];
  return { metric, value: e[metric], low: low ?? e[metric], high: high ?? e[metric], diverged: e.diverged };
}

function quality(w: WindowView): QualityRow[] {
  const q = w.quality;
  if (!q) return [];
  const names = new Set([...Object.keys(q.missingRate), ...Object.keys(q.outOfRangeRate), ...Object.keys(q.newCategoryRate), ...Object.keys(q.typeViolationRate)]);
  return [...names].map((feature) => ({
    feature,
    missingRate: q.missingRate[feature] ?? null,
    outOfRangeRate: q.outOfRangeRate[feature] ?? null,
    newCategoryRate: q.newCategoryRate[feature] ?? null,
    typeViolationRate: q.typeViolationRate[feature] ?? null,
    absentRate: q.absentRate[feature] ?? null,
  }));
}

function unknownFeatures(w: WindowView): UnknownFeature[] {
  const rates = w.quality?.unknownFeatureRate ?? {};
  return Object.entries(rates)
    .map(([key, rate]) => ({ key, rate }))
    .sort((a, b) => b.rate - a.rate || a.key.localeCompare(b.key));
}

function windowSnapshot(w: WindowView): WindowSnapshot {
  const distributions: Record<string, Distribution> = {};
  for (const f of w.features) if (f.distribution) distributions[f.feature] = f.distribution;
  return {
    window: w.window,
    events: w.rows,
    features: w.features.map(featureScore),
    prediction: w.prediction ? featureScore(w.prediction) : null,
    driftShare: w.driftShare,
    latency: w.latency ? { p50: w.latency.p50, p95: w.latency.p95, p99: w.latency.p99 } : null,
    performance: w.performance ? keyMetric(w.performance) : null,
    estimated: estimatedMetric(w),
    quality: quality(w),
    unknownFeatures: unknownFeatures(w),
    distributions,
  };
}

/** Volume points merged by minute: newer points replace older ones with the same t; the last hour is kept. */
export function mergeVolume(prev: readonly VolumePoint[], next: readonly VolumePoint[]): VolumePoint[] {
  const byT = new Map(prev.map((p) => [p.t, p.events]));
  for (const p of next) byT.set(p.t, p.events);
  const merged = [...byT].map(([t, events]) => ({ t, events })).sort((a, b) => a.t - b.t);
  return merged.slice(-60);
}

/** The new view after a snapshot (replaces everything) or an update (replaces windows, merges volume). */
export function toSnapshot(message: SnapshotMessage | UpdateMessage, previous: LiveSnapshot | null): LiveSnapshot {
  const windows: Partial<Record<WindowName, WindowSnapshot>> = {};
  for (const w of message.windows) windows[w.window] = windowSnapshot(w);
  const b = message.baseline;
  return {
    at: message.serverTime,
    eventRate: message.eventRate,
    totalEvents: message.totals.events,
    lastEventAt: message.totals.lastEventAt,
    windows,
    hasBaseline: b.status === "ready",
    baseline: { status: b.status, source: b.source, rows: b.rows, target: b.target, frozenAt: b.frozenAt },
    volume: message.type === "snapshot" || !previous ? mergeVolume([], message.volume) : mergeVolume(previous.volume, message.volume),
    openAlerts: previous?.openAlerts ?? null,
    multivariate: multivariateOf(message) ?? previous?.multivariate ?? null,
    embeddings: message.embeddings ?? previous?.embeddings ?? [],
    segments: message.segments ?? previous?.segments ?? null,
    ...(message.type === "snapshot" && message.segment !== undefined ? { segment: message.segment } : {}),
  };
}

/** The message's multivariate section in the dashboard's shape (undefined when it carries none). */
export function multivariateOf(message: SnapshotMessage | UpdateMessage): Multivariate | undefined {
  const m = message.multivariate;
  if (!m) return undefined;
  const [low, high] = m.domain_classifier.ci95;
  return {
    classifier: { auc: m.domain_classifier.auc, low: low ?? m.domain_classifier.auc, high: high ?? m.domain_classifier.auc, drifted: m.domain_classifier.drifted, topFeatures: m.domain_classifier.top_features },
    reconstruction: { error: m.reconstruction.error, lower: m.reconstruction.lower, upper: m.reconstruction.upper, drifted: m.reconstruction.drifted },
    computedAt: m.computed_at,
    rows: m.rows,
    reference: m.reference,
  };
}
