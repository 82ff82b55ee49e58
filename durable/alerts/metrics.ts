import type { EmbeddingDriftView } from "../protocol.ts";
// What the ModelMonitor hands the alert evaluator on each tick: one summary per
// scored window. Everything is already decided by the statistics layer (a feature's
// score, its threshold and whether it drifted); the evaluator only compares.

export type WindowName = "5m" | "1h" | "24h";
export const WINDOW_NAMES: readonly WindowName[] = ["5m", "1h", "24h"];

/** One column's drift in a window, as scored by stats/streaming against the baseline. */
export interface FeatureDrift {
  feature: string;
  /** The score's name, e.g. "psi", "wasserstein_normed", "ks_p_value". */
  method: string;
  /** Which way the score points: "p_value" drifts below its threshold, "distance" at or above. */
  direction?: "distance" | "p_value";
  score: number;
  threshold: number;
  drifted: boolean;
}

/** Per-feature data quality rates in the window (0..1). Absent features had none. */
export interface DataQuality {
  missingRate: Record<string, number>;
  newCategoryRate: Record<string, number>;
  outOfRangeRate: Record<string, number>;
}

export interface WindowMetrics {
  window: WindowName;
  /** Unix ms. */
  from: number;
  to: number;
  /** Events in the window. */
  rows: number;
  /** Empty when there is no baseline yet. */
  features: FeatureDrift[];
  prediction: FeatureDrift | null;
  /** Performance metrics once labels joined, e.g. { accuracy: 0.91, f1: 0.8, rmse: 3.2 }. */
  performance: Record<string, number>;
  quality: DataQuality | null;
  latency: { p50?: number; p95?: number; p99?: number } | null;
  /** The baseline (reference profile) the window was scored against, e.g. its version or id. */
  baseline?: string | null;
  /** Expected rows for a window of this length from the trailing history; null until known. */
  volumeBaseline: number | null;
}

export interface MonitorMetrics {
  /** The windows scored on this tick (a window may be missing when nothing changed). */
  windows: WindowMetrics[];
  /** Unix ms of the newest event ever received; null before the first. */
  lastEventAt: number | null;
  /** The latest multivariate scores (not per window: from the recent rows); null until computed. */
  multivariate?: MultivariateMetrics | null;
  /** The latest embedding drift per embedding feature (from the recent vectors). */
  embeddings?: EmbeddingDriftView[];
}

export interface MultivariateMetrics {
  computedAt: number;
  rows: number;
  domainClassifier: { auc: number; drifted: boolean; topFeatures: string[] };
  reconstruction: { error: number; upper: number; drifted: boolean };
}
