// Reads the monitoring history the ModelMonitor outboxes write to Postgres
// (sinks/postgres-history.ts): one aggregate point per window and tick, and the feature
// scores of the same ticks, oldest first, for GET …/metrics and the dashboard's charts.
import { and, asc, eq, gte, lte } from "drizzle-orm";
import type { Queryable } from "../db/queryable.ts";
import { featureScores, monitorAggregates } from "../db/schema/index.ts";

/** Aggregate points per call; feature scores are capped at 50 per point. */
export const MAX_POINTS = 5_000;

export type HistoryWindow = "5m" | "1h" | "24h";

export interface HistoryQuery {
  orgId: string;
  model: string;
  version: string;
  window: HistoryWindow;
  from: Date;
  to: Date;
  /** A tracked segment's key (region:eu, other); the whole traffic when absent. */
  segment?: string;
}

export interface FeaturePoint {
  at: string;
  method: string;
  score: number | null;
  threshold: number;
  drifted: boolean;
}

export interface MetricsHistory {
  window: HistoryWindow;
  points: { at: string; rows: number; drift_share: number | null; drifted_features: number; summary: unknown }[];
  features: Record<string, FeaturePoint[]>;
}

/** The version's history in [from, to], as the API returns it. */
export async function metricsHistory(db: Queryable, q: HistoryQuery): Promise<MetricsHistory> {
  const scope = (t: typeof monitorAggregates | typeof featureScores) =>
    and(eq(t.orgId, q.orgId), eq(t.model, q.model), eq(t.version, q.version), eq(t.window, q.window), eq(t.segment, q.segment ?? ""), gte(t.at, q.from), lte(t.at, q.to));
  const points = await db.select().from(monitorAggregates).where(scope(monitorAggregates)).orderBy(asc(monitorAggregates.at)).limit(MAX_POINTS);
  const scores = await db.select().from(featureScores).where(scope(featureScores)).orderBy(asc(featureScores.at)).limit(MAX_POINTS * 50);
  // Keyed by feature name, which the sender chose: no prototype, so "__proto__" is just a name.
  const features: Record<string, FeaturePoint[]> = Object.create(null) as Record<string, FeaturePoint[]>;
  for (const s of scores) {
    (features[s.feature] ??= []).push({ at: s.at.toISOString(), method: s.method, score: s.score, threshold: s.threshold, drifted: s.drifted });
  }
  return {
    window: q.window,
    points: points.map((p) => ({ at: p.at.toISOString(), rows: p.rows, drift_share: p.driftShare, drifted_features: p.driftedFeatures, summary: p.summary })),
    features,
  };
}
