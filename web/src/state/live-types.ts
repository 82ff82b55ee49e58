import type { EmbeddingDriftView, SegmentsView } from "../../../durable/protocol.ts";

// What the dashboard shows about one model version, independent of how it arrived.
// live/ turns the Durable Object's protocol messages into these; REST history fills
// the same shapes, so components never depend on the wire format.

export type WindowName = "5m" | "1h" | "24h";
export const WINDOWS: readonly WindowName[] = ["5m", "1h", "24h"];

export type ModelStatus = "healthy" | "warning" | "drifting" | "degraded" | "no_data";

export interface FeatureScore {
  feature: string;
  kind: string;
  /** The score that decided drift, e.g. "wasserstein_normed", "ks_p_value". */
  test: string;
  score: number | null;
  threshold: number | null;
  /** "p_value": drift when score < threshold; "distance": drift when score > threshold. */
  direction: "p_value" | "distance";
  drifted: boolean;
}

export type Distribution =
  | { kind: "numerical"; edges: number[]; reference: number[]; current: number[] }
  | { kind: "categorical"; categories: string[]; reference: number[]; current: number[] };

/** Rates in [0, 1]; null where the check does not apply (out of range for a category). */
export interface QualityRow {
  feature: string;
  missingRate: number | null;
  outOfRangeRate: number | null;
  newCategoryRate: number | null;
  typeViolationRate: number | null;
  /** Events whose record lacked the key entirely (part of missing). */
  absentRate: number | null;
}

/** A key events carried that the baseline has no feature for, with the share of events carrying it. */
export interface UnknownFeature {
  key: string;
  rate: number;
}

export interface Latency {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface Performance {
  metric: string;
  value: number | null;
  /** Whether bigger is better (accuracy, AUC) or worse (log loss, RMSE). */
  higherIsBetter: boolean;
}

/** The label-free estimate of a classifier's key metric (CBPE), with its 95 % band. */
export interface EstimatedPerformance {
  metric: "roc_auc" | "accuracy";
  value: number;
  low: number;
  high: number;
  /** Realised metrics that left their band once labels arrived: the estimate's assumptions broke. */
  diverged: string[];
}

export interface WindowSnapshot {
  window: WindowName;
  events: number;
  features: FeatureScore[];
  prediction: FeatureScore | null;
  driftShare: number | null;
  latency: Latency | null;
  performance: Performance | null;
  /** Null without binary predictions carrying a score. */
  estimated?: EstimatedPerformance | null;
  quality: QualityRow[];
  unknownFeatures: UnknownFeature[];
  distributions: Record<string, Distribution>;
}

export interface BaselineState {
  /** "collecting": no baseline was uploaded, so the first `target` events become it. */
  status: "collecting" | "ready";
  source: "upload" | "first_events" | null;
  rows: number;
  target: number;
  frozenAt: number | null;
}

/** Events that arrived in one minute (t = the minute's start, ms). */
export interface VolumePoint {
  t: number;
  events: number;
}

export interface LiveSnapshot {
  /** Server time of the update, ms since epoch. */
  at: number;
  eventRate: number;
  totalEvents: number;
  lastEventAt: number | null;
  windows: Partial<Record<WindowName, WindowSnapshot>>;
  hasBaseline: boolean;
  baseline: BaselineState | null;
  /** The last hour, oldest first. */
  volume: VolumePoint[];
  openAlerts: number | null;
  /** Drift of the features together; null until the monitor has computed it. */
  multivariate?: Multivariate | null;
  /** Drift per embedding feature, as the monitor sends it; empty until computed. */
  embeddings?: EmbeddingDriftView[];
  /** The per-segment summary (tracked segments, their drift, segment_drift); null until an event carries a segment. */
  segments?: SegmentsView | null;
  /** Set when the windows are one segment's (GET …/live?segment=). */
  segment?: string;
}

export interface Multivariate {
  classifier: { auc: number; low: number; high: number; drifted: boolean; topFeatures: { feature: string; importance: number }[] };
  reconstruction: { error: number; lower: number; upper: number; drifted: boolean };
  computedAt: number;
  rows: { reference: number; current: number };
  /** Where the reference rows came from. */
  reference: "first_events" | "upload" | "after_baseline";
}

/** One point per update, kept for the live charts (a ring buffer). */
export interface HistoryPoint {
  t: number;
  /** Null in stored history, which keeps window aggregates rather than rates. */
  eventRate: number | null;
  driftShare: number | null;
  predictionScore: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  performance: number | null;
  features: Record<string, number | null>;
}
