import type { FeatureScore, LiveSnapshot, ModelStatus, WindowName } from "./live-types.ts";

// A dataset counts as drifting when this share of its features drifts (Evidently's default).
export const DATASET_DRIFT_SHARE = 0.5;

/**
 * One word for a model version's health, from its shortest window with data:
 * no data → no_data; open critical trouble or prediction drift with dataset drift → degraded;
 * dataset drift or prediction drift → drifting; any drifted feature → warning; else healthy.
 */
export function statusOf(snapshot: LiveSnapshot | null, window: WindowName = "5m"): ModelStatus {
  if (!snapshot) return "no_data";
  const w = snapshot.windows[window] ?? snapshot.windows["1h"] ?? snapshot.windows["24h"];
  if (!w || w.events === 0) return "no_data";
  const share = w.driftShare ?? driftShare(w.features);
  const predictionDrift = w.prediction?.drifted ?? false;
  if (predictionDrift && share !== null && share >= DATASET_DRIFT_SHARE) return "degraded";
  if (predictionDrift || (share !== null && share >= DATASET_DRIFT_SHARE)) return "drifting";
  if (w.features.some((f) => f.drifted)) return "warning";
  return "healthy";
}

export function driftShare(features: readonly FeatureScore[]): number | null {
  const scored = features.filter((f) => f.score !== null);
  if (scored.length === 0) return null;
  return scored.filter((f) => f.drifted).length / scored.length;
}

/**
 * How far past its threshold a score is, comparable across tests: > 1 means drifted.
 * p-values compare on a log scale, so 1e-10 against 0.05 ranks far worse than 0.04.
 */
export function severity(f: FeatureScore): number {
  if (f.score === null || f.threshold === null || f.threshold <= 0) return f.drifted ? 1 : 0;
  if (f.direction === "p_value") {
    if (f.threshold >= 1) return f.drifted ? 1 : 0;
    return Math.log(Math.max(f.score, 1e-300)) / Math.log(f.threshold);
  }
  return f.score / f.threshold;
}

const ORDER: Record<ModelStatus, number> = { degraded: 0, drifting: 1, warning: 2, healthy: 3, no_data: 4 };
export function statusRank(s: ModelStatus): number {
  return ORDER[s];
}
